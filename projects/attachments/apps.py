"""App configuration for site photos."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttachmentsConfig(AppConfig):
    """Photos attached to a project's month or node.

    Depends on the ledger, and on the node plans only for the node a photo may show.
    """

    name = "projects.attachments"
    label = "attachments"
    verbose_name = _("Site photos")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import (
            demo,  # noqa: F401  (draws site photos for the demo ledger)
            exports,  # noqa: F401  (registers the due-for-入库 list's file formats)
            panels,  # noqa: F401  (what it adds to the ledger's pages)
        )
