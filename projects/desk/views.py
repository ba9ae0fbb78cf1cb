"""The daily-work actions on the status page: 催报."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from projects.periods import month_text

from . import services


@require_POST
@login_required
def chase(request, year: int, month: int):
    try:
        units = services.chase_units(actor=request.user, year=year, month=month)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if units:
            messages.success(
                request,
                _("Reminded %(count)s units to submit %(month)s.")
                % {"count": len(units), "month": month_text(year, month)},
            )
        else:
            messages.info(request, _("Every unit has submitted; nobody was reminded."))
    return redirect("status_page", year=year, month=month)
