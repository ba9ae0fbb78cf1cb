"""App configuration for problem coordination."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinationConfig(AppConfig):
    """Problems and the departments they are assigned to; depends on the ledger only."""

    name = "projects.coordination"
    label = "coordination"
    verbose_name = _("Problem coordination")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import (
            demo,  # noqa: F401  (adds problems when the demo ledger is loaded)
            panels,  # noqa: F401  (what it adds to the ledger's pages)
        )
