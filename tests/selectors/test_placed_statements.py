"""Statements built once and run with values of their own (``placed``)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Q

from projects.coordination.models import Department, Problem
from projects.models import Project
from projects.selectors import placed
from tests.factories import ProgrammeFactory, ProjectFactory
from tests.statements import no_statements_kept, quarter_project  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_statements_kept")]


def _problems_of(pid):
    return Problem.objects.filter(project_id=pid).select_related("department").order_by("-id")


def test_built_objects_are_what_the_orm_fetches_with_their_related_rows(
    django_assert_num_queries,
):
    """A project page's list (``objects_of``): each project's instances as the ORM makes
    them, the related row it selects already there, the null one None; one statement for
    every project of the shape."""
    programme = ProgrammeFactory(year=2024)
    first, second = (quarter_project(programme, code, dt.date(2024, 1, 1), "1") for code in "AB")
    department = Department.objects.create(name="自然资源局")
    made = [
        Problem.objects.create(
            project=first, kind=Problem.Kind.LAND, description="土地", department=department
        ),
        Problem.objects.create(project=first, kind=Problem.Kind.FUNDING, description="资金"),
        Problem.objects.create(project=second, kind=Problem.Kind.LAND, description="征迁"),
    ]
    fields = [f.attname for f in Problem._meta.concrete_fields]
    for project in (first, second, ProjectFactory(programme=programme, code="C")):
        expected = list(_problems_of(project.pk))
        with django_assert_num_queries(1):
            built = placed.objects_of(("test objects",), _problems_of, project.pk)
            # The department came with each row, as select_related has it: no statement.
            departments = [p.department for p in built]
        assert [[getattr(p, f) for f in fields] for p in built] == [
            [getattr(p, f) for f in fields] for p in expected
        ]
        assert departments == [p.department for p in expected]
        assert all(not p._state.adding and p._state.db == "default" for p in built)
    assert [p.pk for p in placed.objects_of(("test objects",), _problems_of, first.pk)] == [
        made[1].pk,
        made[0].pk,
    ]
    assert placed.objects_of(("test objects",), _problems_of, first.pk)[1].department == (
        department
    )


@pytest.mark.parametrize(
    "build",
    [
        lambda pid: Problem.objects.filter(project_id=pid).values("id"),
        lambda pid: Problem.objects.filter(project_id=pid).prefetch_related("steps"),
        lambda pid: Problem.objects.all(),
    ],
    ids=["values", "prefetch", "no project"],
)
def test_built_objects_refuse_what_they_would_not_make_as_the_orm_does(build):
    with pytest.raises(ValueError):
        placed.objects_of(("test refused",), build, 1)


def test_values_for_places_each_value_of_either_kind_and_refuses_one_without_a_place():
    programme = ProgrammeFactory(year=2024)
    first = quarter_project(programme, "A-1", dt.date(2024, 1, 1), "1")
    quarter_project(programme, "B-1", dt.date(2024, 1, 1), "1")

    def build(unit, code):
        return Project.objects.filter(unit_id=unit, code=code).values("code")

    for project in Project.objects.all():
        assert placed.values_for("test values", build, project.unit_id, project.code) == [
            {"code": project.code}
        ]
    assert placed.values_for("test values", build, first.unit_id, "B-1") == list(
        build(first.unit_id, "B-1")
    )
    with pytest.raises(ValueError, match="no place"):
        placed.values_for("test unplaced", lambda unit, _code: build(unit, "A-1"), 1, "A-1")
    # A value computed on is not the value, nor another one: refused, never run with the
    # wrong number.
    for computed in (lambda v: v * 2, lambda v: v + 1, lambda v: v - 1):
        with pytest.raises(ValueError, match="none of them"):
            placed.values_for(
                ("test computed", computed),
                lambda unit, other, computed=computed: Project.objects.filter(
                    unit_id=computed(unit), pk=other
                ).values("code"),
                1,
                2,
            )


def test_a_constant_equal_to_a_mark_stays_a_constant():
    """The statement is built twice, each value marked differently: a constant that happens
    to equal a mark is the same in both builds, so it is never taken for a value."""
    programme = ProgrammeFactory(year=2024)
    project = quarter_project(programme, "A", dt.date(2024, 1, 1), "1")
    mark = placed.marks((int,), 0)[0]

    def build(pid):
        return Project.objects.filter(Q(pk=pid) | Q(pk=mark)).values("code")

    assert placed.values_for("test constant", build, project.pk) == [{"code": "A"}]


def test_a_list_read_from_another_database_is_compiled_for_that_database(monkeypatch):
    """A statement runs on the database it was compiled for: read where the router now
    names another one (a report page on the replica), the list is compiled again."""
    programme = ProgrammeFactory(year=2024)
    project = quarter_project(programme, "A", dt.date(2024, 1, 1), "1")
    builds = []

    def build(pid):
        builds.append(pid)
        return _problems_of(pid)

    class Router:
        alias = "default"

        def db_for_read(self, model, **hints):
            return self.alias

    router = Router()
    monkeypatch.setattr(placed, "router", router)
    placed.objects_of("test routed", build, project.pk)
    built = len(builds)  # built twice, each value marked two ways (``placed._placed``)
    placed.objects_of("test routed", build, project.pk)
    assert len(builds) == built
    router.alias = "replica"
    placed.objects_of("test routed", build, project.pk)
    assert len(builds) == 2 * built


def test_more_values_than_a_kept_statement_takes_are_read_by_a_statement_of_their_own():
    programme = ProgrammeFactory(year=2024)
    projects = [
        quarter_project(programme, f"P{n}", dt.date(2024, 1, 1), "1")
        for n in range(placed.MOST_VALUES + 1)
    ]
    ids = [p.pk for p in projects]

    def build(*pids):
        return Project.objects.filter(pk__in=pids).order_by("code")

    assert placed.objects_of("test many", build, *ids) == list(build(*ids))
    assert placed.values_for("test many", lambda *p: build(*p).values("code"), *ids) == [
        {"code": p.code} for p in build(*ids)
    ]
    assert not placed._objects and not placed._valued  # nothing kept for them


@pytest.mark.parametrize("value", [dt.date(2024, 3, 31), True, Decimal("1"), None])
def test_a_value_neither_a_whole_number_nor_a_text_is_refused(value):
    with pytest.raises(TypeError, match="whole number or a text"):
        placed.values_for("test kinds", lambda v: Project.objects.filter(pk=v).values("pk"), value)
