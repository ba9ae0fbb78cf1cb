"""The problem workflow: who may raise, note, assign, escalate and close, and what it records."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from projects.coordination import selectors, services
from projects.coordination.models import Department, Problem, ProblemStep

pytestmark = pytest.mark.django_db
TODAY = dt.date(2024, 5, 10)


@pytest.fixture
def department(db):
    return Department.objects.create(code="ZRZY", name="区自然资源局")


def _raise(actor, project, kind="land", **kwargs):
    return services.raise_problem(
        actor=actor, project=project, description="土地尚未摘牌", kind=kind, **kwargs
    )


def test_unit_staff_raise_a_problem_on_their_own_project_with_a_recorded_step(staff_a, project_a):
    problem = _raise(staff_a, project_a)
    assert problem.status == Problem.Status.PENDING
    assert problem.raised_by == staff_a
    step = problem.steps.get()
    assert (step.action, step.actor) == (ProblemStep.Action.RAISED, staff_a)
    assert problem.history.count() == 1


def test_unit_staff_cannot_raise_a_problem_on_another_units_project(staff_a, project_b):
    with pytest.raises(PermissionDenied):
        _raise(staff_a, project_b)


def test_report_readers_cannot_raise_problems(viewer, project_a):
    with pytest.raises(PermissionDenied):
        _raise(viewer, project_a)


def test_unit_staff_cannot_assign_escalate_or_close(staff_a, project_a, department):
    problem = _raise(staff_a, project_a)
    with pytest.raises(PermissionDenied):
        services.assign_problem(
            actor=staff_a, problem=problem, department=department, deadline=dt.date(2030, 1, 1)
        )
    with pytest.raises(PermissionDenied):
        services.escalate_problem(actor=staff_a, problem=problem, comment="急")
    with pytest.raises(PermissionDenied):
        services.resolve_problem(actor=staff_a, problem=problem, resolution="好了")
    problem.refresh_from_db()
    assert problem.status == Problem.Status.PENDING


def test_manager_assigns_escalates_and_closes_with_each_step_kept(
    staff_a, manager, project_a, department
):
    problem = _raise(staff_a, project_a)
    services.assign_problem(
        actor=manager, problem=problem, department=department, deadline=dt.date(2030, 1, 1)
    )
    problem.refresh_from_db()
    assert (problem.status, problem.leader) == (Problem.Status.IN_PROGRESS, "王振华")
    services.comment_on_problem(actor=staff_a, problem=problem, comment="已提交摘牌申请")
    services.escalate_problem(actor=manager, problem=problem, comment="需区领导协调")
    services.resolve_problem(actor=manager, problem=problem, resolution="已摘牌")
    problem.refresh_from_db()
    assert problem.status == Problem.Status.RESOLVED
    assert problem.resolved_on is not None
    actions = list(problem.steps.values_list("action", "actor__username"))
    assert actions == [
        ("raised", "clerk_a"),
        ("assigned", "boss"),
        ("commented", "clerk_a"),
        ("escalated", "boss"),
        ("resolved", "boss"),
    ]
    assert problem.history.count() == 4  # the note changes no field of the problem


def test_unit_staff_cannot_note_progress_on_another_units_problem(staff_b, manager, project_a):
    problem = _raise(manager, project_a)
    with pytest.raises(PermissionDenied):
        services.comment_on_problem(actor=staff_b, problem=problem, comment="x")


def test_assigning_with_a_stale_version_is_refused(manager, project_a, department):
    problem = _raise(manager, project_a)
    with pytest.raises(ValidationError, match="刷新"):
        services.assign_problem(
            actor=manager,
            problem=problem,
            department=department,
            deadline=dt.date(2030, 1, 1),
            version=problem.version - 1,
        )


def test_closing_needs_a_resolution_and_a_date_not_in_the_future(manager, project_a):
    problem = _raise(manager, project_a)
    with pytest.raises(ValidationError):
        services.resolve_problem(actor=manager, problem=problem, resolution="  ")
    with pytest.raises(ValidationError):
        services.resolve_problem(
            actor=manager, problem=problem, resolution="好", resolved_on=dt.date(2999, 1, 1)
        )


def test_a_closed_problem_can_be_reopened_and_returns_to_its_department(
    manager, project_a, department
):
    problem = _raise(manager, project_a)
    services.assign_problem(
        actor=manager, problem=problem, department=department, deadline=dt.date(2030, 1, 1)
    )
    services.resolve_problem(actor=manager, problem=problem, resolution="好")
    services.reopen_problem(actor=manager, problem=problem, comment="问题反复")
    problem.refresh_from_db()
    assert (problem.status, problem.resolved_on) == (Problem.Status.IN_PROGRESS, None)


@time_machine.travel(dt.datetime(2024, 5, 10, 9, tzinfo=dt.UTC))
def test_due_soon_and_overdue_flags_follow_the_deadline(manager, project_a, department):
    kinds = iter(Problem.Kind.values)  # one open problem per project and kind

    def with_deadline(days):
        problem = _raise(manager, project_a, raised_on=dt.date(2024, 4, 1), kind=next(kinds))
        services.assign_problem(
            actor=manager,
            problem=problem,
            department=department,
            deadline=TODAY + dt.timedelta(days=days),
        )
        return problem

    overdue, today_due, soon, later = (with_deadline(d) for d in (-1, 0, 7, 8))
    closed = with_deadline(-5)
    services.resolve_problem(actor=manager, problem=closed, resolution="好")
    _raise(manager, project_a, kind=next(kinds))  # not assigned: no deadline, no flag
    for problem, expected in [
        (overdue, "overdue"),
        (today_due, "due_soon"),
        (soon, "due_soon"),
        (later, "on_time"),
    ]:
        problem.refresh_from_db()
        assert selectors.flag(problem, TODAY, 7) == expected
    counts = selectors.counts(Problem.objects.all(), TODAY, 7)
    assert counts == selectors.ProblemCounts(open=5, due_soon=2, overdue=1)


def test_a_write_without_a_named_actor_is_refused(project_a):
    with pytest.raises(PermissionDenied):
        _raise(None, project_a)
