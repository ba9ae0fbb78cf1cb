"""Reading messy ledger and progress files, the preview plan, and the all-or-nothing rule."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects import imports
from projects.imports import ImportFileError, plan_progress, run_import
from projects.imports.columns import PROGRESS_COLUMNS
from projects.imports.ledger_files import ledger_xlsx
from projects.models import (
    Category,
    MonthlyProgress,
    PeriodLock,
    Project,
    QuarterPlan,
    Street,
    Unit,
)
from tests.factories import (
    MonthlyProgressFactory,
    ProgrammeFactory,
    ProjectFactory,
    QuarterPlanFactory,
    UnitFactory,
    UserFactory,
    user_with_role,
)
from tests.importfiles import (
    LEDGER_HEADERS,
    PROGRESS_HEADERS,
    csv_bytes,
    ledger_row,
    make_file,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _end_of_june_2024():
    # "Actual start cannot be in the future" depends on today.
    with time_machine.travel(dt.datetime(2024, 6, 30, 12, 0), tick=False):
        yield


FORMATS = ["csv", "xlsx"]


def progress_file(fmt, *rows, encoding="utf-8", headers=PROGRESS_HEADERS):
    return make_file(fmt, [headers, *rows], encoding)


def progress_row(code="CY-001", year=2024, month=3, investment="100", inclusion="80", **extra):
    return [
        code,
        year,
        month,
        investment,
        inclusion,
        extra.get("image_progress", ""),
        extra.get("problems", ""),
    ]


@pytest.fixture
def project():
    return ProjectFactory(code="CY-001")


def error_cells(result):
    return [(e.row, e.column) for e in result.errors]


# --- reading files ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_progress_file_creates_entries_in_both_formats(fmt, project, manager):
    content = progress_file(
        fmt, progress_row(month=1), progress_row(month=2, investment="50.25", inclusion="40")
    )

    result = run_import("progress", content, filename=f"p.{fmt}", actor=manager)

    assert result.written and not result.errors
    assert result.counts == {"new": 2, "changed": 0, "unchanged": 0, "errors": 0}
    assert list(project.progress.values_list("month", "investment")) == [
        (1, Decimal("100.00")),
        (2, Decimal("50.25")),
    ]


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"], ids=["utf8", "bom", "gbk", "gb18030"]
)
def test_csv_is_decoded_from_utf8_with_or_without_bom_and_from_gbk(encoding, project, manager):
    content = progress_file(
        "csv", progress_row(image_progress="研发楼主体已封顶"), encoding=encoding
    )

    result = run_import("progress", content, filename="p.csv", actor=manager)

    assert not result.errors
    assert MonthlyProgress.objects.get().image_progress == "研发楼主体已封顶"


def test_gbk_bytes_are_really_not_utf8():
    # Guard for the test above: the GBK file must need the fallback.
    content = csv_bytes([["项目编号"]], "gbk")
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")
    assert imports.decode_text(content).startswith("项目编号")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("1,234.50", Decimal("1234.50")),
        ("１２３４．５", Decimal("1234.50")),
        ("１，２３４", Decimal("1234.00")),
        ("  12.3 ", Decimal("12.30")),
        ("", Decimal("0.00")),
        (None, Decimal("0.00")),
    ],
)
def test_messy_amounts_are_read_exactly(fmt, cell, expected, project, manager):
    # No inclusion: inclusion above investment would be queried as unusual.
    content = progress_file(fmt, progress_row(investment=cell, inclusion="0"))

    result = run_import("progress", content, filename="p", actor=manager)

    assert not result.errors
    assert MonthlyProgress.objects.get().investment == expected


def test_xlsx_numeric_amounts_keep_their_cents(project, manager):
    content = progress_file("xlsx", progress_row(investment=1234.5, inclusion=0.1 + 0.2))

    run_import("progress", content, filename="p.xlsx", actor=manager)

    entry = MonthlyProgress.objects.get()
    assert (entry.investment, entry.inclusion) == (Decimal("1234.50"), Decimal("0.30"))


@pytest.mark.parametrize("fmt", FORMATS)
def test_title_rows_above_the_header_and_blank_trailing_rows_are_skipped(fmt, project, manager):
    content = make_file(
        fmt,
        [
            ["2024年市级攻坚项目月度进展表"],
            ["填报单位：区发展和改革局", "", "单位：万元"],
            PROGRESS_HEADERS,
            progress_row(),
            ["", "", ""],
            [None] * 7,
        ],
    )

    result = run_import("progress", content, filename="p", actor=manager)

    assert not result.errors
    assert result.plan.rows[0].row == 4
    assert MonthlyProgress.objects.count() == 1


def test_headers_match_english_names_half_width_brackets_and_spaces(project, manager):
    headers = [
        " code ",
        "年度",
        "月份 ",
        "完成投资(万元)",
        "inclusion",
        "image_progress",
        "problems",
    ]
    content = progress_file("csv", progress_row(inclusion="7"), headers=headers)

    result = run_import("progress", content, filename="p.csv", actor=manager)

    assert not result.errors
    assert MonthlyProgress.objects.get().inclusion == Decimal("7.00")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_progress_file_with_the_old_headers_without_dangyue_still_imports(fmt, project, manager):
    # Units keep templates made before the headers said 当月; those files must still import,
    # and the preview names the columns as the template does now.
    old = [
        "完成投资（万元）"
        if h == "当月完成投资（万元）"
        else "纳统额（万元）"
        if h == "当月纳统额（万元）"
        else h
        for h in PROGRESS_HEADERS
    ]
    assert old != PROGRESS_HEADERS
    content = progress_file(fmt, progress_row(investment="-5"), progress_row(month=4), headers=old)

    refused = run_import("progress", content, filename=f"p.{fmt}", actor=manager)
    assert error_cells(refused) == [(2, "当月完成投资（万元）")]

    content = progress_file(fmt, progress_row(investment="12.5", inclusion="7"), headers=old)
    result = run_import("progress", content, filename=f"p.{fmt}", actor=manager)

    assert not result.errors
    entry = MonthlyProgress.objects.get()
    assert (entry.investment, entry.inclusion) == (Decimal("12.50"), Decimal("7.00"))


def test_progress_amount_headers_say_dangyue():
    headers = {c.key: c.header for c in PROGRESS_COLUMNS}
    assert headers["investment"] == "当月完成投资（万元）"
    assert headers["inclusion"] == "当月纳统额（万元）"


@pytest.mark.parametrize(
    "cell",
    ["2024-03-15", "2024/3/15", "2024年3月15日", "2024.3.15", " ２０２４－０３－１５ ", "45366"],
)
def test_date_spellings_are_read(cell):
    assert imports.parse_date(cell) == dt.date(2024, 3, 15)


@pytest.mark.parametrize("cell", [dt.datetime(2024, 3, 15), dt.date(2024, 3, 15), 45366])
def test_xlsx_dates_and_serial_numbers_are_read_from_a_ledger(cell, manager):
    content = xlsx_bytes([LEDGER_HEADERS, ledger_row(**{"计划开工日期": cell})])

    result = run_import("ledger", content, filename="l.xlsx", actor=manager)

    assert not result.errors
    assert Project.objects.get().planned_start == dt.date(2024, 3, 15)


# --- refusals: row, column and reason; nothing written ----------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        (progress_row(investment="-5"), "当月完成投资（万元）", "negative"),
        (progress_row(inclusion="about 30"), "当月纳统额（万元）", "is not an amount"),
        (progress_row(investment="1,2"), "当月完成投资（万元）", "is not an amount"),
        (progress_row(month=13), "月份", "between 1 and 12"),
        (progress_row(month=0), "月份", "between 1 and 12"),
        (progress_row(code="NOPE-9"), "项目编号", "no project"),
        (progress_row(year="二〇二四"), "年度", "whole number"),
        (progress_row(investment="1.234"), "当月完成投资（万元）", "at most two decimal places"),
    ],
)
def test_bad_cells_are_refused_with_row_and_column_and_nothing_is_written(
    fmt, row, column, reason, project, settings, manager
):
    settings.LANGUAGE_CODE = "en"
    content = progress_file(fmt, progress_row(month=1), row)

    result = run_import("progress", content, filename="p", actor=manager)

    assert not result.written
    assert error_cells(result) == [(3, column)]
    assert reason in result.errors[0].message
    assert MonthlyProgress.objects.count() == 0


@pytest.mark.parametrize("fmt", FORMATS)
def test_impossible_date_is_refused_and_nothing_is_written(fmt, settings, manager):
    settings.LANGUAGE_CODE = "en"
    content = make_file(
        fmt,
        [
            LEDGER_HEADERS,
            ledger_row(),
            ledger_row(**{"项目编号": "CY-002", "计划竣工日期": "2024-02-30"}),
        ],
    )

    result = run_import("ledger", content, filename="l", actor=manager)

    assert error_cells(result) == [(3, "计划竣工日期")]
    assert "not a real date" in result.errors[0].message
    assert not Project.objects.exists()
    assert not Unit.objects.exists()


@pytest.mark.parametrize("fmt", FORMATS)
def test_two_rows_for_the_same_project_and_month_are_refused(fmt, project, settings, manager):
    settings.LANGUAGE_CODE = "en"
    content = progress_file(fmt, progress_row(), progress_row(investment="200"))

    result = run_import("progress", content, filename="p", actor=manager)

    assert error_cells(result) == [(3, "月份")]
    assert result.errors[0].message.startswith("Row 2 already has CY-001 for 2024-03")
    assert MonthlyProgress.objects.count() == 0


@pytest.mark.parametrize("fmt", FORMATS)
def test_missing_required_column_is_named(fmt, project, manager):
    headers = [h for h in PROGRESS_HEADERS if h != "当月纳统额（万元）"]
    content = make_file(fmt, [headers, ["CY-001", 2024, 3, "1", "", ""]])

    result = run_import("progress", content, filename="p", actor=manager)

    assert error_cells(result) == [(1, "当月纳统额（万元）")]
    assert MonthlyProgress.objects.count() == 0


@pytest.mark.parametrize(
    "content",
    [b"", b"   \r\n \r\n", b",,,\r\n,,\r\n", xlsx_bytes([]), xlsx_bytes([[None, None]])],
    ids=["zero-bytes", "blank-lines", "empty-cells", "empty-xlsx", "blank-xlsx"],
)
def test_empty_file_is_refused(content, settings, manager):
    settings.LANGUAGE_CODE = "en"
    with pytest.raises(ImportFileError, match="empty"):
        run_import("progress", content, filename="p", actor=manager)


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00\x00",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"PK\x03\x04 this is not really a zip",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old excel",
        b"\xff\xfe\xfd\x80\x81 binary",
    ],
    ids=["pdf", "png", "broken-zip", "xls", "binary"],
)
def test_file_that_is_not_csv_or_xlsx_is_refused(content, settings, manager):
    settings.LANGUAGE_CODE = "en"
    with pytest.raises(ImportFileError, match="xlsx"):
        run_import("progress", content, filename="p", actor=manager)


def test_text_without_any_header_row_is_refused(settings, manager):
    settings.LANGUAGE_CODE = "en"
    with pytest.raises(ImportFileError, match="header row"):
        run_import("progress", b"hello,world\r\n1,2\r\n", filename="p.csv", actor=manager)


def test_one_bad_row_among_many_keeps_all_good_rows_out(project, manager):
    other, third = ProjectFactory(code="CY-002"), ProjectFactory(code="CY-003")
    # Months up to June only: the test runs at the end of June, and later months are refused.
    rows = [progress_row(month=m) for m in range(1, 7)]
    rows += [progress_row(code=third.code, month=m) for m in range(1, 6)]
    rows.append(progress_row(code=other.code, month=5, inclusion="-1"))

    result = run_import("progress", progress_file("csv", *rows), filename="p.csv", actor=manager)

    assert result.counts["new"] == 11
    assert error_cells(result) == [(13, "当月纳统额（万元）")]
    assert MonthlyProgress.objects.count() == 0


def test_locked_month_refusal_from_the_services_becomes_a_row_error(project, settings):
    settings.LANGUAGE_CODE = "en"
    staff = user_with_role("unit_staff")
    project.unit.members.add(staff)
    PeriodLock.objects.create(year=2024, month=2)
    content = progress_file("csv", progress_row(month=1), progress_row(month=2))

    result = run_import("progress", content, filename="p.csv", actor=staff)

    assert [e.row for e in result.errors] == [3]
    assert "locked" in result.errors[0].message
    assert MonthlyProgress.objects.count() == 0


def test_model_rules_from_full_clean_name_their_column(settings, manager):
    settings.LANGUAGE_CODE = "en"
    row = ledger_row(**{"计划开工日期": "2024-05-01", "计划竣工日期": "2024-04-01"})

    result = run_import("ledger", csv_bytes([LEDGER_HEADERS, row]), filename="l.csv", actor=manager)

    assert error_cells(result) == [(2, "计划竣工日期")]
    assert "before the planned start" in result.errors[0].message
    assert not Project.objects.exists()


def test_future_actual_start_is_refused_as_in_the_admin(settings, manager):
    settings.LANGUAGE_CODE = "en"
    row = ledger_row(**{"实际开工日期": "2024-07-01"})

    result = run_import("ledger", csv_bytes([LEDGER_HEADERS, row]), filename="l.csv", actor=manager)

    assert error_cells(result) == [(2, "实际开工日期")]


def test_new_start_without_planned_start_is_refused(manager):
    row = ledger_row(**{"计划开工日期": ""})

    result = run_import("ledger", csv_bytes([LEDGER_HEADERS, row]), filename="l.csv", actor=manager)

    assert error_cells(result) == [(2, "计划开工日期")]


def test_unknown_kind_of_project_is_refused(manager):
    row = ledger_row(**{"建设性质": "改建"})

    result = run_import("ledger", csv_bytes([LEDGER_HEADERS, row]), filename="l.csv", actor=manager)

    assert error_cells(result) == [(2, "建设性质")]


# --- the preview plan -------------------------------------------------------------------------


def test_preview_lists_new_changed_with_old_and_new_values_and_unchanged(project, manager):
    MonthlyProgressFactory(project=project, month=1, investment=Decimal("50"))
    MonthlyProgressFactory(project=project, month=2, investment=Decimal("60"), inclusion=80)
    content = progress_file(
        "csv",
        progress_row(month=1, investment="55", inclusion="40"),
        progress_row(month=2, investment="60", inclusion="80"),
        progress_row(month=3),
    )

    result = run_import("progress", content, filename="p.csv", dry_run=True, actor=manager)

    assert result.counts == {"new": 1, "changed": 1, "unchanged": 1, "errors": 0}
    (changed,) = result.plan.with_status("changed")
    assert changed.row == 2
    assert [(c.column, c.old, c.new) for c in changed.changes] == [
        ("当月完成投资（万元）", "50.00", "55.00")
    ]
    assert not result.written
    assert project.progress.get(month=1).investment == Decimal("50.00")
    assert not project.progress.filter(month=3).exists()


def test_ledger_preview_lists_new_lookups_so_a_typo_shows(manager):
    ProgrammeFactory(name="2024年市级攻坚项目")
    UnitFactory(name="区发展和改革局")
    content = csv_bytes([LEDGER_HEADERS, ledger_row(**{"所在街道": "流亭街道办"})])

    result = run_import("ledger", content, filename="l.csv", dry_run=True, actor=manager)

    assert {(lookup.name, lookup.first_row) for lookup in result.plan.new_lookups} == {
        ("先进制造业", 2),
        ("流亭街道办", 2),
    }
    assert not Street.objects.exists() and not Category.objects.exists()


def test_ledger_import_creates_projects_plans_and_lookups_with_history():
    user = UserFactory(is_superuser=True)
    content = csv_bytes(
        [
            LEDGER_HEADERS,
            ledger_row(),
            ledger_row(**{"年度": 2025, "一季度计划投资（万元）": "5,000"}),
            ledger_row(**{"项目编号": "CY-002", "建设性质": "续建", "计划开工日期": ""}),
        ]
    )

    result = run_import("ledger", content, filename="台账.csv", actor=user)

    assert not result.errors
    project = Project.objects.get(code="CY-001")
    assert project.unit.name == "区发展和改革局"
    assert project.joined_on == dt.date(2024, 1, 1)
    assert project.programme.year == 2024
    assert list(project.plans.values_list("year", "investment_q1")) == [
        (2024, Decimal("1000.00")),
        (2025, Decimal("5000.00")),
    ]
    assert Project.objects.get(code="CY-002").kind == Project.Kind.CONTINUING
    record = project.history.get()
    assert (record.history_user, record.history_change_reason) == (user, "导入 台账.csv")


def test_same_project_with_different_details_on_two_rows_is_refused(manager):
    content = csv_bytes(
        [LEDGER_HEADERS, ledger_row(), ledger_row(**{"年度": 2025, "项目名称": "别的名字"})]
    )

    result = run_import("ledger", content, filename="l.csv", actor=manager)

    assert error_cells(result) == [(3, "项目名称")]
    assert not Project.objects.exists()


# --- idempotency, round trip, permissions, query counts ----------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_importing_the_same_file_twice_changes_nothing_and_adds_no_history(fmt):
    user = UserFactory(is_superuser=True)
    content = make_file(fmt, [LEDGER_HEADERS, ledger_row()])
    run_import("ledger", content, filename="l", actor=user)
    progress = progress_file(fmt, progress_row(image_progress="研发楼主体已封顶"))
    run_import("progress", progress, filename="p", actor=user)
    histories = (
        Project.history.count(),
        QuarterPlan.history.count(),
        MonthlyProgress.history.count(),
    )

    again = run_import("ledger", content, filename="l", actor=user)
    again_progress = run_import("progress", progress, filename="p", actor=user)

    assert again.counts == {"new": 0, "changed": 0, "unchanged": 1, "errors": 0}
    assert again_progress.counts == {"new": 0, "changed": 0, "unchanged": 1, "errors": 0}
    assert histories == (
        Project.history.count(),
        QuarterPlan.history.count(),
        MonthlyProgress.history.count(),
    )
    assert MonthlyProgress.history.get().history_user == user


def test_export_then_import_round_trips_with_no_changes(manager):
    withdrawn = ProjectFactory(
        code="CY-9",
        name='=HYPERLINK("x")',
        kind=Project.Kind.CONTINUING,
        planned_start=None,
        actual_start=dt.date(2023, 5, 6),
        withdrawn_on=dt.date(2024, 5, 31),
        leader="李四",
        total_investment=Decimal("1234567.89"),
        image_progress="主体封顶",
    )
    QuarterPlanFactory(project=withdrawn, investment_q3=Decimal("0.01"))
    QuarterPlanFactory(project=withdrawn, year=2025)
    ProjectFactory(code="CY-1", planned_completion=dt.date(2026, 6, 30))  # no plan at all
    before = Project.history.count(), QuarterPlan.history.count()

    result = run_import("ledger", ledger_xlsx(), filename="ledger.xlsx", actor=manager)

    assert not result.errors
    assert result.counts == {"new": 0, "changed": 0, "unchanged": 3, "errors": 0}
    assert (Project.history.count(), QuarterPlan.history.count()) == before


def test_unit_staff_row_for_another_unit_is_an_error_not_a_skip(project, settings):
    settings.LANGUAGE_CODE = "en"
    staff = user_with_role("unit_staff")
    project.unit.members.add(staff)
    foreign = ProjectFactory(code="CY-777")
    content = progress_file("csv", progress_row(), progress_row(code=foreign.code))

    result = run_import("progress", content, filename="p.csv", actor=staff)

    assert error_cells(result) == [(3, "项目编号")]
    assert "not the code of one of your unit's projects" in result.errors[0].message
    assert MonthlyProgress.objects.count() == 0


def test_unit_staff_can_import_their_own_units_progress(project):
    staff = user_with_role("unit_staff")
    project.unit.members.add(staff)

    result = run_import("progress", progress_file("csv", progress_row()), filename="p", actor=staff)

    assert result.written and not result.errors
    assert MonthlyProgress.objects.get().updated_by == staff


def test_unit_staff_cannot_add_projects_or_lookups_by_ledger(settings):
    settings.LANGUAGE_CODE = "en"
    staff = UserFactory()

    result = run_import(
        "ledger", csv_bytes([LEDGER_HEADERS, ledger_row()]), filename="l", actor=staff
    )

    assert result.errors and not result.written
    assert all("your unit's projects" in e.message for e in result.errors)
    assert not Unit.objects.exists() and not Project.objects.exists()


def _progress_plan_queries(count: int, manager) -> int:
    projects = ProjectFactory.create_batch(count)
    for p in projects[: count // 2]:
        MonthlyProgressFactory(project=p, month=1)
    rows = [progress_row(code=p.code, month=1) for p in projects]
    content = progress_file("csv", *rows)
    with CaptureQueriesContext(connection) as queries:
        plan = plan_progress(content, filename="p.csv", actor=manager)
    assert not plan.errors and len(plan.rows) == count
    return len(queries)


def test_reading_a_progress_file_takes_the_same_queries_for_ten_or_two_hundred_rows(manager):
    manager.has_perm("projects.view_project")  # permissions are read once per request
    assert _progress_plan_queries(10, manager) == _progress_plan_queries(200, manager) == 2


def test_reading_a_ledger_takes_a_fixed_number_of_queries(manager):
    manager.has_perm("projects.view_project")  # permissions are read once per request
    ProjectFactory.create_batch(5)
    content = ledger_xlsx()
    with CaptureQueriesContext(connection) as small:
        imports.plan_ledger(content, actor=manager)
    ProjectFactory.create_batch(50)
    content = ledger_xlsx()
    with CaptureQueriesContext(connection) as large:
        imports.plan_ledger(content, actor=manager)
    # One query per named list or classification (programme, category, unit, street, 行业,
    # 包联领导), the projects, their plans: none per row.
    assert len(small) == len(large) <= 9


def _apply_queries(count: int, manager) -> int:
    projects = ProjectFactory.create_batch(count)
    content = progress_file(
        "csv", *[progress_row(code=p.code, image_progress="基础") for p in projects]
    )
    plan = plan_progress(content, filename="p.csv", actor=manager)
    with CaptureQueriesContext(connection) as queries:
        result = imports.apply_plan(plan, actor=manager)
    assert result.written and MonthlyProgress.objects.filter(project__in=projects).count() == count
    return len(queries)


def test_writing_new_progress_takes_a_handful_of_queries_not_one_per_row(manager):
    # Inserts are batched (SQLite caps parameters per statement, so a few batches). The
    # plausibility review reads the settings, the projects' months and their units' month
    # for the whole file and again in the service (the first call also creates the settings).
    # On PostgreSQL the file's months also take their write lock (services/period_guard.py):
    # one statement more, whatever the number of rows. The settings keep a history, so
    # creating them writes its first record: one more again. The data versions are bumped
    # twice (services/versions.py): the month's, for the figures, and the list's year, for
    # the projects' image progress the file moves; and the projects' entries' versions, one
    # statement for up to 400 projects (models.versions.ENTRY_BUMPS_AT_ONCE).
    assert _apply_queries(20, manager) <= 25
    assert _apply_queries(300, manager) <= 29


def test_changed_entries_get_a_new_version_and_history_naming_the_import(project):
    user = UserFactory(is_superuser=True)
    entry = MonthlyProgressFactory(project=project, month=3, investment=Decimal("1"))

    run_import("progress", progress_file("csv", progress_row()), filename="三月.csv", actor=user)

    entry.refresh_from_db()
    assert (entry.investment, entry.version, entry.updated_by) == (Decimal("100.00"), 2, user)
    record = entry.history.first()
    assert (record.history_type, record.history_user, record.history_change_reason) == (
        "~",
        user,
        "导入 三月.csv",
    )


def test_project_image_progress_follows_the_latest_imported_month(project, manager):
    content = progress_file(
        "csv",
        progress_row(month=4, image_progress="主体施工"),
        progress_row(month=2, image_progress="基础施工"),
    )

    run_import("progress", content, filename="p.csv", actor=manager)

    project.refresh_from_db()
    assert project.image_progress == "主体施工"


def test_submitted_month_is_refused_for_unit_staff(project, settings):
    from projects.models import MonthSubmission

    settings.LANGUAGE_CODE = "en"
    staff = user_with_role("unit_staff")
    project.unit.members.add(staff)
    MonthSubmission.objects.create(
        unit=project.unit, year=2024, month=3, status=MonthSubmission.Status.SUBMITTED
    )

    result = run_import("progress", progress_file("csv", progress_row()), filename="p", actor=staff)

    assert [e.row for e in result.errors] == [2]
    assert "already submitted" in result.errors[0].message
    assert not MonthlyProgress.objects.exists()


def test_progress_batch_refuses_a_stale_version_and_writes_nothing(project, manager):
    from projects import services

    entry = MonthlyProgressFactory(project=project, month=1)
    entries = [
        services.ProgressInput(project, 2024, 2, Decimal("1"), Decimal("1")),
        services.ProgressInput(project, 2024, 1, Decimal("2"), Decimal("2"), expected_version=7),
    ]

    refusals = services.record_progress_batch(actor=manager, entries=entries)

    assert list(refusals) == [1]
    assert refusals[1].code == "stale"
    assert MonthlyProgress.objects.get() == entry


def test_demo_ledger_exports_and_imports_back_unchanged(demo_db, manager):
    content = ledger_xlsx()

    plan = imports.plan_ledger(content, filename="demo.xlsx", actor=manager)
    result = imports.apply_plan(plan, dry_run=True, actor=manager)

    assert not result.errors
    assert plan.counts["unchanged"] == Project.objects.count() > 100
    assert plan.counts["new"] == plan.counts["changed"] == 0
    assert not plan.new_lookups
