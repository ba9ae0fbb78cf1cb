"""The report's rows are sorted, filtered and paged by the database, agreeing with the Python rate.

The page asks the selector for one window of rows. Sorting by a rate happens in
SQL, so the SQL expression must order exactly as ``money.completion_rate``
rounds: ties on the shown rate keep code order, projects without a plan come
last in either direction.
"""

import json
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from projects import demo
from projects.exports.csv_file import to_csv
from projects.exports.json_file import to_dict, to_json
from projects.models import Programme, Project, ReportSettings
from projects.periods import Period
from projects.permissions import WHOLE_DISTRICT
from projects.selectors import RowWindow, quarterly_report
from projects.selectors.briefing import campaign_counts, campaigns_of
from projects.selectors.queries import report_queryset
from tests.factories import (
    MonthlyProgressFactory,
    ProgrammeFactory,
    ProjectFactory,
    QuarterPlanFactory,
)

pytestmark = pytest.mark.django_db

# (code, Q1 plan, Q2 plan, completed in January, February, April): shown rates that tie,
# sit on a rounding half (12.35 % -> 12.4 %) or just below it, and plans of zero.
CASES = [
    ("R01", "100", "100", "12.35", "0", "0"),  # 12.35 % -> 12.4 (half rounds up)
    ("R02", "100", "100", "12.34", "0", "0"),  # 12.3
    ("R03", "100", "100", "12.36", "0", "0"),  # 12.4, ties with R01
    ("R04", "300", "100", "37.04", "0", "0"),  # 12.3467 -> 12.3, ties with R02
    ("R05", "0", "0", "50", "0", "0"),  # no plan: no rate
    ("R06", "0", "90", "0", "0", "30"),  # no plan in Q1, a plan later in the year
    ("R07", "3", "3", "1", "0", "1"),  # 33.3 %
    ("R08", "1000", "7", "100", "23.5", "0.01"),  # 12.35 % again, from two months
    ("R09", "100", "100", "0", "0", "0"),  # 0.0 %
    ("R10", "0.01", "0.01", "0", "0", "0"),
]


@pytest.fixture
def programme():
    programme = ProgrammeFactory(year=2024)
    for code, q1, q2, jan, feb, apr in CASES:
        project = ProjectFactory(programme=programme, code=code, kind="continuing")
        QuarterPlanFactory(
            project=project,
            investment_q1=Decimal(q1),
            investment_q2=Decimal(q2),
            investment_q3=Decimal("0"),
            investment_q4=Decimal("0"),
            inclusion_q1=Decimal(q2),
            inclusion_q2=Decimal(q1),
        )
        for month, amount in ((1, jan), (2, feb), (4, apr)):
            MonthlyProgressFactory(
                project=project,
                month=month,
                investment=Decimal(amount),
                inclusion=Decimal(amount),
                image_progress=f"{code} {month}月",
            )
    return programme


def python_order(rows, measure: str, descending: bool):
    """The order the page promises, computed with the Python rate."""

    def rate(row):
        return getattr(row, measure).rate

    rated = sorted((r for r in rows if rate(r) is not None), key=lambda r: r.code)
    rated.sort(key=rate, reverse=descending)  # stable: ties keep code order
    return [r.code for r in rated] + sorted(r.code for r in rows if rate(r) is None)


PERIODS = [{"quarter": 1}, {"quarter": 2}, {"month": 4}, {"month": 5}]


@pytest.mark.parametrize("period", PERIODS)
@pytest.mark.parametrize("measure", ["investment", "inclusion"])
@pytest.mark.parametrize("descending", [False, True])
def test_sorting_by_a_rate_in_sql_agrees_with_the_python_rate(
    programme, period, measure, descending
):
    everything = quarterly_report(
        user=WHOLE_DISTRICT, programme=programme, year=2024, **period
    ).rows
    sort = f"{'-' if descending else ''}{measure}_rate"
    window = RowWindow(sort=sort, page=1, per_page=100)
    paged = quarterly_report(
        user=WHOLE_DISTRICT, programme=programme, year=2024, window=window, **period
    )
    assert [r.code for r in paged.rows] == python_order(everything, measure, descending)
    # The paged rows carry the same figures as the full list.
    by_code = {r.code: r for r in everything}
    assert all(r == by_code[r.code] for r in paged.rows)


def test_ties_and_zero_plans_in_the_first_quarter(programme):
    window = RowWindow(sort="-investment_rate", per_page=100)
    rows = quarterly_report(
        user=WHOLE_DISTRICT, programme=programme, year=2024, quarter=1, window=window
    ).rows
    shown = [(r.code, r.investment.rate) for r in rows]
    assert shown == [
        ("R07", Decimal("33.3")),
        ("R01", Decimal("12.4")),
        ("R03", Decimal("12.4")),
        ("R08", Decimal("12.4")),
        ("R02", Decimal("12.3")),
        ("R04", Decimal("12.3")),
        ("R09", Decimal("0.0")),
        ("R10", Decimal("0.0")),
        ("R05", None),
        ("R06", None),
    ]


def test_a_window_is_a_slice_of_the_sorted_rows_and_the_count_is_the_headline(programme):
    full = quarterly_report(
        user=WHOLE_DISTRICT,
        programme=programme,
        year=2024,
        quarter=1,
        window=RowWindow(sort="-name", per_page=100),
    )
    second = quarterly_report(
        user=WHOLE_DISTRICT,
        programme=programme,
        year=2024,
        quarter=1,
        window=RowWindow(sort="-name", page=2, per_page=3),
    )
    assert [r.code for r in second.rows] == [r.code for r in full.rows][3:6]
    assert second.row_page.count == second.headline.projects == len(CASES)
    assert (second.row_page.number, second.row_page.num_pages) == (2, 4)
    assert (second.row_page.start_index, second.row_page.end_index) == (4, 6)


def test_a_page_past_the_end_shows_the_last_and_an_unknown_sort_is_code_order(programme):
    report = quarterly_report(
        user=WHOLE_DISTRICT,
        programme=programme,
        year=2024,
        quarter=1,
        window=RowWindow(sort="nonsense", page=99, per_page=4),
    )
    assert report.row_page.number == 3
    assert report.row_page.sort == "code"
    assert [r.code for r in report.rows] == ["R09", "R10"]


def test_a_light_filter_pages_the_matching_rows_only(programme):
    full = quarterly_report(
        user=WHOLE_DISTRICT, programme=programme, year=2024, quarter=1, filters={"light": "red"}
    )
    window = RowWindow(sort="code", per_page=2)
    paged = quarterly_report(
        user=WHOLE_DISTRICT,
        programme=programme,
        year=2024,
        quarter=1,
        filters={"light": "red"},
        window=window,
    )
    assert paged.row_page.count == len(full.rows) == paged.headline.projects
    assert [r.code for r in paged.rows] == [r.code for r in full.rows][:2]


def test_streamed_rows_are_the_same_rows_and_can_be_read_twice(programme):
    full = quarterly_report(user=WHOLE_DISTRICT, programme=programme, year=2024, quarter=2)
    streamed = quarterly_report(
        user=WHOLE_DISTRICT, programme=programme, year=2024, quarter=2, stream=True
    )
    assert list(streamed.rows) == list(full.rows)
    assert list(streamed.rows) == list(full.rows)


# A page's rows find the latest picture in a pass of their own; a file's (streamed) in the
# sums' pass (``report_queryset(pictures_in_sums=True)``): each form is held to the rule.
BOTH_FORMS = pytest.mark.parametrize("stream", [False, True], ids=["page", "file"])


@BOTH_FORMS
def test_latest_image_progress_is_the_windows_last_non_empty_one(programme, stream):
    def latest(quarter):
        report = quarterly_report(
            user=WHOLE_DISTRICT, programme=programme, year=2024, quarter=quarter, stream=stream
        )
        return {r.code: r.image_progress for r in report.rows}["R01"]

    assert latest(2) == "R01 4月"
    assert latest(1) == "R01 2月"


@BOTH_FORMS
def test_the_latest_image_orders_two_digit_months_after_one_digit_ones(programme, stream):
    """September's text before October's and November's empty one: October's is the latest,
    so the months' order is kept past nine (the tag is 11–22, never "9" after "10")."""
    project = Project.objects.get(code="R01")
    for month, text in ((9, "九月形象"), (10, "十月形象"), (11, "")):
        MonthlyProgressFactory(project=project, month=month, image_progress=text)

    def latest(**period):
        report = quarterly_report(
            user=WHOLE_DISTRICT, programme=programme, year=2024, stream=stream, **period
        )
        return {r.code: r.image_progress for r in report.rows}["R01"]

    assert latest(quarter=4) == "十月形象"
    assert latest(month=9) == "九月形象"


def test_a_file_and_a_page_each_keep_their_own_form_of_the_rows(programme):
    """The two forms are shapes of their own: statements built once per shape and kept in
    the process are never served to the other form, whichever is built first."""

    def page_statements():
        with CaptureQueriesContext(connection) as page:
            quarterly_report(
                user=WHOLE_DISTRICT, programme=programme, year=2024, quarter=2, kept=False
            )
        return " ".join(query["sql"] for query in page.captured_queries)

    def file_statement():
        report = quarterly_report(
            user=WHOLE_DISTRICT, programme=programme, year=2024, quarter=2, stream=True
        )
        return report.rows.statement().sql

    # The file's form sums the pictures with the amounts; the page's has a pass of its own.
    summed = 'MAX(CASE WHEN NOT ("projects_monthlyprogress"."image_progress"'
    first = file_statement()
    assert summed in first and "latest_images" not in first
    page = page_statements()
    assert summed not in page and "latest_images" in page
    again = file_statement()
    assert summed in again and "latest_images" not in again


@BOTH_FORMS
def test_a_project_whose_months_have_no_picture_shows_its_own(programme, stream):
    """No month of the window has a picture: the project's own text stands (the pass finds
    none, in either form, and the row falls back)."""
    project = Project.objects.get(code="R01")
    project.progress.update(image_progress="")
    Project.objects.filter(pk=project.pk).update(image_progress="项目自身形象")
    report = quarterly_report(
        user=WHOLE_DISTRICT, programme=programme, year=2024, quarter=2, stream=stream
    )
    assert {r.code: r.image_progress for r in report.rows}["R01"] == "项目自身形象"


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="join removal is PostgreSQL's planner's"
)
def test_a_statement_that_does_not_read_the_latest_image_does_not_pass_over_the_texts(programme):
    """The latest image is a grouped pass joined to the rows; the figures, counts and id lists
    do not read it, and PostgreSQL leaves the join out (the pass is unique per project)."""
    settings = ReportSettings.current()
    rows = report_queryset(programme, Period(2024, 1), settings)

    def plan(qs) -> str:
        sql, params = qs.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (VERBOSE) {sql}", params)
            return "\n".join(line for (line,) in cursor.fetchall())

    # By the pass's own tag (each text's month plus ten), not the column: the sums'
    # index-only scan lists every column of the period's index, the pictures' text among
    # them, whether or not a statement reads it.
    tag = "(projects_monthlyprogress.month + 10)"
    assert tag not in plan(rows.values("pk", "light"))
    assert tag in plan(rows.values("pk", "latest_image"))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a covering index is PostgreSQL's")
def test_the_latest_image_can_be_read_from_its_index_alone(programme):
    """Each month's picture is in the period's index (``progress_period_idx``), so the latest
    picture's pass need not visit the table (at 20,000 projects some 15 ms of every file).
    The test's few rows would be scanned, so scans of the table are priced out to ask."""
    settings = ReportSettings.current()
    sql, params = (
        report_queryset(programme, Period(2024, 1), settings)
        .values("pk", "latest_image")
        .query.sql_with_params()
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(line for (line,) in cursor.fetchall())
    assert "Index Only Scan using progress_period_idx" in plan


def test_campaigns_counted_in_sql_equal_the_counts_over_the_rows(demo_db):
    programme = Programme.objects.get(code=demo.PROGRAMME_CODE)
    for filters in (None, {"light": "red"}, {"kind": "new"}, {"status": "early"}, {"unit": "X"}):
        report = quarterly_report(
            user=WHOLE_DISTRICT, programme=programme, year=2024, quarter=1, filters=filters
        )
        expected = campaigns_of(programme.code, report.rows, report.period.end)
        assert campaign_counts(programme, Period(2024, 1), filters, user=WHOLE_DISTRICT) == expected
        assert expected or filters


def test_each_street_reads_its_own_campaign_counts_after_the_whole_district(demo_db):
    """Counted by a statement built once per list, period, reach and filters: a street
    office reading after the district (and after another street) counts its own rows."""
    from projects.models import Street
    from tests.factories import user_with_role

    programme = Programme.objects.get(code=demo.PROGRAMME_CODE)
    whole = campaign_counts(programme, Period(2024, 1), None, user=WHOLE_DISTRICT)
    for street in Street.objects.filter(projects__programme=programme).distinct()[:2]:
        reader = user_with_role("street_viewer", username=f"street-{street.pk}")
        reader.streets.set([street])
        report = quarterly_report(user=reader, programme=programme, year=2024, quarter=1)
        expected = campaigns_of(programme.code, report.rows, report.period.end)
        counted = campaign_counts(programme, Period(2024, 1), None, user=reader)
        assert counted == expected and counted != whole


@pytest.mark.parametrize("period", [{"quarter": 1}, {"month": 5}])
def test_streamed_json_and_csv_hold_the_same_as_the_whole_report(programme, period):
    whole = quarterly_report(user=WHOLE_DISTRICT, programme=programme, year=2024, **period)
    streamed = quarterly_report(
        user=WHOLE_DISTRICT, programme=programme, year=2024, stream=True, **period
    )
    assert json.loads(to_json(streamed)) == json.loads(json.dumps(to_dict(whole)))
    assert to_json(streamed).count(b"\n") == to_json(whole).count(b"\n")
    assert to_csv(streamed) == to_csv(whole)
    empty = quarterly_report(
        user=WHOLE_DISTRICT,
        programme=programme,
        year=2024,
        stream=True,
        filters={"light": "green"},
        **period,
    )
    assert json.loads(to_json(empty))["rows"] == [
        r for r in json.loads(to_json(whole))["rows"] if r["light"] == "green"
    ]


@pytest.mark.parametrize("sort", ["code", "-name", "unit", "-planned_start", "kind"])
def test_a_page_picked_by_a_plain_column_holds_the_rows_of_the_sorted_whole(programme, sort):
    whole = quarterly_report(
        user=WHOLE_DISTRICT,
        programme=programme,
        year=2024,
        quarter=1,
        window=RowWindow(sort=sort, per_page=100),
    )
    for page in (1, 2, 3):
        window = RowWindow(sort=sort, page=page, per_page=4)
        part = quarterly_report(
            user=WHOLE_DISTRICT, programme=programme, year=2024, quarter=1, window=window
        )
        assert list(part.rows) == list(whole.rows)[(page - 1) * 4 : page * 4]


def test_an_empty_list_has_an_empty_first_page():
    programme = ProgrammeFactory(year=2031, code="EMPTY")
    report = quarterly_report(
        user=WHOLE_DISTRICT, programme=programme, year=2031, quarter=1, window=RowWindow()
    )
    assert report.rows == () and report.row_page.count == 0 and report.row_page.number == 1


FIGURE_SORTS = ["actual_start", "start_status", "investment_planned", "investment_other_plan",
                "investment_actual", "investment_rate", "inclusion_planned", "inclusion_actual",
                "inclusion_rate", "light"]  # fmt: skip


@pytest.mark.parametrize("period", [{"quarter": 1}, {"month": 5}])
@pytest.mark.parametrize("sort", [*FIGURE_SORTS, *(f"-{s}" for s in FIGURE_SORTS)])
def test_pages_by_a_figure_read_their_ids_first_and_join_up_to_the_whole_sorted_list(
    programme, period, sort
):
    """A page of a list too long to read whole takes its projects' ids from the rows' sort
    key alone, then their rows; the pages end to end are the whole list in that order."""

    whole = quarterly_report(
        user=WHOLE_DISTRICT, programme=programme, year=2024, sort=sort, **period
    ).rows
    pages = []
    # Four pages, the last one short, of the ten projects here (the module's demo test runs
    # after the others: tests/conftest.py).
    per_page = -(-len(whole) // 4) + 1
    for number in range(1, -(-len(whole) // per_page) + 1):
        window = RowWindow(sort=sort, page=number, per_page=per_page, every_row_up_to=0)
        with CaptureQueriesContext(connection) as queries:
            rows = quarterly_report(
                user=WHOLE_DISTRICT, programme=programme, year=2024, window=window, **period
            ).rows
        pages += rows
        # The ids by the sort key, then the page's rows: two statements over the sums.
        assert sum("period_sums" in q["sql"] for q in queries.captured_queries) >= 2
    assert [r.code for r in pages] == [r.code for r in whole]
    assert list(pages) == list(whole)
