"""What a report page says about how final its figures are, and publishing a new edition."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..briefing.sign_off import sign_off
from ..models import PublishedEdition, period_key
from ..periods import Period
from ..permissions import LOCK_PERIODS
from ..selectors.editions import EDITION_PARAMETER, LIVE, edition_choice
from ..services.editions import publish_edition
from . import reports  # at call time: the report views import this module


def sign_off_context(request, report, programme, *, print_view: bool = False) -> dict:
    """The page's coverage, edition and list-change lines, and the links between editions.

    One query only when the live figures of a published period are asked for (to say so).
    """
    query = request.GET.copy()
    query.pop(EDITION_PARAMETER, None)
    for key in [k for k in query if k.endswith("-page")]:
        del query[key]
    period = report.period
    live_of_published = (
        report.edition is None
        and edition_choice(request.GET) == LIVE
        and PublishedEdition.objects.filter(programme=programme, period=period_key(period)).exists()
    )
    base = reports.report_base_url(
        period.year, None if period.is_month else period.quarter, period.month
    )
    return {
        "sign_off": sign_off(report),
        "edition_query": query.urlencode(),
        "can_publish": request.user.has_perm(LOCK_PERIODS),
        "publish_url": f"{base}publish/?programme={programme.code}",
        "live_of_published": live_of_published,
        "print": print_view,
    }


@login_required
@require_POST
def publish(request, year: int, quarter: int | None = None, month: int | None = None):
    """Publish the next edition of a locked period, with the manager's reason."""
    programme, _filters = reports._report_context(request, year, quarter, month)
    period = Period.through_month(year, month) if month else Period(year, quarter)
    try:
        edition = publish_edition(
            actor=request.user,
            programme=programme,
            period=period,
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Edition %(number)s of %(period)s is published.")
            % {"number": edition.number, "period": period.label_zh},
        )
    return redirect(f"{reports.report_base_url(year, quarter, month)}?programme={programme.code}")
