"""Steps that close a month, each shown before it is taken: submitting with what is missing,
locking with how many units are in, and a unit's figures read before approving them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import services
from ..models import ReportSettings, Unit
from ..periods import month_from_parts, quarter_months, quarter_of_month
from ..permissions import LOCK_PERIODS, REVIEW_SUBMISSIONS
from ..selectors.entry import acknowledged_rows, entry_grid, reviewable_state
from ..selectors.status import month_states
from ..services import plausibility
from ..services.entry import submit_month_checked
from .entry_rows import draw_rows
from .tables import row_id_or_none


def _month(params) -> tuple[int, int]:
    raw_year, raw_month = str(params.get("year", "")), str(params.get("month", ""))
    if not (raw_year.strip() and raw_month.strip()):
        raise Http404(_("Give the year and month to submit."))
    parsed = month_from_parts(raw_year, raw_month)
    if parsed is None:
        raise Http404(
            _("%(year)s-%(month)s is not a month: months run from 1 to 12, years 2000 to 2100.")
            % {"year": raw_year[:10], "month": raw_month[:10]}
        )
    return parsed


def flagged_rows(actor, unit_id: int, year: int, month: int):
    """The unit's rows without an entry, those whose stored figures trip a warning nobody
    acknowledged (rows from before the rule, or written around it), and those acknowledged."""
    grid = entry_grid(actor=actor, year=year, month=month, unit_ids={unit_id})
    missing = [row for row in grid.rows if row.entry is None]
    acknowledged = acknowledged_rows(year, [month], unit_ids={unit_id})
    confirmed = {a.project.pk: set(a.codes.split(",")) for a in acknowledged}
    stored = [row for row in grid.rows if row.entry is not None]
    reviews = plausibility.review(
        [
            services.ProgressInput(
                project=row.project,
                year=year,
                month=month,
                investment=row.entry.investment,
                inclusion=row.entry.inclusion,
            )
            for row in stored
        ],
        stored=True,
    )
    warned = [
        (row, found.warnings)
        for row, found in zip(stored, reviews, strict=True)
        if found.warnings and not set(found.codes) <= confirmed.get(row.project.pk, set())
    ]
    return grid, missing, warned, acknowledged


@require_POST
@login_required
def submit_with_checks(request):
    """The submit button: straight through when nothing is amiss, else a page that says what."""
    unit_id = row_id_or_none(request.POST.get("unit"))
    if unit_id is None:
        return HttpResponseBadRequest(
            _("Which unit's month? “%(value)s” is not a unit number; go back and try again.")
            % {"value": request.POST.get("unit", "")[:40]},
            content_type="text/plain; charset=utf-8",
        )
    unit = get_object_or_404(Unit.objects.own(request.user), pk=unit_id)
    year, month = _month(request.POST)
    grid, missing, warned, acknowledged = flagged_rows(request.user, unit.pk, year, month)
    confirmed = request.POST.get("confirm") == "1"
    # Acknowledged rows are shown too: whoever submits sees what was confirmed as unusual.
    if (missing or warned or acknowledged) and not confirmed:
        return render(
            request,
            "projects/entry_submit.html",
            {
                "unit": unit,
                "year": year,
                "month": month,
                "grid": grid,
                "missing": missing,
                "warned": warned,
                "acknowledged": acknowledged,
                "may_submit": not missing or ReportSettings.current().submit_with_missing,
            },
        )
    try:
        submit_month_checked(
            actor=request.user, unit=unit, year=year, month=month, missing_confirmed=confirmed
        )
        messages.success(
            request,
            _("%(unit)s has submitted %(year)s-%(month)02d.")
            % {"unit": unit, "year": year, "month": month},
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", None) or [str(exc)]))
    return redirect(f"/review/submit/?year={year}&month={month}")


@login_required
@permission_required(LOCK_PERIODS, raise_exception=True)
def lock_confirm(request, year: int, month: int):
    """Before locking: how many units have submitted and approved each month in scope.

    Reached by the status page's form as a POST, so the CSRF token travels in the body,
    never in an address that server logs keep; a plain GET (a bookmark) shows the page too.
    """
    year, month = _month({"year": year, "month": month})
    params = request.POST if request.method == "POST" else request.GET
    scope = "quarter" if params.get("scope") == "quarter" else "month"
    months = quarter_months(quarter_of_month(month)) if scope == "quarter" else (month,)
    states = month_states(year, months)
    return render(
        request,
        "projects/lock_confirm.html",
        {
            "year": year,
            "month": month,
            "scope": scope,
            "quarter": quarter_of_month(month),
            "states": states,
            "all_approved": all(s.units_approved >= s.units_total for s in states),
            # What goes upward with the lock: every figure someone confirmed as unusual.
            "acknowledged": acknowledged_rows(year, months),
            "reason": params.get("reason", "")[:100],
        },
    )


@login_required
@permission_required(REVIEW_SUBMISSIONS, raise_exception=True)
def unit_figures(request, year: int, month: int, unit_id: int):
    """One unit's month as it stands, read-only, for the manager deciding on it."""
    year, month = _month({"year": year, "month": month})
    unit = get_object_or_404(Unit.objects.restrict(request.user, "change"), pk=unit_id)
    grid, missing, warned, acknowledged = flagged_rows(request.user, unit.pk, year, month)
    lines = [(row, None) for row in grid.rows]
    return render(
        request,
        "projects/entry_unit.html",
        {
            "unit": unit,
            "grid": grid,
            "lines": lines,
            "rows": draw_rows(
                lines,
                grid=grid,
                cumulative=False,
                multi_unit=False,
                gathered=None,
            ),
            "missing": missing,
            "warned": warned,
            # Approve or return from here too, while the month is under review.
            "review_state": reviewable_state(request.user, grid, unit.pk),
            "acknowledged": acknowledged,
        },
    )
