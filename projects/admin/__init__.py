"""The admin: the managers' screens for the ledger and corrections, scoped to each user's units.

Importing this package registers every admin; each module mirrors the services'
rules for a nicer form and never holds a rule of its own.
"""

from django.conf import settings
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import (  # noqa: F401  (they register admins)
    accounts,
    cycle,
    funds,
    imports,
    indicators,
    ledger,
    reference,
    sharing,
    tags,
)

admin.site.site_header = settings.TRACKER_SITE_NAME
admin.site.site_title = _("Key projects")
admin.site.index_title = _("Ledger administration")
