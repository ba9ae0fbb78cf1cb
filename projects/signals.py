"""Tell unit staff at login about months a manager returned to their units."""

from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils.translation import gettext as _

from .selectors.status import returned_months_for


@receiver(user_logged_in, dispatch_uid="projects.returned_months_at_login")
def show_returned_months(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "_messages"):
        return
    for item in returned_months_for(user):
        messages.warning(
            request,
            _("%(unit)s: %(year)s-%(month)02d was returned for correction: %(comment)s")
            % {
                "unit": item.unit_name,
                "year": item.year,
                "month": item.month,
                "comment": item.comment,
            },
        )
