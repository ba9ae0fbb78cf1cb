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
        from projects.selectors.scores import register_unit_count
        from projects.services import versions

        from . import (
            demo,  # noqa: F401  (adds problems when the demo ledger is loaded)
            panels,  # noqa: F401  (what it adds to the ledger's pages)
        )
        from .models import Problem
        from .scoring import overdue_problems_by_unit

        # Problems may colour a project's light: their saves bump the list's year.
        versions.register(Problem, versions.by_project)
        register_unit_count("overdue_problems", _("overdue problems"), overdue_problems_by_unit)
