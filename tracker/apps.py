"""The site's own app: registers its system checks."""

from django.apps import AppConfig


class TrackerConfig(AppConfig):
    """Site-wide wiring: deployment checks for settings the app reads itself."""

    name = "tracker"
    verbose_name = "Tracker site"

    def ready(self):
        from django.db.backends.signals import connection_created

        from . import checks  # noqa: F401  (registers the checks)
        from .database import keep_few_prepared

        connection_created.connect(keep_few_prepared, dispatch_uid="tracker.keep_few_prepared")
