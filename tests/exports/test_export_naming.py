"""Files say what they are: a filtered export names its filter; the workbook prints on A4."""

import io
from decimal import Decimal
from urllib.parse import quote

import pytest
from openpyxl import load_workbook

from projects.exports import export_report_file
from projects.permissions import WHOLE_DISTRICT
from tests.factories import (
    MonthlyProgressFactory,
    ProgrammeFactory,
    ProjectFactory,
    QuarterPlanFactory,
    UnitFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme():
    programme = ProgrammeFactory()
    housing = UnitFactory(code="ZJJ", name="区住房和城乡建设局")
    for code, unit in (("A1", housing), ("B2", UnitFactory(code="FGJ", name="区发展和改革局"))):
        project = ProjectFactory(programme=programme, code=code, unit=unit)
        QuarterPlanFactory(project=project, investment_q1=Decimal("100"))
        MonthlyProgressFactory(project=project, month=2, investment=Decimal("116.4"))
    return programme


def export(programme, fmt, filters=None):
    return export_report_file(
        user=WHOLE_DISTRICT, programme=programme, year=2024, quarter=1, fmt=fmt, filters=filters
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json", "docx"])
def test_a_unit_file_names_the_unit(programme, fmt):
    name = export(programme, fmt, {"unit": "ZJJ"}).filename
    if fmt == "docx":
        assert name == "2024年一季度市级攻坚项目推进情况通报（区住房和城乡建设局）.docx"
    else:
        assert name == f"2024年一季度 · 区住房和城乡建设局 · 市级攻坚项目进展.{fmt}"


def test_the_whole_list_keeps_its_plain_name(programme):
    assert export(programme, "xlsx").filename == "2024年一季度市级攻坚项目进展.xlsx"


def test_a_unit_workbook_states_its_scope_in_its_first_rows(programme):
    workbook = load_workbook(io.BytesIO(export(programme, "xlsx", {"unit": "ZJJ"}).content))
    summary = workbook["汇总"]
    first = [summary.cell(row=r, column=1).value for r in range(1, 5)]
    assert first[0] == "2024年一季度 · 区住房和城乡建设局 · 市级攻坚项目进展"
    assert first[2].startswith("统计范围：区住房和城乡建设局")
    assert first[3].startswith("单位：万元")
    whole = load_workbook(io.BytesIO(export(programme, "xlsx").content))["汇总"]
    assert whole.cell(row=3, column=1).value == "统计范围：清单内全部项目"


def test_workbook_prints_landscape_one_page_wide_with_the_head_repeated(programme):
    workbook = load_workbook(io.BytesIO(export(programme, "xlsx", {"unit": "ZJJ"}).content))
    sheet = workbook["项目明细"]
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.freeze_panes == "C2"
    assert sheet.column_dimensions["B"].width >= 30
    assert "区住房和城乡建设局" in sheet.oddHeader.center.text
    assert workbook["按责任单位"].freeze_panes == "B2"


def test_csv_starts_with_its_header_and_names_the_filter_in_the_file_name(programme, client):
    client.force_login(user_with_role("manager"))
    response = client.get("/reports/2024/q1.csv?unit=ZJJ")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert body.splitlines()[0].startswith("项目编号,项目名称")
    assert quote("区住房和城乡建设局") in response.headers["Content-Disposition"]
