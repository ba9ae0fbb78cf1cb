"""WSGI entry point for production servers (gunicorn tracker.wsgi)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
application = get_wsgi_application()

from django.db import connections  # noqa: E402

from tracker.warmup import warm, warm_statements  # noqa: E402 (needs the apps loaded above)

# What is loaded at start lives as long as the worker: settings, apps, every view, the URL
# map, the catalogues and the templates (``warm``: loaded here, not by the first requests,
# which took five times the next ones'). Frozen, it is out of
# the collector's reach, so a full collection during a request walks that request's objects
# and not the whole framework; a report read at province scale makes enough objects to set
# such collections off.
warm()
warm_statements()
# The boot's own connection serves no request (each request thread opens its own).
connections.close_all()
gc.freeze()
