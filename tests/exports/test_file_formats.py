import csv
import io
import json
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from projects.exports import export_report_file, neutralise
from projects.permissions import WHOLE_DISTRICT
from tests.factories import (
    CategoryFactory,
    MonthlyProgressFactory,
    ProgrammeFactory,
    ProjectFactory,
    QuarterPlanFactory,
)

pytestmark = pytest.mark.django_db

FILENAME = "2024年一季度市级攻坚项目进展"


@pytest.fixture
def programme():
    """Two planned projects and one without a plan, one of them with a hostile name."""
    programme = ProgrammeFactory()
    a = ProjectFactory(programme=programme, code="A1", name='=HYPERLINK("http://x")')
    b = ProjectFactory(programme=programme, code="B2", name="普通项目", kind="continuing")
    ProjectFactory(programme=programme, code="C3", name="无计划项目", kind="continuing")
    QuarterPlanFactory(project=a, investment_q1=Decimal("8"), inclusion_q1=Decimal("10"))
    QuarterPlanFactory(project=b, investment_q1=Decimal("2"), inclusion_q1=Decimal("0"))
    MonthlyProgressFactory(
        project=a,
        month=1,
        investment=Decimal("12.34"),
        inclusion=Decimal("5"),
        image_progress="-主体封顶",
    )
    MonthlyProgressFactory(project=b, month=3, investment=Decimal("1"), inclusion=Decimal("2"))
    return programme


def export(programme, fmt, **kwargs):
    return export_report_file(
        user=WHOLE_DISTRICT, programme=programme, year=2024, quarter=1, fmt=fmt, **kwargs
    )


def read_csv(content: bytes):
    """The table's rows through the 合计 row; the notes after it are ``csv_notes``'."""
    rows = csv_rows(content)
    return rows[: [r[0] for r in rows].index("合计") + 1]


def csv_rows(content: bytes):
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def csv_notes(content: bytes):
    rows = csv_rows(content)
    return rows[[r[0] for r in rows].index("合计") + 1 :]


def test_csv_says_after_its_total_how_complete_the_figures_are(programme):
    # No unit has submitted March: the file says so below the total, one cell a line.
    notes = csv_notes(export(programme, "csv").content)
    assert notes and all(len(row) == 1 for row in notes)
    assert notes[0][0].startswith("截至3月，已报送0/")
    assert "本期数据未完结" in notes[-1][0]


def test_csv_has_bom_unit_headers_one_row_per_project_and_a_total(programme):
    result = export(programme, "csv")
    rows = read_csv(result.content)
    head, body, total = rows[0], rows[1:-1], rows[-1]
    assert "累计完成投资（万元）" in head
    assert [r[0] for r in body] == ["A1", "B2", "C3"]
    assert total[0] == "合计"
    column = head.index("累计完成投资（万元）")
    assert total[column] == "13.34"
    assert sum(Decimal(r[column]) for r in body) == Decimal(total[column])
    rate = head.index("投资完成率（%）")
    assert body[0][rate] == "154.3"  # 12.34 / 8, half up
    assert body[2][rate] == "—"  # no plan, no rate
    assert total[rate] == "133.4"
    assert result.filename == f"{FILENAME}.csv"
    assert result.content_type.startswith("text/csv")


def test_csv_neutralises_cells_that_would_run_as_formulas(programme):
    rows = read_csv(export(programme, "csv").content)
    assert rows[1][1] == '\'=HYPERLINK("http://x")'
    assert rows[1][rows[0].index("形象进度")] == "'-主体封顶"
    for value in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"]:
        assert neutralise(value) == "'" + value
    assert neutralise("物元") == "物元"


def test_csv_breakdown_tables(programme):
    category = CategoryFactory(code="ZZ", name="=城市更新")
    ProjectFactory(programme=programme, category=category, kind="continuing")
    rows = read_csv(export(programme, "csv", table="category").content)
    assert rows[0][0] == "项目类别"
    assert rows[-1][0] == "合计"
    assert "'=城市更新" in [r[0] for r in rows]
    assert sum(int(r[1]) for r in rows[1:-1]) == int(rows[-1][1]) == 4
    assert export(programme, "csv", table="unit").filename == f"{FILENAME}-按责任单位.csv"


def test_xlsx_stores_numbers_as_numbers_with_formats(programme):
    result = export(programme, "xlsx")
    workbook = load_workbook(io.BytesIO(result.content))
    # 按包联领导 and 按专班 come after the sheets superiors' systems already read.
    assert workbook.sheetnames == [
        "汇总",
        "按类别",
        "按责任单位",
        "按街道",
        "项目明细",
        "按包联领导",
        "按专班",
    ]
    summary = workbook["汇总"]
    assert summary["A1"].value == FILENAME
    sheet = workbook["项目明细"]
    head = [c.value for c in sheet[1]]
    actual = sheet.cell(row=2, column=head.index("累计完成投资（万元）") + 1)
    assert actual.data_type == "n" and actual.value == pytest.approx(12.34)
    assert actual.number_format == "#,##0.00"
    rate = sheet.cell(row=2, column=head.index("投资完成率（%）") + 1)
    assert rate.data_type == "n" and rate.value == pytest.approx(154.3)
    # A hostile name is text, not a formula.
    name = sheet.cell(row=2, column=2)
    assert name.data_type == "s" and name.value.startswith("'=")
    assert sheet.cell(row=sheet.max_row, column=1).value == "合计"


def test_json_carries_the_issue_keys_with_decimal_strings_and_null_rates(programme):
    data = json.loads(export(programme, "json").content)
    assert list(data) == [
        "programme",
        "year",
        "quarter",
        "period",
        "projects",
        "starts",
        "investment",
        "inclusion",
        "by_category",
        "by_unit",
        "by_street",
        "by_industry",
        "by_leader",
        "rows",
        "month",
        "title",
        "filters",
        "outlook",
        "plan_adjustments",
        "coverage",
        "edition",
        "list_changes",
        "campaigns",
        "rates",
        "library_rates",
        "light_changes",
        "by_task_force",
        "task_force_note",
    ]
    assert data["month"] is None and data["filters"] == []
    assert set(data["outlook"]["investment"]) == {
        "time_elapsed",
        "points_vs_time",
        "yoy_percent",
        "projected_annual",
    }
    assert data["period"] == {"start": "2024-01-01", "end": "2024-03-31"}
    assert set(data["starts"]) == {"planned", "actual", "early", "overdue"}
    keys = {"planned", "actual", "rate", "annual_plan", "annual_rate"}
    assert set(data["investment"]) == keys and set(data["inclusion"]) == keys
    assert data["investment"]["actual"] == "13.34"
    assert data["investment"]["rate"] == "133.4"
    rows = {r["code"]: r for r in data["rows"]}
    assert rows["C3"]["investment"]["rate"] is None
    assert rows["B2"]["inclusion"]["rate"] is None  # a zero inclusion plan
    assert data["projects"] == 3


def test_download_names_use_rfc6266_filename_star(client, programme, manager):
    client.force_login(manager)
    response = client.get("/reports/2024/q1.csv")
    assert response.status_code == 200
    assert f"filename*=utf-8''{quote(FILENAME)}.csv" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith("\ufeff".encode())


def test_exports_apply_the_page_filters(client, programme, manager):
    client.force_login(manager)
    response = client.get("/reports/2024/q1.json?kind=continuing")
    data = json.loads(b"".join(response.streaming_content))
    assert [r["code"] for r in data["rows"]] == ["B2", "C3"]
    assert data["projects"] == 2


def test_export_command_writes_csv_to_stdout_and_files(programme, tmp_path):
    out = io.StringIO()
    call_command("export_report", year=2024, quarter=1, stdout=out)
    assert out.getvalue().startswith("\ufeff项目编号")
    call_command(
        "export_report", "--year=2024", "--quarter=1", "--format=xlsx", f"--output={tmp_path}"
    )
    assert (tmp_path / f"{FILENAME}.xlsx").exists()
    target = tmp_path / "r.json"
    call_command(
        "export_report",
        year=2024,
        quarter=1,
        programme=programme.code,
        fmt="json",
        output=str(target),
    )
    assert json.loads(target.read_text("utf-8"))["programme"] == programme.code


def test_export_command_refuses_unknown_lists(programme):
    with pytest.raises(CommandError):
        call_command("export_report", year=2031, quarter=1)
    with pytest.raises(CommandError):
        call_command("export_report", year=2024, quarter=1, programme="NOPE")


def test_json_lays_out_each_object_of_a_list_on_a_line_and_reads_as_the_indented_document(
    programme,
):
    from projects.exports.json_file import _layout, to_dict
    from projects.selectors import quarterly_report

    text = export(programme, "json").content.decode("utf-8")
    report = quarterly_report(user=WHOLE_DISTRICT, programme=programme, year=2024, quarter=1)
    # The same document as the standard library's indented one, read back.
    assert json.loads(text) == json.loads(json.dumps(to_dict(report), ensure_ascii=False))
    lines, data = text.splitlines(), json.loads(text)
    # Each row and each breakdown group is one line, indented under its key.
    for key in ("rows", "by_unit", "by_category"):
        count = len(data[key])
        assert count >= 2
        start = lines.index(f'  "{key}": [')
        items = lines[start + 1 : start + 1 + count]
        assert [json.loads(line.strip().rstrip(","))["name"] for line in items]
        assert lines[start + 1 + count] in ("  ],", "  ]")
    # Objects and lists of plain values are indented as ``indent=2`` writes them.
    plain = {"a": {"b": [1, "二", None], "c": {}}, "d": [], "e": [{"f": 1}, {"g": [2]}]}
    assert _layout(plain) == (
        '{\n  "a": {\n    "b": [\n      1,\n      "二",\n      null\n    ],\n    "c": {}\n  },'
        '\n  "d": [],\n  "e": [\n    {"f": 1},\n    {"g": [2]}\n  ]\n}'
    )
