"""WSGI entry point for production servers (gunicorn tracker.wsgi)."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
application = get_wsgi_application()

# What is loaded at start lives as long as the worker: settings, apps, and every view
# (imported here through the URLs rather than by the first request). Frozen, it is out of
# the collector's reach, so a full collection during a request walks that request's objects
# and not the whole framework; a report read at province scale makes enough objects to set
# such collections off.
get_resolver().url_patterns  # noqa: B018 (imports every view)
gc.freeze()
