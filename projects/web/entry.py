"""The month entry grid (/entry/): every project a person enters for, one save for the month.

Thin: rows come from ``selectors.entry``, saves go through
``services.record_progress_batch`` with the person as actor, so unit scoping,
closed months and version checks are the services' and never repeated here.
"""

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from .. import services
from ..models import ReportSettings, Unit
from ..periods import month_from_parts
from ..permissions import can_manage_all_units, restricted
from ..selectors import placed
from ..selectors.entry import (
    deadline,
    default_entry_month,
    entry_grid,
    month_choices,
    month_state,
)
from ..selectors.query_plans import planned_once_per_connection
from ..selectors.status import returned_months_for
from ..services import plausibility
from . import panels
from .entry_forms import EntryFormSet
from .entry_rows import draw_rows, month_options


def is_unit_clerk(user) -> bool:
    """Unit staff: people who enter for their own units and manage no others."""
    return user.is_authenticated and not can_manage_all_units(user) and user.units.exists()


def _month(request, params, today: dt.date) -> tuple[int, int]:
    """The month asked for, or the default month (read only then: a save and every page
    after it name their month, and the default costs a statement or two)."""
    raw_year, raw_month = params.get("year", "").strip(), params.get("month", "").strip()
    if "ym" in params:
        # The picker's one select, "2024-3".
        raw_year, _dash, raw_month = params["ym"].strip().partition("-")
    if not (raw_year or raw_month):
        return default_entry_month(request.user, today)
    parsed = month_from_parts(raw_year, raw_month)
    if parsed is None:
        messages.error(
            request,
            _(
                "“%(year)s-%(month)s” is not a month: give a year from 2000 to 2100 "
                "and a month from 1 to 12."
            )
            % {"year": raw_year[:10], "month": raw_month[:10]},
        )
        return default_entry_month(request.user, today)
    year, month = parsed
    if (year, month) > (today.year, today.month):
        messages.error(
            request,
            _("%(year)s-%(month)02d has not begun yet; enter its figures once it is under way.")
            % {"year": year, "month": month},
        )
        return default_entry_month(request.user, today)
    return year, month


def _unit(request, params, units: list[Unit], manager: bool) -> Unit | None:
    """The unit in view: managers look at one unit at a time, unit staff at all of theirs."""
    wanted = params.get("unit", "")
    chosen = next((u for u in units if str(u.pk) == wanted), None)
    if chosen is None and manager:
        return units[0]
    return chosen


@login_required
@planned_once_per_connection  # a clerk's units' rows of a month, and small tables', by keys
def entry_page(request):
    # Built once per reach and number of units, the units in place of sentinels.
    path, reached = Unit.objects.reached(request.user, "change")
    units = placed.objects_of(
        ("entry page: the units", path),
        lambda *u: restricted(Unit.objects.all(), path, u),
        *reached,
    )
    if not units:
        raise PermissionDenied(_("Only unit staff and managers enter monthly figures."))
    manager = can_manage_all_units(request.user)
    params = request.POST if request.method == "POST" else request.GET
    today = timezone.localdate()
    year, month = _month(request, params, today)
    unit = _unit(request, params, units, manager)
    cumulative = params.get("cumulative") == "1"
    grid = entry_grid(
        actor=request.user, year=year, month=month, unit_ids=None if unit is None else {unit.pk}
    )
    formset = EntryFormSet(
        request.POST if request.method == "POST" else None,
        rows=grid.writable_rows,
        cumulative=cumulative,
        month=month,
        prefix="e",
    )
    query = {"year": year, "month": month}
    if unit is not None:
        query["unit"] = unit.pk
    if request.method == "POST":
        saved = _save(request, grid, formset, params.get("reason", ""))
        if saved is not None:
            if cumulative:
                query["cumulative"] = 1
            return redirect(f"{reverse('entry')}?{urlencode(query)}")
    settings = ReportSettings.current()
    forms = {form.row.project.pk: form for form in formset}
    lines = [(row, forms.get(row.project.pk)) for row in grid.rows]
    multi_unit = unit is None and len({r.project.unit_id for r in grid.rows}) > 1
    gathered = panels.gather("entry", request, grid=grid, unit=unit)
    context = {
        "grid": grid,
        "formset": formset,
        "lines": lines,
        "rows": draw_rows(
            lines,
            grid=grid,
            cumulative=cumulative,
            multi_unit=multi_unit,
            gathered=gathered,
        ),
        "units": units,
        "unit": unit,
        "manager": manager,
        "cumulative": cumulative,
        "query": urlencode(query),
        "month_options": month_options(month_choices(request.user, today), year, month),
        "returned": returned_months_for(request.user),
        "deadline": deadline(year, month, settings, today),
        "closed_reasons": sorted({r.closed_reason for r in grid.rows if r.closed_reason}),
        "panels": gathered,
        # After the grid's form, which the nested apps' forms cannot sit in (drawn).
        "after_form": mark_safe(
            panels.draw(
                gathered, "after_form", csrf_token=get_token(request), cumulative=cumulative
            )
        ),
        # The chip beside the title, for the one unit in view.
        "state": month_state(grid, unit.pk if unit else (units[0].pk if len(units) == 1 else None)),
    }
    return render(request, "projects/entry.html", context)


def _save(request, grid, formset, reason: str) -> int | None:
    """Write the changed rows in one batch; None (and errors on the rows) when nothing was."""
    if not grid.writable_rows:
        closed = sorted({r.closed_reason for r in grid.rows if r.closed_reason})
        messages.error(request, " ".join([_("Nothing was saved."), *closed]))
        return None
    if not formset.is_valid():
        # The rows that did read are checked too, so every flag shows in this one round.
        _show_findings(grid, [f for f in formset if f.is_valid() and f.changed_figures])
        messages.error(request, _("Nothing was saved: correct the rows marked in red."))
        return None
    changed = [form for form in formset if form.changed_figures]
    if not changed:
        messages.info(request, _("Nothing was changed, so nothing was saved."))
        return 0
    entries = _inputs(grid, changed)
    try:
        refusals = services.record_progress_batch(
            actor=request.user, entries=entries, reason=reason.strip()
        )
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", None) or [str(exc)]))
        return None
    if refusals:
        _show_findings(grid, changed)
        for index, exc in refusals.items():
            if getattr(exc, "code", None) != plausibility.UNACKNOWLEDGED and not _hard(exc):
                changed[index].add_error(None, " ".join(getattr(exc, "messages", [str(exc)])))
        _refusal_message(request, changed)
        return None
    messages.success(
        request,
        _("Saved %(count)s projects for %(year)s-%(month)02d.")
        % {"count": len(entries), "year": grid.year, "month": grid.month},
        # The page after the save names the month it saved, so the grid's script drops
        # the draft kept in the browser only once the server has confirmed this save.
        extra_tags=f"entry-saved entry-saved-{grid.year}-{grid.month}",
    )
    return len(entries)


def _inputs(grid, forms) -> list:
    return [
        services.ProgressInput(
            project=form.row.project,
            year=grid.year,
            month=grid.month,
            investment=form.cleaned_data["investment"],
            inclusion=form.cleaned_data["inclusion"],
            image_progress=form.cleaned_data["image_progress"].strip(),
            problems=form.cleaned_data["problems"].strip(),
            expected_version=form.cleaned_data["version"],
            acknowledge=bool(form.cleaned_data.get("confirm")),
        )
        for form in forms
    ]


def _hard(exc) -> bool:
    codes = {getattr(e, "code", None) for e in getattr(exc, "error_list", [exc])}
    return bool(codes & plausibility.HARD_LIMITS)


def _show_findings(grid, forms) -> None:
    """The plausibility rule's findings on the rows: hard limits as errors, warnings to tick."""
    for form, found in zip(forms, plausibility.review(_inputs(grid, forms)), strict=True):
        # A row over a hard limit cannot be ticked through, so it shows no tick box.
        form.warnings = [] if found.refusals else found.warnings
        for refusal in found.refusals:
            form.add_error(None, refusal.message)


def _refusal_message(request, forms) -> None:
    unticked = sum(1 for form in forms if form.warnings and not form.cleaned_data.get("confirm"))
    if any(form.errors for form in forms):
        messages.error(request, _("Nothing was saved: correct the rows marked in red."))
    if unticked:
        messages.error(
            request,
            _(
                "Nothing was saved yet: %(count)s rows have figures that look unusual. "
                "Check each one and tick “Checked” to save it as it is."
            )
            % {"count": unticked},
        )
