"""Every write to the problem log: raise, note progress, assign, escalate, close, reopen.

Unit staff raise problems on their own units' projects and add progress notes;
managers assign, set deadlines, escalate and close. Each call checks who may,
validates, checks the version the user read, saves in a transaction, records
a step and leaves history. ``actor`` is always named (the demo uses the system account).
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from projects import events
from projects.models import Project
from projects.services.checks import ensure_can_edit, ensure_dates_unlocked, ensure_manager

from .models import Department, Problem, ProblemStep

Status = Problem.Status
Action = ProblemStep.Action


def _check_version(problem: Problem, expected: int | None) -> None:
    if expected is not None and expected != problem.version:
        raise ValidationError(
            _("Someone else changed this problem after you opened it; reload and try again."),
            code="stale",
        )


def _save(problem: Problem, *, actor, action: str, comment: str, reason: str) -> Problem:
    problem.full_clean()
    problem.version += 1
    problem._change_reason = (reason or comment)[:100]
    if actor is not None:
        problem._history_user = actor
    problem.save()
    ProblemStep.objects.create(
        problem=problem, action=action, status=problem.status, actor=actor, comment=comment
    )
    return problem


def _dates_allowed(actor, moves, reason: str) -> None:
    """A problem's dates in a locked month are that month's record: raised, due or closed then.

    Moving one into, out of or across a locked month is refused to unit staff and
    needs a manager's ``reason`` (kept in the history).
    """
    ensure_dates_unlocked(actor, moves, reason)


def _locked(problem: Problem) -> Problem:
    return Problem.objects.select_for_update().select_related("project__unit").get(pk=problem.pk)


def _ensure_kind_valid(kind: str) -> None:
    # No default kind: a problem filed under the first choice by accident (施工用电 as 用地)
    # goes to the wrong department, so each door must send one the user chose.
    if kind not in Problem.Kind.values:
        raise ValidationError({"kind": _("Choose the kind of problem.")}, code="kind")


def _ensure_no_open_duplicate(project: Project, kind: str, *, excluding: int | None = None):
    """One open problem per project and kind: the second is a note on the first, not a new one.

    The project's row is locked first so two people raising the same problem at
    once queue here instead of one of them meeting the database's constraint.
    """
    Project.objects.select_for_update().filter(pk=project.pk).values_list("pk").first()
    open_one = (
        Problem.objects.filter(project=project, kind=kind, status__in=Problem.OPEN_STATUSES)
        .exclude(pk=excluding)
        .values_list("pk", flat=True)
        .first()
    )
    if open_one is not None:
        raise ValidationError(
            {
                "kind": _(
                    "This project already has an open problem of this kind (#%(id)s); "
                    "add a progress note to it instead of raising it again."
                )
                % {"id": open_one}
            },
            code="duplicate",
        )


@transaction.atomic
def raise_problem(
    *,
    actor,
    project: Project,
    description: str,
    kind: str,
    source_year: int | None = None,
    source_month: int | None = None,
    raised_on: dt.date | None = None,
    reason: str = "",
) -> Problem:
    ensure_can_edit(actor, project)
    raised_on = raised_on or timezone.localdate()
    _dates_allowed(actor, [(None, raised_on)], reason)
    if not description.strip():
        raise ValidationError({"description": _("Describe the problem.")})
    _ensure_kind_valid(kind)
    _ensure_no_open_duplicate(project, kind)
    problem = Problem(
        project=project,
        description=description.strip(),
        kind=kind,
        raised_by=actor,
        raised_on=raised_on,
        source_year=source_year,
        source_month=source_month,
    )
    problem.version = 0
    return _save(
        problem, actor=actor, action=Action.RAISED, comment="", reason=reason.strip() or "raised"
    )


@transaction.atomic
def comment_on_problem(*, actor, problem: Problem, comment: str) -> ProblemStep:
    """A progress note from the unit or a manager; it does not change the status."""
    problem = _locked(problem)
    ensure_can_edit(actor, problem.project)
    if not comment.strip():
        raise ValidationError({"comment": _("Write what has happened.")})
    return ProblemStep.objects.create(
        problem=problem,
        action=Action.COMMENTED,
        status=problem.status,
        actor=actor,
        comment=comment.strip(),
    )


@transaction.atomic
def assign_problem(
    *,
    actor,
    problem: Problem,
    department: Department,
    deadline: dt.date,
    leader: str = "",
    comment: str = "",
    version: int | None = None,
    reason: str = "",
) -> Problem:
    """Hand a problem to a department with a deadline (交办); also used to re-assign."""
    ensure_manager(actor, _("Only managers assign problems to departments."))
    problem = _locked(problem)
    _check_version(problem, version)
    if problem.status == Status.RESOLVED:
        raise ValidationError(_("This problem is closed; reopen it before assigning it again."))
    if deadline is None:
        raise ValidationError({"deadline": _("Give the deadline for the department.")})
    if deadline < problem.raised_on:
        raise ValidationError({"deadline": _("The deadline is before the problem was raised.")})
    _dates_allowed(actor, [(problem.deadline, deadline)], reason)
    problem.department = department
    problem.deadline = deadline
    problem.leader = leader.strip() or problem.leader or problem.project.leader_name
    if problem.status == Status.PENDING:
        problem.status = Status.IN_PROGRESS
    problem = _save(
        problem,
        actor=actor,
        action=Action.ASSIGNED,
        comment=comment,
        reason=reason.strip() or "assigned",
    )
    events.send_after_commit(events.problem_assigned, problem=problem, actor=actor)
    return problem


@transaction.atomic
def escalate_problem(
    *, actor, problem: Problem, comment: str, leader: str = "", version: int | None = None
) -> Problem:
    """Raise a problem to a higher leader (提级协调) when the department cannot solve it."""
    ensure_manager(actor, _("Only managers escalate problems."))
    problem = _locked(problem)
    _check_version(problem, version)
    if problem.status == Status.RESOLVED:
        raise ValidationError(_("This problem is closed; reopen it before escalating it."))
    if not comment.strip():
        raise ValidationError({"comment": _("Say why the problem is escalated.")})
    problem.status = Status.ESCALATED
    if leader.strip():
        problem.leader = leader.strip()
    problem = _save(
        problem, actor=actor, action=Action.ESCALATED, comment=comment, reason="escalated"
    )
    events.send_after_commit(
        events.problem_escalated, problem=problem, actor=actor, comment=comment.strip()
    )
    return problem


@transaction.atomic
def resolve_problem(
    *,
    actor,
    problem: Problem,
    resolution: str,
    resolved_on: dt.date | None = None,
    version: int | None = None,
    reason: str = "",
) -> Problem:
    """Close a problem as solved (销号), with what was done and when."""
    ensure_manager(actor, _("Only managers close problems."))
    problem = _locked(problem)
    _check_version(problem, version)
    if problem.status == Status.RESOLVED:
        raise ValidationError(_("This problem is already closed."))
    if not resolution.strip():
        raise ValidationError({"resolution": _("Say how the problem was solved.")})
    resolved_on = resolved_on or timezone.localdate()
    if resolved_on > timezone.localdate():
        raise ValidationError({"resolved_on": _("The date solved cannot be in the future.")})
    _dates_allowed(actor, [(None, resolved_on)], reason)
    problem.status = Status.RESOLVED
    problem.resolution = resolution.strip()
    problem.resolved_on = resolved_on
    return _save(
        problem,
        actor=actor,
        action=Action.RESOLVED,
        comment=resolution,
        reason=reason.strip() or "closed",
    )


@transaction.atomic
def reopen_problem(
    *, actor, problem: Problem, comment: str, version: int | None = None, reason: str = ""
):
    """A closed problem that came back: it returns to its department."""
    ensure_manager(actor, _("Only managers reopen problems."))
    problem = _locked(problem)
    _check_version(problem, version)
    if problem.status != Status.RESOLVED:
        raise ValidationError(_("Only a closed problem can be reopened."))
    if not comment.strip():
        raise ValidationError({"comment": _("Say why the problem is reopened.")})
    # A problem closed in a locked month was reported closed there.
    _dates_allowed(actor, [(problem.resolved_on, None)], reason)
    _ensure_no_open_duplicate(problem.project, problem.kind, excluding=problem.pk)
    problem.status = Status.IN_PROGRESS if problem.department_id else Status.PENDING
    problem.resolved_on = None
    return _save(
        problem,
        actor=actor,
        action=Action.REOPENED,
        comment=comment,
        reason=reason.strip() or "reopened",
    )


@transaction.atomic
def reclassify_problem(
    *, actor, problem: Problem, kind: str, comment: str = "", version: int | None = None
) -> Problem:
    """A manager files a problem under another kind (the kind decides who handles it).

    The change is a step on the problem (old and new kind in words) and a history entry.
    """
    ensure_manager(actor, _("Only managers change the kind of a problem."))
    problem = _locked(problem)
    _check_version(problem, version)
    _ensure_kind_valid(kind)
    if kind == problem.kind:
        raise ValidationError({"kind": _("The problem is already of this kind.")})
    if problem.is_open:
        _ensure_no_open_duplicate(problem.project, kind, excluding=problem.pk)
    before = problem.get_kind_display()
    problem.kind = kind
    said = _("Kind changed from %(before)s to %(after)s.") % {
        "before": before,
        "after": problem.get_kind_display(),
    }
    note = f"{said} {comment.strip()}".strip()
    return _save(
        problem, actor=actor, action=Action.RECLASSIFIED, comment=note, reason="reclassified"
    )


@transaction.atomic
def save_department(*, actor, department: Department) -> Department:
    ensure_manager(actor, _("Only managers change the list of departments."))
    department.full_clean()
    department.save()
    return department
