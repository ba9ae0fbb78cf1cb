"""App configuration for notifications: in-app notices and group-robot messages."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Tells people what happened (returned, approved, locked, 催报); depends on the ledger only."""

    name = "projects.notifications"
    label = "notifications"
    verbose_name = _("Notifications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import receivers  # noqa: F401  (listens to the ledger's events)
