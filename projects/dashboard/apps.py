"""App configuration for the leaders' view (驾驶舱)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    """The district's figures at a glance, on a phone or a wall screen.

    Depends on the ledger only: it reads the quarterly report, and the other apps add to
    its page through the panel registry (site photos), as they do to the ledger's pages.
    """

    name = "projects.dashboard"
    label = "dashboard"
    verbose_name = _("Leaders' view")
    default_auto_field = "django.db.models.BigAutoField"
