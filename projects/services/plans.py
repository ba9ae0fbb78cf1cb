"""Plan-change requests (计划调整申请): a unit asks, a manager approves or refuses.

Plans belong to the office (``permissions`` action ``plan``). Unit staff, who may
no longer write a plan, ask for a change with the new figures and a reason; the
request is theirs to make for the projects their ``change`` reach covers. A
manager approves it (the plan is then saved through ``save_plan``/``save_project``
with the manager as actor, and the history names the request) or refuses it with
a reason. A request made against a plan that has changed since is refused on
approval: approving it would silently undo that change.
"""

from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import events
from ..models import PLAN_AMOUNT_FIELDS, PlanChangeRequest, Project, QuarterPlan
from ..models.plans import REQUEST_PROJECT_FIELDS
from ..text import clean_text
from .checks import ensure_can_edit, ensure_can_plan, set_history
from .ledger import save_plan, save_project

ZERO = Decimal("0.00")


def _text(value) -> str:
    """A figure or date as the snapshot keeps it: amounts to the cent, dates ISO."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return str(value.quantize(ZERO))
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def plan_snapshot(project: Project, year: int) -> dict:
    """The plan as it stands (figures as text, dates ISO): what a request is made against."""
    plan = QuarterPlan.objects.filter(project=project, year=year).first()
    figures = plan.figures() if plan else dict.fromkeys(PLAN_AMOUNT_FIELDS, ZERO)
    snapshot = {name: _text(Decimal(value)) for name, value in figures.items()}
    stored = Project.objects.filter(pk=project.pk).values(*REQUEST_PROJECT_FIELDS).first() or {}
    snapshot.update({name: _text(stored.get(name)) for name in REQUEST_PROJECT_FIELDS})
    return snapshot


def _requested(request: PlanChangeRequest) -> dict:
    """The request's figures in the snapshot's form; project fields left blank keep theirs."""
    wanted = {name: _text(value) for name, value in request.figures().items()}
    for name in REQUEST_PROJECT_FIELDS:
        value = getattr(request, name)
        wanted[name] = _text(request.previous.get(name) if value is None else value)
    return wanted


@transaction.atomic
def request_plan_change(
    *,
    actor,
    project: Project,
    year: int,
    investment: Sequence[Decimal],
    inclusion: Sequence[Decimal],
    reason: str,
    total_investment: Decimal | None = None,
    planned_start=None,
    planned_completion=None,
) -> PlanChangeRequest:
    """Ask for a project's plan for ``year`` to become these figures (four quarters each)."""
    if len(investment) != 4 or len(inclusion) != 4:
        raise ValueError("a plan has exactly four quarters")
    ensure_can_edit(actor, project)
    # Serialise requests for one project, so two clicks cannot make two open requests.
    Project.objects.select_for_update().filter(pk=project.pk).first()
    if PlanChangeRequest.objects.filter(project=project, year=year, status="pending").exists():
        raise ValidationError(
            _(
                "%(project)s already has a plan-change request for %(year)s waiting for a "
                "decision; wait for it, or ask a manager to refuse it first."
            )
            % {"project": project.code, "year": year},
            code="pending",
        )
    request = PlanChangeRequest(
        project=project,
        year=year,
        reason=clean_text(reason or "").strip(),
        total_investment=total_investment,
        planned_start=planned_start,
        planned_completion=planned_completion,
        requested_by=actor,
        previous=plan_snapshot(project, year),
    )
    for quarter in (1, 2, 3, 4):
        setattr(request, f"investment_q{quarter}", investment[quarter - 1])
        setattr(request, f"inclusion_q{quarter}", inclusion[quarter - 1])
    if not request.reason:
        raise ValidationError(
            {"reason": _("Say why the plan should change; the office decides on the reason.")}
        )
    request.full_clean()
    if _requested(request) == request.previous:
        raise ValidationError(
            _("These figures are the plan as it stands; change at least one of them."),
            code="unchanged",
        )
    set_history(request, actor, _("plan-change request"))
    request.save()
    return request


def _pending(request: PlanChangeRequest) -> PlanChangeRequest:
    locked = PlanChangeRequest.objects.select_for_update().filter(pk=request.pk).first()
    if locked is None or not locked.is_pending:
        raise ValidationError(
            _("This request has already been decided (%(status)s); reload the page.")
            % {"status": locked.get_status_display() if locked else _("deleted")},
            code="decided",
        )
    return locked


@transaction.atomic
def approve_plan_change(
    *, actor, request: PlanChangeRequest, note: str = "", locked_reason: str = ""
) -> PlanChangeRequest:
    """Set the plan to the request's figures, as the approving manager.

    ``locked_reason`` is the manager's own reason for changing a locked quarter
    (the lock rule of ``save_plan`` applies as to any other door).
    """
    ensure_can_plan(actor, request.project)
    request = _pending(request)
    project = Project.objects.select_for_update().get(pk=request.project_id)
    if plan_snapshot(project, request.year) != request.previous:
        raise ValidationError(
            _(
                "The plan of %(project)s for %(year)s has changed since this request was made, "
                "so approving it would undo that change. Refuse it and ask the unit to make a "
                "new request against the current plan."
            )
            % {"project": project.code, "year": request.year},
            code="stale_request",
        )
    history_reason = _("plan-change request #%(id)s approved") % {"id": request.pk}
    plan = QuarterPlan.objects.filter(project=project, year=request.year).first()
    figures = request.figures()
    if plan is None or plan.figures() != figures:
        save_plan(
            actor=actor,
            project=project,
            year=request.year,
            investment=[figures[f"investment_q{q}"] for q in (1, 2, 3, 4)],
            inclusion=[figures[f"inclusion_q{q}"] for q in (1, 2, 3, 4)],
            expected_version=plan.version if plan else None,
            reason=history_reason,
            locked_reason=(locked_reason or "").strip(),
        )
    changes = {
        name: getattr(request, name)
        for name in REQUEST_PROJECT_FIELDS
        if getattr(request, name) is not None and getattr(request, name) != getattr(project, name)
    }
    if changes:
        for name, value in changes.items():
            setattr(project, name, value)
        save_project(
            actor=actor,
            project=project,
            expected_version=project.version,
            reason=history_reason,
            locked_reason=(locked_reason or "").strip(),
        )
    return _decide(request, actor, PlanChangeRequest.Status.APPROVED, note)


@transaction.atomic
def refuse_plan_change(*, actor, request: PlanChangeRequest, note: str) -> PlanChangeRequest:
    """Refuse a request; the unit reads the reason on its requests page."""
    ensure_can_plan(actor, request.project)
    request = _pending(request)
    if not clean_text(note or "").strip():
        raise ValidationError(
            {"decision_note": _("Give the unit a reason for refusing its request.")}
        )
    return _decide(request, actor, PlanChangeRequest.Status.REFUSED, note)


def _decide(request: PlanChangeRequest, actor, status: str, note: str) -> PlanChangeRequest:
    request.status = status
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.decision_note = clean_text(note or "").strip()
    request.full_clean()
    set_history(request, actor, request.get_status_display())
    request.save()
    events.send_after_commit(events.plan_request_decided, request=request, actor=actor)
    return request
