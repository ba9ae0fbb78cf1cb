"""Statements planned once for any values (``query_plans.planned_once``): the light strip's,
and every statement of a project page, where PostgreSQL would otherwise plan each afresh
at its first five runs on a connection."""

import datetime as dt
import re

import pytest
from django.db import DataError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.selectors import compiled, query_plans
from projects.web import reports
from tests.factories import ProgrammeFactory
from tests.statements import PLANNING, no_statements_kept, quarter_project  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_statements_kept")]


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("plans and prepared statements are PostgreSQL's")


def mode() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        return cursor.fetchone()[0]


def strip_statement():
    """Two projects of a 2024 list, and the strip's statement of two months (January and
    March), run as one for either project."""
    from projects.periods import Period
    from projects.selectors.light_history import _FIELDS
    from projects.selectors.queries import report_queryset
    from projects.selectors.thresholds import thresholds_for

    programme = ProgrammeFactory(year=2024)
    first = quarter_project(programme, "A", dt.date(2024, 1, 1), "0")
    second = quarter_project(programme, "B", dt.date(2024, 6, 1), "12.345")
    settings, _dispatch = thresholds_for(programme)

    def month(n):
        def build(pk):
            period = Period.through_month(2024, n)
            return report_queryset(programme, period, settings, only=[pk]).values(*_FIELDS)

        return compiled.statement(("planned once", n), build)

    return first, second, compiled.Together([month(1), month(3)])


def plans_of(sql: str) -> tuple[int, int]:
    """How many runs of the prepared statement ``sql`` (as logged, with psycopg's ``%s``)
    PostgreSQL ran on a generic plan, and how many on a plan made for their values."""
    placeholders = iter(range(1, sql.count("%s") + 1))
    prepared = re.sub(r"%%|%s", lambda m: "%" if m[0] == "%%" else f"${next(placeholders)}", sql)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement = %s",
            [prepared],
        )
        (row,) = cursor.fetchall()
    return row


def test_the_strip_is_planned_once_for_every_project_and_the_setting_set_back(postgresql):
    first, second, together = strip_statement()
    assert mode() == "auto"
    rows = {}
    with CaptureQueriesContext(connection) as queries:
        for _run in range(3):
            for project in (first, second):
                rows[project.code] = together.rows(project.pk)
    (sql,) = {q["sql"] for q in queries.captured_queries if compiled.Together.TAG in q["sql"]}
    # The six runs for both projects on the one plan made at the first, none made for a
    # run's own id: without ``planned_once`` PostgreSQL made one for each of the first five.
    assert plans_of(sql) == (6, 0)
    assert mode() == "auto"  # the next statement is PostgreSQL's choice again
    # Each project its own rows: the plan is for any id, not the first one's.
    assert rows["A"] != rows["B"]
    assert [len(months) for months in rows["A"]] == [1, 1]


def test_nested_the_outermost_sets_and_sets_back(postgresql):
    first, _second, together = strip_statement()
    with CaptureQueriesContext(connection) as queries, query_plans.planned_once(connection):
        together.rows(first.pk)
        assert mode() == "force_generic_plan"  # the strip's own did not set it back
    assert mode() == "auto"
    settings = [q["sql"] for q in queries.captured_queries if q["sql"].startswith(PLANNING)]
    assert settings == ["SET plan_cache_mode = force_generic_plan", "RESET plan_cache_mode"]


def test_a_statement_that_fails_leaves_the_setting_set_back(postgresql):
    # Failing inside a transaction: not set back there (nothing but a rollback may run,
    # and the caller is told of its own error, not of a refused setting), and the rollback
    # undoes it.
    with (
        pytest.raises(DataError, match="division by zero"),
        transaction.atomic(),
        query_plans.planned_once(connection),
        connection.cursor() as cursor,
    ):
        cursor.execute("SELECT 1 / 0")
    assert mode() == "auto"
    # Failing in a savepoint rolled back inside it: the transaction goes on, set back.
    with query_plans.planned_once(connection):
        with (
            pytest.raises(DataError, match="division by zero"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute("SELECT 1 / 0")
        assert mode() == "force_generic_plan"
    assert mode() == "auto"


def test_behind_a_pooler_sharing_server_connections_nothing_is_set(postgresql, monkeypatch):
    # A session's setting there would reach another client's statements.
    monkeypatch.setitem(connection.settings_dict, "DISABLE_SERVER_SIDE_CURSORS", True)
    with CaptureQueriesContext(connection) as queries, query_plans.planned_once(connection):
        assert mode() == "auto"
    assert [q["sql"] for q in queries.captured_queries] == ["SHOW plan_cache_mode"]


def test_where_nothing_is_prepared_nothing_is_set():
    if connection.vendor == "postgresql":
        pytest.skip("on PostgreSQL statements are prepared")
    with CaptureQueriesContext(connection) as queries, query_plans.planned_once(connection):
        pass
    assert queries.captured_queries == []


def test_a_project_page_runs_planned_once_and_sets_back(postgresql, manager_client, monkeypatch):
    quarter_project(ProgrammeFactory(year=2024), "P-1", dt.date(2024, 1, 1), "10")
    seen = []
    history = reports.project_history

    def reading_the_mode(project):
        seen.append(mode())
        return history(project)

    monkeypatch.setattr(reports, "project_history", reading_the_mode)
    response = manager_client.get(reverse("project_detail", args=["P-1"]))
    assert response.status_code == 200
    assert seen == ["force_generic_plan"]
    assert mode() == "auto"
    # Another unit's or a missing project: a 404, and the setting set back all the same.
    assert manager_client.get(reverse("project_detail", args=["NO-SUCH"])).status_code == 404
    assert mode() == "auto"


def test_a_clerks_entry_page_and_save_run_planned_once_and_set_back(
    postgresql, staff_a_client, unit_a, monkeypatch
):
    from projects.web import entry

    project = quarter_project(ProgrammeFactory(year=2024), "E-1", dt.date(2024, 1, 1), "10")
    project.unit = unit_a
    project.save()
    seen = []
    draw_rows = entry.draw_rows

    def reading_the_mode(*args, **kwargs):
        seen.append(mode())
        return draw_rows(*args, **kwargs)

    monkeypatch.setattr(entry, "draw_rows", reading_the_mode)
    page = staff_a_client.get(reverse("entry"), {"ym": "2024-03"})
    assert page.status_code == 200
    assert seen == ["force_generic_plan"]
    assert mode() == "auto"
    # A save refused (a form with no rows): the setting set back all the same.
    refused = staff_a_client.post(reverse("entry"), {"ym": "2024-03"})
    assert "未保存任何数据" in refused.content.decode()
    assert mode() == "auto"
