"""Files formatted where the rows are: on PostgreSQL the live CSV and JSON rows are written by
the database (``exports.sql_rows``), and they must be the very bytes the Python path writes.

On SQLite there is only the Python path; the comparisons skip with the reason.
"""

import csv
import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.choices import ProgressStyle
from projects.exports import sql_rows
from projects.exports.csv_file import to_csv
from projects.exports.json_file import to_json
from projects.models import MonthlyProgress, Programme, Project, ReportSettings, WarningFlag
from projects.selectors import quarterly_report
from projects.text import file_text
from tests.factories import MonthlyProgressFactory, ProgrammeFactory, ProjectFactory

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the rows are formatted in SQL on PostgreSQL only; SQLite keeps the Python path",
)

# Periods, filters and sorts the files are asked for; each pair of files must be equal.
CASES = [
    pytest.param({"quarter": 1}, {"unit": "JD-CY"}, None, id="q1-one-unit"),
    pytest.param({"quarter": 2}, {}, "-investment_rate", id="h1-by-rate-desc"),
    pytest.param({"quarter": 1}, {"light": "red"}, "light", id="q1-red-by-light"),
    pytest.param({"month": 5}, {}, "-inclusion_rate", id="m5-by-inclusion-rate"),
    pytest.param({"quarter": 3}, {"kind": "new"}, "actual_start", id="q3-new-by-start"),
    pytest.param({"quarter": 4}, {"plan": "baseline"}, "-name", id="q4-baseline-by-name"),
]


def stream_report(user, programme, period, filters, sort):
    return quarterly_report(
        user=user,
        programme=programme,
        year=programme.year,
        filters=filters,
        stream=True,
        sort=sort,
        **period,
    )


def both_paths(report, writer, **kwargs):
    return writer(report, in_database=True, **kwargs), writer(report, in_database=False, **kwargs)


@pytest.fixture
def programme_2024(demo_db):
    return Programme.objects.get(year=2024)


@pytest.mark.parametrize("period, filters, sort", CASES)
def test_demo_csv_and_json_from_sql_are_the_python_paths_bytes(
    programme_2024, manager, period, filters, sort
):
    report = stream_report(manager, programme_2024, period, filters, sort)
    # The default path (the database's on PostgreSQL) against the Python path.
    python_csv = to_csv(report, in_database=False)
    assert to_csv(report) == python_csv
    # A case that writes no row would compare nothing but the header.
    assert python_csv.count(b"\r\n") > 3
    python_json = to_json(report, in_database=False)
    assert to_json(report) == python_json
    assert json.loads(python_json)["rows"]
    if connection.vendor != "postgresql":
        pytest.skip("compared Python with Python: the SQL half runs on PostgreSQL only")
    assert sql_rows.formats(report.rows)


@on_postgresql
def test_the_report_files_door_sends_the_rows_the_database_wrote(
    programme_2024, manager, manager_client
):
    with CaptureQueriesContext(connection) as queries:
        response = manager_client.get("/reports/2024/q2.csv?unit=JD-CY")
        sent = b"".join(response.streaming_content)
    assert any(q["sql"].startswith("COPY (SELECT") for q in queries)
    report = stream_report(manager, programme_2024, {"quarter": 2}, {"unit": "JD-CY"}, None)
    assert sent == to_csv(report, in_database=False)


@on_postgresql
@pytest.mark.parametrize("style", [ProgressStyle.POINTS, ProgressStyle.RATIO, ProgressStyle.PLAN])
def test_demo_light_reasons_read_the_same_in_sql_whatever_the_progress_style(
    programme_2024, manager, style
):
    ReportSettings.objects.filter(pk=ReportSettings.current().pk).update(progress_style=style)
    report = stream_report(manager, programme_2024, {"quarter": 2}, {"light": "red"}, None)
    rows = json.loads(to_json(report, in_database=True))["rows"]
    # The demo's red projects carry reasons of several kinds, the progress one among them.
    assert {r["code"] for row in rows for r in row["light_reasons"]} >= {"behind_time"}
    assert to_json(report, in_database=True) == to_json(report, in_database=False)
    assert to_csv(report, in_database=True) == to_csv(report, in_database=False)


def test_only_streamed_rows_on_postgresql_are_formatted_by_the_database(manager):
    programme = ProgrammeFactory(year=2024, code="FORMATS2024")
    ProjectFactory(programme=programme)
    report = stream_report(manager, programme, {"quarter": 1}, {}, None)
    assert sql_rows.formats(report.rows) is (connection.vendor == "postgresql")
    # Rows already read (a page, an edition's snapshot) have nothing left to format.
    held = quarterly_report(user=manager, programme=programme, year=2024, quarter=1)
    assert not sql_rows.formats(held.rows)


# ---------------------------------------------------------------- hostile text

HOSTILE = [
    "=cmd|' /C calc'!A0",
    "+SUM(1,2)",
    "-2+3",
    "@SUM(A1)",
    "\t=tabbed",
    "\r\n=after a break",
    'comma, "quoted" and\nnew line',
    "控制\x01\x07字符\x1f与\x7f\x85\x9f",
    "竖\x0b表\x0c换\u2028行\u2029",
    "\\.",
    "",
    "普通文字",
    "\x01\x1f=hidden formula",
    "\x85=after a C1 break",
    "'=already quoted",
]


@pytest.fixture
def hostile_rows(manager):
    """Projects whose stored text predates the edge rules (written straight to the table)."""
    # A list of its own: the demo (loaded for this module's other tests) has the 2024 one.
    programme = ProgrammeFactory(year=2024, code="HOSTILE2024")
    for number, text in enumerate(HOSTILE):
        project = ProjectFactory(programme=programme, code=f"H{number:02d}")
        MonthlyProgressFactory(project=project, year=2024, month=2, investment=Decimal("1.00"))
        Project.objects.filter(pk=project.pk).update(name=text or "空", image_progress=text)
        MonthlyProgress.objects.filter(project=project).update(image_progress=text)
        WarningFlag.objects.create(
            project=project, light="red", reason=text, since=dt.date(2024, 1, 1)
        )
    return programme


@on_postgresql
def test_hostile_text_is_cleaned_and_guarded_the_same_in_sql(hostile_rows, manager):
    report = stream_report(manager, hostile_rows, {"quarter": 1}, {}, None)
    from_sql, from_python = both_paths(report, to_csv)
    assert from_sql == from_python
    from_sql, from_python = both_paths(report, to_json)
    assert from_sql == from_python


@on_postgresql
@pytest.mark.parametrize("where", ["name", "national_code", "image_progress", "reason"])
def test_one_hostile_text_among_clean_ones_is_cleaned_and_guarded_the_same_in_sql(where, manager):
    """The database tests a row's texts together before each alone
    (``text.file_texts_need_sql``): a hostile text in any one of them, the others clean, is
    still caught; the separator it puts between them, in a text, changes nothing."""
    programme = ProgrammeFactory(year=2024, code=f"ALONE-{where}")
    for number, text in enumerate([*HOSTILE, "甲\ue000=1", "\ue000-2"]):
        project = ProjectFactory(programme=programme, code=f"A{number:02d}", national_code="")
        MonthlyProgressFactory(project=project, year=2024, month=2, investment=Decimal("1.00"))
        if where == "reason":
            WarningFlag.objects.create(
                project=project, light="red", reason=text, since=dt.date(2024, 1, 1)
            )
        elif where == "image_progress":
            MonthlyProgress.objects.filter(project=project).update(image_progress=text)
        else:
            Project.objects.filter(pk=project.pk).update(**{where: text or "空"})
    report = stream_report(manager, programme, {"quarter": 1}, {}, None)
    from_sql, from_python = both_paths(report, to_csv)
    assert from_sql == from_python


# Codes a label CASE has no label for, stored straight to the table: the labels are cleaned
# once in Python (``sql_rows._labels``), a stray code in SQL, and both read the same.
STRAY_KINDS = {"H00": "=1+2", "H01": "@A1", "H02": "\x01-3", "H03": "普通"}


@on_postgresql
def test_a_code_without_a_label_is_cleaned_and_guarded_the_same_in_sql(hostile_rows, manager):
    for code, kind in STRAY_KINDS.items():
        Project.objects.filter(programme=hostile_rows, code=code).update(kind=kind)
    report = stream_report(manager, hostile_rows, {"quarter": 1}, {}, None)
    from_sql, from_python = both_paths(report, to_csv)
    assert from_sql == from_python
    rows = list(csv.reader(io.StringIO(from_sql.decode("utf-8-sig"))))
    kinds = {row[0]: row[6] for row in rows if row[0] in STRAY_KINDS}
    assert kinds == {"H00": "'=1+2", "H01": "'@A1", "H02": "'-3", "H03": "普通"}


def test_hostile_text_reaches_the_csv_cleaned_and_guarded(hostile_rows, manager):
    report = stream_report(manager, hostile_rows, {"quarter": 1}, {}, None)
    rows = list(csv.reader(io.StringIO(to_csv(report).decode("utf-8-sig"))))
    names = {row[0]: row[1] for row in rows if row[0].startswith("H")}
    assert names["H00"] == "'=cmd|' /C calc'!A0"
    assert names["H04"] == "'\t=tabbed"
    assert names["H05"] == "\n=after a break"
    assert names["H07"] == "控制字符与\n"
    assert names["H08"] == "竖\n表\n换\n行\n"
    assert names["H09"] == "\\."
    assert names["H12"] == "'=hidden formula"
    assert names["H13"] == "\n=after a C1 break"
    assert all(names[f"H{n:02d}"] == file_text(text or "空") for n, text in enumerate(HOSTILE))


# ---------------------------------------------------------------- line ends and queries


@pytest.mark.parametrize(
    "blocks, expected",
    [
        ([b"a,b\nc,d\n"], b"a,b\r\nc,d\r\n"),
        ([b'a,"x\ny"\n'], b'a,"x\ny"\r\n'),
        # A quoted field cut between two blocks keeps its own line break.
        ([b'a,"x\n', b'y""z"\nb\n'], b'a,"x\ny""z"\r\nb\r\n'),
        ([b'a,"', b'"\n'], b'a,""\r\n'),
    ],
)
def test_copy_row_ends_become_crlf_but_breaks_inside_quotes_stay(blocks, expected):
    assert b"".join(sql_rows.crlf(blocks)) == expected


@on_postgresql
def test_the_sql_path_reads_the_rows_in_one_statement_whatever_their_number(manager):
    programme = ProgrammeFactory(year=2024, code="COUNTED2024")

    def queries(projects: int) -> tuple[int, int]:
        ProjectFactory.create_batch(projects, programme=programme)
        report = stream_report(manager, programme, {"quarter": 1}, {}, None)
        with CaptureQueriesContext(connection) as csv_queries:
            to_csv(report, in_database=True)
        with CaptureQueriesContext(connection) as json_queries:
            to_json(report, in_database=True)
        return len(csv_queries), len(json_queries)

    assert queries(3) == queries(30)


@on_postgresql
@pytest.mark.parametrize("rows_of", [sql_rows.csv_rows, sql_rows.json_rows])
def test_a_file_abandoned_midway_leaves_the_connection_usable(manager, monkeypatch, rows_of):
    programme = ProgrammeFactory(year=2024, code="ABANDONED2024")
    ProjectFactory.create_batch(5, programme=programme)
    # One row a chunk, so the reader stops with the statement still sending.
    monkeypatch.setattr(sql_rows, "COPY_BLOCK", 1)
    report = stream_report(manager, programme, {"quarter": 1}, {}, None)
    chunks = rows_of(report.rows)
    next(chunks)
    chunks.close()  # the client went away
    assert Project.objects.filter(programme=programme).count() == 5


@on_postgresql
def test_each_reach_filter_and_sort_streams_its_own_rows_from_its_own_statement(
    manager, street_viewer, street_a, unit_b
):
    """The rows' statement is built once per shape (``StreamedRows.statement``): a street
    office's file after the district's, a filtered one and another sort each read their own."""
    programme = ProgrammeFactory(year=2024, code="SHAPES2024")
    for code, street, unit in (
        ("S1", street_a, None),
        ("S2", None, unit_b),
        ("S3", street_a, None),
    ):
        project = ProjectFactory(
            programme=programme, code=code, **({"street": street} if street else {})
        )
        if unit:
            Project.objects.filter(pk=project.pk).update(unit=unit)

    def codes(user, filters=None, sort=None) -> list[str]:
        report = stream_report(user, programme, {"quarter": 1}, filters or {}, sort)
        text = to_csv(report, in_database=True).decode("utf-8-sig")
        return [row[0] for row in csv.reader(io.StringIO(text)) if row and row[0][:1] == "S"]

    assert codes(manager) == ["S1", "S2", "S3"]
    assert codes(street_viewer) == ["S1", "S3"]
    assert codes(manager, {"unit": unit_b.code}) == ["S2"]
    assert codes(manager, sort="-code") == ["S3", "S2", "S1"]
