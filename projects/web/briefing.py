"""The briefing (通报) as a page that prints on A4 as it stands; the .docx is an export."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from ..briefing.wording import outline
from ..permissions import EXPORT_REPORTS
from ..selectors.briefing import build_briefing
from .reports import _report_context, invalid_filters_response


@login_required
def briefing_page(request, year: int, quarter: int | None = None, month: int | None = None):
    programme, filterset = _report_context(request, year, quarter, month)
    bad = invalid_filters_response(filterset)
    if bad is not None:
        return bad
    briefing = build_briefing(
        user=request.user,
        programme=programme,
        year=year,
        quarter=quarter,
        month=month,
        filters=request.GET,
    )
    context = {
        "outline": outline(briefing),
        "briefing": briefing,
        "can_export": request.user.has_perm(EXPORT_REPORTS),
        "query": request.GET.urlencode(),
    }
    return render(request, "projects/briefing.html", context)
