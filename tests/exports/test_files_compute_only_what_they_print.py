"""A file computes the report's parts it prints and no others (``Exporter.report_parts``).

The project table's CSV prints the rows, the 合计 and the coverage notes: the breakdowns,
last year's figures, the monthly chart, the list's changes, the provincial rates and the
lights' changes are not computed for it. Its bytes are those of the file made from the
whole report, so leaving them out changes nothing a reader sees.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.exports import exporter, stream_report_file
from projects.exports.csv_file import to_csv
from projects.models import Programme
from projects.selectors import quarterly_report
from projects.selectors.report import BREAKDOWNS, REPORT_PARTS

pytestmark = pytest.mark.django_db

PERIODS = [{"quarter": 1}, {"quarter": 2}, {"month": 5}]


@pytest.fixture
def programme_2024(demo_db):
    return Programme.objects.get(year=2024)


def _file(manager, programme, table, period, filters=None):
    made = stream_report_file(
        user=manager,
        programme=programme,
        year=programme.year,
        fmt="csv",
        table=table,
        filters=filters or {},
        **period,
    )
    return b"".join(made.chunks)


def _whole(manager, programme, period, filters=None):
    return quarterly_report(
        user=manager,
        programme=programme,
        year=programme.year,
        filters=filters or {},
        stream=True,
        **period,
    )


@pytest.mark.parametrize("period", PERIODS)
def test_the_project_csv_is_the_file_the_whole_report_makes(programme_2024, manager, period):
    whole = _whole(manager, programme_2024, period)
    assert whole.breakdowns["unit"] and whole.months  # the whole report has them
    assert _file(manager, programme_2024, "projects", period) == to_csv(whole)


def test_a_filtered_project_csv_is_the_file_the_whole_report_makes(programme_2024, manager):
    filters = {"unit": "JD-CY"}
    whole = _whole(manager, programme_2024, {"quarter": 2}, filters)
    made = _file(manager, programme_2024, "projects", {"quarter": 2}, filters)
    assert made == to_csv(whole)


@pytest.mark.parametrize("table", ["unit", "category", "street", "task_force"])
def test_a_breakdown_csv_is_the_file_the_whole_report_makes(programme_2024, manager, table):
    whole = _whole(manager, programme_2024, {"quarter": 2})
    assert _file(manager, programme_2024, table, {"quarter": 2}) == to_csv(whole, table)


def test_the_project_csv_sends_fewer_statements_than_the_whole_report(programme_2024, manager):
    def count(call):
        with CaptureQueriesContext(connection) as queries:
            call()
        return len(queries.captured_queries)

    whole = count(lambda: to_csv(_whole(manager, programme_2024, {"quarter": 2})))
    csv_only = count(lambda: _file(manager, programme_2024, "projects", {"quarter": 2}))
    # Not computed: last year's figures, the monthly chart, the list's changes (two), the
    # provincial rates and the lights' changes (three).
    assert whole - csv_only >= 7


def test_the_formats_name_their_parts():
    assert exporter("csv").report_parts("projects") == frozenset()
    assert exporter("csv").report_parts("unit") == {BREAKDOWNS}
    # The JSON and the workbooks print every part.
    assert exporter("json").report_parts("projects") is None
    assert exporter("xlsx").report_parts("projects") is None


def test_unknown_parts_are_refused(programme_2024, manager):
    with pytest.raises(ValueError):
        quarterly_report(
            user=manager, programme=programme_2024, year=2024, quarter=1, parts={"nonsense"}
        )
    # Every part named is the whole report, read from (and kept in) the cache as usual.
    assert quarterly_report(
        user=manager, programme=programme_2024, year=2024, quarter=1, parts=REPORT_PARTS
    ).breakdowns["unit"]
