"""The one field in which a manager says why a locked month changes (kept in the history).

Every form whose save may touch a locked month (photos, 入库 materials, nodes, template
sets, problems) asks for the reason with this field, so its label, length and wording of
"only needed when…" are the same everywhere; the lock rule itself is ``services.checks``.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

LOCK_REASON_HELP = _("Only needed when the month is locked; kept in the change history.")


def lock_reason_field(help_text=LOCK_REASON_HELP) -> forms.CharField:
    return forms.CharField(
        label=_("Reason for changing a locked month"),
        max_length=100,
        required=False,
        help_text=help_text,
    )
