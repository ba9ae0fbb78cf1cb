"""App configuration for daily work: reminders, 催报 and each person's to-do list."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    """Above every other app: it reads the ledger, problems, nodes and notices together."""

    name = "projects.desk"
    label = "desk"
    verbose_name = _("Daily work")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import panels  # noqa: F401  (the to-do list on the landing pages)
