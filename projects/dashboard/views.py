"""The leaders' view (驾驶舱): thin, it reads the leaders_view selector and formats nothing."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .. import selectors
from ..briefing.sign_off import coverage_sentences
from ..periods import FIRST_YEAR, LAST_YEAR, QUARTERS, Period
from ..web import panels
from ..web.charts import monthly_chart
from .charts import light_bars
from .selectors import leaders_view

# The wall screen reloads itself (a plain <meta> refresh: no script, nothing for the CSP).
WALL_REFRESH_SECONDS = 300
# What fits a wall screen without scrolling, and a phone's first screens.
WALL_RANKED, WALL_RED, WALL_PHOTOS = 10, 4, 4
PHONE_RED, PHONE_PHOTOS = 20, 6


def _number(request, name: str, low: int, high: int) -> int | None:
    """A small whole number from the address, None when absent; 404 when it is not one."""
    text = request.GET.get(name, "").strip()
    if not text:
        return None
    if text.isascii() and text.isdigit() and len(text) <= 4 and low <= int(text) <= high:
        return int(text)
    if name == "quarter":
        raise Http404(
            _("There is no quarter %(quarter)s; quarters run from 1 to 4.") % {"quarter": text[:10]}
        )
    if name == "month":
        raise Http404(
            _("There is no month %(month)s; months run from 1 to 12.") % {"month": text[:10]}
        )
    raise Http404(_("Year must be between 2000 and 2100."))


def chosen_programme(request, period: Period | None):
    """The list the address names (``?programme=``) for the period's year, or that year's
    default; 404 for a code the year does not have."""
    if period is None:
        return None
    code = request.GET.get("programme") or None
    programme = selectors.programme_for(period.year, code)
    if programme is None and code:
        raise Http404(
            _("There is no list with code %(code)s for %(year)s.")
            % {"code": code[:40], "year": period.year}
        )
    return programme


def chosen_period(request) -> Period | None:
    """``?year=&quarter=`` or ``?year=&month=``; without them the latest period that is due."""
    year = _number(request, "year", FIRST_YEAR, LAST_YEAR)
    quarter = _number(request, "quarter", min(QUARTERS), max(QUARTERS))
    month = _number(request, "month", 1, 12)
    due = selectors.due_report_period()
    if year is None and quarter is None and month is None:
        return due
    if year is None:
        year = due.year if due else None
        if year is None:
            raise Http404(_("Name the year too, e.g. ?year=2024&quarter=1."))
    if month is not None:
        return Period.through_month(year, month)
    if quarter is not None:
        return Period(year, quarter)
    # A year alone: its period that is due, or its whole year once it is over.
    return due if due and due.year == year else Period(year, 4)


@login_required
@require_GET
def dashboard(request):
    wall = request.GET.get("screen") == "wall"
    period = chosen_period(request)
    programme = chosen_programme(request, period)
    context = {"wall": wall, "period": period, "programme": programme}
    if programme is not None:
        view = leaders_view(user=request.user, programme=programme, period=period)
        context.update(
            view=view,
            report=view.report,
            headline=view.report.headline,
            coverage_lines=coverage_sentences(view.report),
            ranking=view.report.unit_ranking,
            chart=monthly_chart(view.report),
            unit_bars=light_bars(view.by_unit),
            street_bars=light_bars(view.by_street),
            red=view.red[: WALL_RED if wall else PHONE_RED],
            more_red=max(len(view.red) - (WALL_RED if wall else PHONE_RED), 0),
            ranked=view.report.unit_ranking.ranked[:WALL_RANKED] if wall else None,
            panels=panels.gather(
                "dashboard",
                request,
                programme=programme,
                limit=WALL_PHOTOS if wall else PHONE_PHOTOS,
            ),
            refresh=WALL_REFRESH_SECONDS,
        )
    template = "dashboard/wall.html" if wall else "dashboard/dashboard.html"
    return render(request, template, context)
