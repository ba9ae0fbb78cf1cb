"""App configuration for node plans and approvals."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MilestonesConfig(AppConfig):
    """Nodes, templates and approvals of projects; depends on the ledger only."""

    name = "projects.milestones"
    label = "milestones"
    verbose_name = _("Node plans and approvals")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from projects.services import versions

        from . import (
            demo,  # noqa: F401  (adds nodes and approvals to the demo ledger)
            panels,  # noqa: F401  (what it adds to the ledger's pages)
        )
        from .models import Approval, Milestone

        # Nodes and approvals give the report's lights: their saves bump the list's year.
        versions.register(Milestone, versions.by_project)
        versions.register(Approval, versions.by_project)
