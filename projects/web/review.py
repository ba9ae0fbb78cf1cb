"""Submission, review and lock screens, and the reporting status page with its CSV.

Plain views rather than admin actions: a return needs a comment typed per
unit, and the status page is where a manager decides, so the decisions sit
beside the figures they are made on. Every write goes through the services.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import services
from ..exports.registry import STATUS, exporter, formats
from ..exports.responses import export_download
from ..models import ReportSettings, Unit
from ..periods import (
    is_month,
    month_from_parts,
    next_month,
    parse_month,
    previous_month,
    quarter_of_month,
)
from ..selectors.entry import UnitTotals, deadline, unit_totals
from ..selectors.history import deleted_projects
from ..selectors.locks import lock_history
from ..selectors.status import (
    default_status_month,
    reporting_status,
    returned_months_for,
    unit_months,
)
from . import panels
from .status_table import StatusTable

REVIEW = "projects.review_submissions"


def _month_or_404(year: int, month: int) -> None:
    if not is_month(year, month):
        raise Http404(
            _("%(year)s-%(month)s is not a month: months run from 1 to 12, years 2000 to 2100.")
            % {"year": year, "month": month}
        )


def posted_id(request, name: str) -> int | None:
    """A row id from a posted form, or None when it is missing or not a (64-bit) id."""
    text = request.POST.get(name, "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None


def _refusal(request, exc) -> None:
    messages.error(request, " ".join(getattr(exc, "messages", None) or [str(exc)]))


@login_required
@permission_required(REVIEW, raise_exception=True)
def status_latest(request):
    """The latest month to review, or the month the picker asks for (``?month=2024-05``)."""
    year, month = _default_month()
    wanted = request.GET.get("month", "")
    if wanted:
        try:
            year, month = parse_month(wanted)
        except ValueError:
            messages.error(
                request, _("“%(text)s” is not a month; write it as 2024-05.") % {"text": wanted}
            )
    return redirect("status_page", year=year, month=month)


@login_required
@permission_required(REVIEW, raise_exception=True)
def status_page(request, year: int, month: int):
    _month_or_404(year, month)
    report = reporting_status(year, month)
    totals = unit_totals(year, month)
    return render(
        request,
        "projects/status.html",
        {
            "report": report,
            # 当月 and 累计 beside each unit, and the month's reporting deadline.
            # Units waiting for review first: the page is a desk, not a register.
            "unit_table": StatusTable(
                [(u, totals.get(u.unit_id, UnitTotals())) for u in report.review_order],
                request=request,
                report=report,
            ),
            "previous": previous_month(year, month),
            # Up to the month now running; a month not yet begun has no status.
            "next": next_month(year, month) if (year, month) < _this_month() else None,
            "deadline": deadline(year, month, ReportSettings.current(), timezone.localdate()),
            "quarter": quarter_of_month(month),
            "can_lock": request.user.has_perm(services.LOCK_PERIODS),
            "lock_history": lock_history(year),
            "status_formats": formats(STATUS).values(),
        },
    )


@login_required
@permission_required(REVIEW, raise_exception=True)
def status_file(request, year: int, month: int, fmt: str):
    """The month's reporting status as a file of a registered ``status`` format."""
    _month_or_404(year, month)
    return export_download(exporter(fmt, STATUS).file(reporting_status(year, month)))


@require_POST
@login_required
def review_unit(request, year: int, month: int, unit_id: int):
    _month_or_404(year, month)
    unit = get_object_or_404(Unit.objects.restrict(request.user, "change"), pk=unit_id)
    decision = request.POST.get("decision")
    comment = request.POST.get("comment", "")
    try:
        if decision == "approve":
            services.approve_month(
                actor=request.user, unit=unit, year=year, month=month, comment=comment
            )
            messages.success(request, _("%(unit)s: month approved.") % {"unit": unit})
        elif decision == "return":
            services.return_month(
                actor=request.user, unit=unit, year=year, month=month, comment=comment
            )
            messages.success(request, _("%(unit)s: month returned.") % {"unit": unit})
        else:
            messages.error(request, _("Choose approve or return."))
    except ValidationError as exc:
        _refusal(request, exc)
    # Back where the decision was taken: the unit's figures, or its row on the desk.
    if request.POST.get("back") == "unit":
        return redirect("unit_figures", year=year, month=month, unit_id=unit.pk)
    return redirect(f"{reverse('status_page', args=[year, month])}#unit-{unit.pk}")


LOCK_SCOPES = {"month", "quarter"}
LOCK_ACTIONS = {"lock", "unlock"}


@require_POST
@login_required
@permission_required(services.LOCK_PERIODS, raise_exception=True)
def lock_period(request, year: int, month: int):
    _month_or_404(year, month)
    scope, action = request.POST.get("scope"), request.POST.get("action")
    if scope not in LOCK_SCOPES or action not in LOCK_ACTIONS:
        # Guessing would lock something nobody asked for; say what the form accepts.
        return HttpResponseBadRequest(
            _(
                "Nothing was locked or unlocked: choose to lock or unlock either this month "
                "or its whole quarter."
            ),
            content_type="text/plain; charset=utf-8",
        )
    reason = request.POST.get("reason", "")
    try:
        if scope == "quarter":
            lock, unlock = services.lock_quarter, services.unlock_quarter
            args = {"year": year, "quarter": quarter_of_month(month)}
        else:
            lock, unlock = services.lock_month, services.unlock_month
            args = {"year": year, "month": month}
        if action == "unlock":
            unlock(actor=request.user, reason=reason, **args)
            messages.success(request, _("Unlocked."))
        else:
            lock(actor=request.user, reason=reason, **args)
            messages.success(request, _("Locked."))
    except ValidationError as exc:
        _refusal(request, exc)
    return redirect("status_page", year=year, month=month)


def _default_month() -> tuple[int, int]:
    return default_status_month(timezone.localdate())


def _this_month() -> tuple[int, int]:
    today = timezone.localdate()
    return today.year, today.month


@login_required
def submit_page(request):
    if not Unit.objects.own(request.user).exists():
        raise PermissionDenied(_("Only unit staff submit months."))
    params = request.POST if request.method == "POST" else request.GET
    raw_year, raw_month = params.get("year", "").strip(), params.get("month", "").strip()
    year, month = _default_month()
    if raw_year or raw_month:
        parsed = month_from_parts(raw_year, raw_month)
        if parsed is not None:
            year, month = parsed
        else:
            # Say so rather than quietly showing (or submitting) another month.
            messages.error(
                request,
                _(
                    "“%(year)s-%(month)s” is not a month: give a year from 2000 to 2100 "
                    "and a month from 1 to 12."
                )
                % {"year": raw_year, "month": raw_month},
            )
            if request.method == "POST":
                return redirect("submit_month")
            year, month = _default_month()
    if request.method == "POST":
        unit_id = posted_id(request, "unit")
        if unit_id is None:
            messages.error(request, _("Choose one of your units to submit."))
            return redirect(f"{request.path}?year={year}&month={month}")
        unit = get_object_or_404(Unit.objects.own(request.user), pk=unit_id)
        try:
            services.submit_month(actor=request.user, unit=unit, year=year, month=month)
            messages.success(
                request,
                _("%(unit)s has submitted %(year)s-%(month)02d.")
                % {"unit": unit, "year": year, "month": month},
            )
        except ValidationError as exc:
            _refusal(request, exc)
        return redirect(f"{request.path}?year={year}&month={month}")
    return render(
        request,
        "projects/submit.html",
        {
            "year": year,
            "month": month,
            "rows": unit_months(Unit.objects.own(request.user), year, month),
            "returned": returned_months_for(request.user),
            "panels": panels.gather("unit", request),
        },
    )


@login_required
@permission_required(services.MANAGE_ALL_UNITS, raise_exception=True)
def deleted_projects_page(request):
    if request.method == "POST":
        project_id = posted_id(request, "project_id")
        if project_id is None:
            messages.error(request, _("Choose a deleted project to restore."))
            return redirect("deleted_projects")
        try:
            project = services.restore_project(
                actor=request.user,
                project_id=project_id,
                reason=request.POST.get("reason", ""),
            )
            messages.success(request, _("%(project)s restored.") % {"project": project})
        except ValidationError as exc:
            _refusal(request, exc)
        return redirect("deleted_projects")
    return render(request, "projects/deleted.html", {"deleted": deleted_projects()})
