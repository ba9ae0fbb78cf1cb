"""Statements compiled once per shape and run with another project's id (``compiled``)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Q

from projects.models import Programme, Project, ReportSettings
from projects.periods import Period
from projects.selectors import compiled, queries
from projects.selectors.light_history import _FIELDS, light_strip
from projects.selectors.queries import report_queryset
from projects.selectors.thresholds import thresholds_for
from tests.factories import ProgrammeFactory, ProjectFactory
from tests.reporting import count_calls
from tests.statements import no_statements_kept, quarter_project  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_statements_kept")]


def _two_projects_and_their_rows():
    """Two projects of a 2024 list, and the builder of one project's report row (March)."""
    programme = ProgrammeFactory(year=2024)
    first = quarter_project(programme, "A", dt.date(2024, 1, 1), "0")
    second = quarter_project(programme, "B", dt.date(2024, 6, 1), "12.345")
    settings, _dispatch = thresholds_for(programme)
    period = Period.through_month(2024, 3)

    def build(pk):
        return report_queryset(programme, period, settings, only=[pk]).values(*_FIELDS)

    return first, second, build


def test_a_run_for_another_project_gives_what_values_gives_for_it():
    first, second, build = _two_projects_and_their_rows()
    made = compiled.statement(("test", 1), build)
    for project in (first, second):
        expected = list(build(project.pk))
        assert made.rows(project.pk) == expected
        # Converted as values() converts them: amounts are Decimals on every database.
        assert isinstance(made.rows(project.pk)[0]["investment_actual"], Decimal)
    assert expected[0]["light"] != list(build(first.pk))[0]["light"]  # two different rows
    # The same shape is compiled once; another project reuses it.
    assert compiled.statement(("test", 1), build) is made


def test_a_statement_that_does_not_filter_by_the_project_is_refused():
    programme = ProgrammeFactory(year=2024)
    settings, _dispatch = thresholds_for(programme)

    def build(_pk):
        return report_queryset(programme, Period(2024, 1), settings).values("pk")

    with pytest.raises(ValueError):
        compiled.statement(("no id",), build)


def test_changed_thresholds_are_a_new_shape_so_the_strip_never_reads_old_sql(manager):
    programme = ProgrammeFactory(year=2024)
    late = quarter_project(programme, "LATE", dt.date(2024, 1, 1), "0")
    project = Project.objects.select_related("programme").get(pk=late.pk)
    before = [m.light for m in light_strip(project)]
    settings = ReportSettings.objects.get_or_create(pk=1)[0]
    settings.start_yellow_months = 12
    settings.start_red_months = 12
    settings.save()
    after = [m.light for m in light_strip(project)]
    assert before[-1] != "green" and after == ["green", "green", "green"]


def test_the_cache_keeps_a_bounded_number_of_shapes():
    programme = ProgrammeFactory(year=2024)
    project = quarter_project(programme, "A", dt.date(2024, 1, 1), "1")
    settings, _dispatch = thresholds_for(programme)

    def build(pk):
        return report_queryset(programme, Period(2024, 1), settings, only=[pk]).values("pk")

    for n in range(compiled.SIZE + 5):
        compiled.statement(("many", n), build)
    assert len(compiled._kept) == compiled.SIZE
    assert compiled.statement(("many", 0), build).rows(project.pk) == [{"pk": project.pk}]


# ---------------------------------------------------------------- the whole list's queryset


def test_the_whole_lists_queryset_is_built_once_per_shape_and_each_caller_gets_a_clone(
    monkeypatch,
):
    programme = ProgrammeFactory(year=2024)
    for code in ("A", "B", "C"):
        quarter_project(programme, code, dt.date(2024, 1, 1), "1")
    settings, _dispatch = thresholds_for(programme)
    built = count_calls(monkeypatch, queries, "_report_queryset")
    period = Period(2024, 1)

    narrowed = report_queryset(programme, period, settings).filter(code="A")
    whole = report_queryset(programme, period, settings)
    assert len(built) == 1
    # A clone's filter is its own: the next caller sees the whole list.
    assert [p.code for p in narrowed] == ["A"]
    assert sorted(whole.values_list("code", flat=True)) == ["A", "B", "C"]
    # Another basis or period is another shape; a list of ids is never kept.
    report_queryset(programme, period, settings, basis="baseline").count()
    report_queryset(programme, Period(2024, 2), settings).count()
    report_queryset(programme, period, settings, only=[whole[0].pk]).count()
    assert len(built) == 4


def test_changed_thresholds_are_a_new_shape_for_the_whole_list_too():
    programme = ProgrammeFactory(year=2024)
    quarter_project(programme, "LATE", dt.date(2024, 1, 1), "0")
    period = Period.through_month(2024, 3)

    def light():
        settings, _dispatch = thresholds_for(programme)
        return report_queryset(programme, period, settings).values_list("light", flat=True)[0]

    assert light() != "green"
    settings = ReportSettings.objects.get_or_create(pk=1)[0]
    settings.start_yellow_months = 12
    settings.start_red_months = 12
    settings.save()
    assert light() == "green"


def test_on_postgresql_a_compiled_statement_is_prepared_once_per_connection():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    first, second, build = _two_projects_and_their_rows()

    def prepared() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_prepared_statements WHERE statement = %s",
                # The text as prepared: its constants written in, the project's id as $1.
                [made.written.replace("%s", "$%d") % tuple(range(1, len(made.slots) + 1))],
            )
            return cursor.fetchone()[0]

    made = compiled.statement(("test", "prepared"), build)
    assert made.rows(first.pk) == list(build(first.pk))
    assert prepared() == 1
    # Run again for another project: the same prepared statement, the other project's row.
    assert made.rows(second.pk) == list(build(second.pk))
    assert prepared() == 1


def test_values_of_gives_what_iterating_the_values_queryset_gives():
    programme = ProgrammeFactory(year=2024)
    quarter_project(programme, "A", dt.date(2024, 1, 1), "0")
    quarter_project(programme, "B", dt.date(2024, 6, 1), "12.345")
    settings, _dispatch = thresholds_for(programme)
    rows = report_queryset(programme, Period(2024, 1), settings).order_by("code")
    values = rows.values(*_FIELDS)
    assert compiled.values_of(values) == list(values)
    assert len(compiled.values_of(values)) == 2
    # A filter no row can pass compiles to nothing at all: no rows, no statement.
    assert compiled.values_of(rows.filter(pk__in=[]).values(*_FIELDS)) == []


def test_on_postgresql_every_connection_keeps_few_prepared_statements():
    from django.db import connection
    from django.db.backends.signals import connection_created

    from tracker.database import PREPARED_MAX

    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    ProgrammeFactory(year=2024)  # the ORM alone, no compiled statement
    connection.connection.prepared_max = 100  # psycopg's default, as a new connection has
    connection_created.send(sender=type(connection), connection=connection)
    assert connection.connection.prepared_max == PREPARED_MAX


def test_on_postgresql_an_orm_statement_run_often_is_prepared_once():
    from django.db import connection

    from tracker.database import PREPARE_AFTER

    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    programme = ProgrammeFactory(year=2024)
    wanted = Programme.objects.filter(pk=programme.pk)

    def prepared() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_prepared_statements "
                "WHERE statement LIKE %s AND statement LIKE %s",
                ['%FROM "projects_programme"%', '%"projects_programme"."id" = $1%'],
            )
            return cursor.fetchone()[0]

    for _run in range(PREPARE_AFTER - 1):
        assert list(wanted.all()) == [programme]  # a new queryset: one run each
    assert prepared() == 0
    for _run in range(3):
        assert list(wanted.all()) == [programme]  # a new queryset: one run each
    assert prepared() == 1


def test_numbers_as_text_reads_that_statements_numerics_as_their_text_alone():
    """The report's figures read their sums as text on PostgreSQL (``grouped_totals``, then
    rounded once by ``figures_from``); every other read of the connection keeps Decimals."""
    from django.db import connection

    sql = "SELECT CAST(%s AS NUMERIC(14, 2)) AS amount, 2 AS n"
    _columns, rows = compiled.fetch(connection, sql, ["1.50"], numbers_as_text=True)
    if connection.vendor == "postgresql":
        assert rows == [("1.50", 2)]
    else:  # SQLite has no such loader to swap: the asked text is PostgreSQL's alone
        assert not isinstance(rows[0][0], str)
    # The next statement of the same text, and the ORM's cursor, read Decimals again.
    _columns, rows = compiled.fetch(connection, sql, ["1.50"])
    assert Decimal(rows[0][0]) == Decimal("1.50") and not isinstance(rows[0][0], str)
    with connection.cursor() as cursor:
        cursor.execute(sql, ["1.50"])
        assert not isinstance(cursor.fetchone()[0], str)


def test_the_reports_statements_are_built_once_per_shape_and_each_shape_reads_its_own(
    monkeypatch, manager, street_viewer, street_a, unit_a, unit_b
):
    """The figures' statement and a short list's rows are built from what the rows are built
    from (``queries.rows_shape``): the same report read again builds neither; another
    reader's reach, another filter or changed thresholds is another shape, never the SQL of
    the one before."""
    from django.http import QueryDict

    from projects.selectors import grouped, report
    from projects.selectors.results import RowWindow

    programme = ProgrammeFactory(year=2024)
    near = quarter_project(programme, "A", dt.date(2024, 1, 1), "0")
    near.street, near.unit = street_a, unit_a
    near.save()
    far = quarter_project(programme, "B", dt.date(2024, 1, 1), "5")
    far.unit = unit_b
    far.save()
    figures = count_calls(monkeypatch, grouped, "_statement")
    rows = count_calls(monkeypatch, report, "sorted_rows")

    def read(user, filters=None):
        found = report.quarterly_report(
            user=user, programme=programme, year=2024, quarter=1, filters=filters,
            window=RowWindow(every_row_up_to=50), kept=False,
        )  # fmt: skip
        return found.headline.projects, [r.code for r in found.rows], [r.light for r in found.rows]

    whole = read(manager)
    assert read(manager) == whole and whole[:2] == (2, ["A", "B"])
    assert (len(figures), len(rows)) == (1, 1)
    assert read(street_viewer)[:2] == (1, ["A"])
    assert read(manager, QueryDict(f"unit={unit_b.code}"))[:2] == (1, ["B"])
    assert (len(figures), len(rows)) == (3, 3)
    settings = ReportSettings.objects.get_or_create(pk=1)[0]
    settings.start_yellow_months = settings.start_red_months = 12
    settings.save()
    assert read(manager)[2] != whole[2]
    assert (len(figures), len(rows)) == (4, 4)


def test_a_light_filtered_reports_projects_are_chosen_afresh_for_every_statement(manager):
    """Under a light filter the report's projects are the ids its figures chose (read from
    this version's rows): its rates, chart and coverage are never read through SQL kept
    from the version before, when another project had that light."""
    from django.http import QueryDict

    from projects.selectors import report

    programme = ProgrammeFactory(year=2024)
    late = quarter_project(programme, "A", dt.date(2024, 1, 1), "0")
    soon = quarter_project(programme, "B", dt.date(2024, 6, 1), "5")

    def read(light):
        found = report.quarterly_report(
            user=manager, programme=programme, year=2024, quarter=1,
            filters=QueryDict(f"light={light}"), kept=False,
        )  # fmt: skip
        invested = sum(point.investment for point in found.months)
        return [r.code for r in found.rows], found.library_rates.listed, invested

    light = (
        report.quarterly_report(user=manager, programme=programme, year=2024, quarter=1, kept=False)
        .rows[0]
        .light
    )
    assert read(light) == (["A"], 1, Decimal("0"))
    soon.planned_start = late.planned_start
    soon.save()
    assert read(light) == (["A", "B"], 2, Decimal("15"))


@pytest.mark.parametrize("which", ["two projects", "no project", "no row can pass"])
def test_totals_of_gives_what_aggregate_gives(which):
    from django.db.models import Count, Sum

    programme = ProgrammeFactory(year=2024)
    for code in ("A", "B"):
        quarter_project(programme, code, dt.date(2024, 1, 1), "1")
    filters = {
        "two projects": {"programme": programme},
        "no project": {"programme": ProgrammeFactory(year=2025)},
        "no row can pass": {"pk__in": []},
    }[which]

    def build():
        return Project.objects.filter(**filters)

    wanted = {"n": Count("pk"), "planned": Count("pk", filter=Q(kind="new")), "total": Sum("id")}
    expected = build().aggregate(**wanted)
    assert compiled.totals_of(("totals", which), build, **wanted) == expected
    # Read again through the statement kept for the shape.
    assert compiled.totals_of(("totals", which), build, **wanted) == expected


HOSTILE = ["O'Brien", "100%", "%s", "%%", "back\\slash", "E'\\x00'", "引号“”；", "-- not a comment"]


def test_on_postgresql_constants_written_in_read_the_rows_bound_ones_read():
    """A name, a reason or a label is a constant of a statement: written into its text it
    must match exactly the rows the bound parameter matched, whatever it holds."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("constants are written in on PostgreSQL")
    programme = ProgrammeFactory(year=2024)
    for n, name in enumerate(HOSTILE):
        ProjectFactory(programme=programme, code=f"H{n}", name=name)
    for name in HOSTILE:
        queryset = Project.objects.filter(name=name, pk__gt=compiled.SENTINEL).values("code")
        made = compiled.Statement(queryset)
        written = compiled.constants_written_in(connection, made.sql, made.params)
        with connection.cursor() as cursor:
            cursor.execute(written, [])
            assert [row[0] for row in cursor.fetchall()] == [r["code"] for r in queryset]
            assert len(queryset) == 1


def test_a_written_text_keeps_the_placeholders_asked_for_and_doubled_percent_signs():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("constants are written in on PostgreSQL")
    connection.ensure_connection()
    sql = "SELECT %s, '5%%', %s FROM t WHERE a = %s"
    written = compiled.constants_written_in(connection, sql, ["x'y", 7, 8], keep=[1])
    assert written == "SELECT 'x''y', '5%%', %s FROM t WHERE a = 8"
    with pytest.raises(ValueError, match="placeholders"):
        compiled.constants_written_in(connection, sql, [1, 2])


def test_statements_run_together_give_each_its_own_rows_in_order():
    """A strip's months run as one statement: each month's row is the one its own statement
    gives, a month with none (a project not yet on the list) keeps its place, empty."""
    programme = ProgrammeFactory(year=2024)
    first = quarter_project(programme, "A", dt.date(2024, 1, 1), "0")
    settings, _dispatch = thresholds_for(programme)

    def month(m, *, only_of=None):
        period = Period.through_month(2024, m)

        def build(pk):
            rows = report_queryset(programme, period, settings, only=[pk])
            if only_of is not None:  # a statement that finds no row for this project
                rows = rows.filter(code=only_of)
            return rows.values(*_FIELDS)

        return compiled.statement(("test together", m, only_of), build), build

    made = [month(1), month(2, only_of="NONE"), month(3)]
    together = compiled.Together([statement for statement, _build in made])
    found = together.rows(first.pk)
    assert found == [list(build(first.pk)) for _statement, build in made]
    assert [len(rows) for rows in found] == [1, 0, 1]


def test_a_querysets_filters_with_their_values_are_its_where_shape():
    units = [3, 5]
    shape = compiled.where_shape(Project.objects.filter(unit__in=units, kind="new"))
    assert shape == compiled.where_shape(Project.objects.filter(unit__in=[3, 5], kind="new"))
    assert shape != compiled.where_shape(Project.objects.filter(unit__in=[3, 6], kind="new"))
    assert shape != compiled.where_shape(Project.objects.filter(unit__in=units))
    # Two filter() calls over a many-valued relation join it twice: another statement.
    once = compiled.where_shape(Project.objects.filter(tags__name="A", tags__sort_order=1))
    twice = compiled.where_shape(Project.objects.filter(tags__name="A").filter(tags__sort_order=1))
    assert once != twice
    assert "'3'" not in str(shape) and "3, 5" in str(shape)


def test_a_queryset_with_more_than_filters_has_no_where_shape():
    from django.db.models import Count, FilteredRelation

    projects = Project.objects.filter(kind="new")
    assert compiled.where_shape(projects.annotate(n=Count("tags"))) is None
    assert compiled.where_shape(projects.distinct()) is None
    assert compiled.where_shape(projects[:5]) is None
    assert compiled.where_shape(projects.union(projects)) is None
    assert compiled.where_shape(projects.extra(where=["1 = 1"])) is None
    assert compiled.where_shape(projects.alias(t=FilteredRelation("tags"))) is None


def test_a_statements_rows_keep_every_value_and_its_type_with_fewer_conversions():
    """On PostgreSQL the output fields' conversions of values psycopg already gives as their
    type (numeric sums as Decimals, counts as ints) are dropped after the first run; the
    rows are still what values() gives, to the last digit and type."""
    from django.db import connection

    first, second, build = _two_projects_and_their_rows()
    made = compiled.statement(("test", 2), build)
    for project in (first, second, first):
        expected = list(build(project.pk))
        got = made.rows(project.pk)
        assert [{k: (type(v), str(v)) for k, v in row.items()} for row in got] == [
            {k: (type(v), str(v)) for k, v in row.items()} for row in expected
        ]
    kept = sum(len(convs) for convs, _expression in made.changing.values())
    every = sum(len(convs) for convs, _expression in made.converters.values())
    if connection.vendor == "postgresql":
        assert every > 10 and kept < every
    else:  # SQLite's numbers come as texts, integers and floats: every conversion stays
        assert kept == every


def test_built_instances_are_the_rows_the_orm_fetches():
    programme = ProgrammeFactory(year=2024)
    project = quarter_project(programme, "A", dt.date(2024, 1, 1), "12.30")
    built = compiled.instances(
        ("test instances",), Project, lambda: Project.objects.filter(pk=project.pk)
    )
    fetched = list(Project.objects.filter(pk=project.pk))
    fields = [f.attname for f in Project._meta.concrete_fields]
    assert [[getattr(p, f) for f in fields] for p in built] == [
        [getattr(p, f) for f in fields] for p in fetched
    ]
    assert built[0].pk == project.pk and not built[0]._state.adding
    assert built[0]._state.db == fetched[0]._state.db
    assert (
        compiled.instances(("test instances", "none"), Project, lambda: Project.objects.none())
        == []
    )
