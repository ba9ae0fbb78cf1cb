"""行业 (GB/T 4754 section) as a ledger column and a report dimension, through the doors."""

import datetime as dt
import io
import json

import openpyxl
import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from projects.imports import run_import
from projects.imports.ledger_files import ledger_xlsx, template_xlsx
from projects.models import Project
from projects.models.reference import INDUSTRY_SECTIONS, Industry
from tests.importfiles import LEDGER_HEADERS, ledger_row, make_file

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _end_of_june_2024():
    with time_machine.travel(dt.datetime(2024, 6, 30, 12, 0), tick=False):
        yield


def _sheet(content: bytes) -> list[tuple]:
    return list(openpyxl.load_workbook(io.BytesIO(content)).worksheets[0].values)


def _with_cells(content: bytes, **cells) -> bytes:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheet = workbook.worksheets[0]
    header = [c.value for c in sheet[1]]
    for name, value in cells.items():
        sheet.cell(row=2, column=header.index(name) + 1, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_the_20_sections_are_there_with_their_chinese_names():
    sections = dict(Industry.objects.values_list("code", "name"))
    assert len(INDUSTRY_SECTIONS) == 20 and set(sections) >= {chr(c) for c in range(65, 85)}
    assert sections["A"] == "农、林、牧、渔业"
    assert sections["E"] == "建筑业"
    assert sections["N"] == "水利、环境和公共设施管理业"


def test_a_ledger_with_industry_round_trips_template_import_export(manager):
    template = template_xlsx("ledger")
    header, example = _sheet(template)
    assert example[header.index("行业")] == "制造业"
    # A unit fills in the template with its own project and imports it.
    filled = _with_cells(template, 项目编号="CY-101", 行业="C 制造业")
    result = run_import("ledger", filled, filename="l.xlsx", actor=manager)
    assert result.written and not result.errors and not result.plan.errors
    assert Project.objects.get(code="CY-101").industry.code == "C"

    exported = ledger_xlsx(Project.objects.filter(code="CY-101"))
    header, row = _sheet(exported)
    assert row[header.index("行业")] == "制造业"
    # Exported and imported again: nothing to change.
    again = run_import("ledger", exported, filename="l.xlsx", actor=manager, dry_run=True)
    assert not again.plan.errors
    assert again.plan.counts["unchanged"] == 1 and again.plan.counts.get("changed", 0) == 0


@pytest.mark.parametrize("cell", ["N", "n", "水利、环境和公共设施管理业", "Ｎ"])
def test_the_industry_cell_takes_the_letter_or_the_name(manager, cell):
    content = make_file("csv", [LEDGER_HEADERS, ledger_row(行业=cell)])
    result = run_import("ledger", content, filename="l.csv", actor=manager)
    assert not result.plan.errors and result.written
    assert Project.objects.get(code="CY-001").industry.code == "N"


def test_a_blank_industry_cell_clears_it_and_a_file_without_the_column_keeps_it(manager):
    content = make_file("csv", [LEDGER_HEADERS, ledger_row(行业="E")])
    run_import("ledger", content, filename="l.csv", actor=manager)
    headers_without = [h for h in LEDGER_HEADERS if h != "行业"]
    row = ledger_row(行业="")
    without = [cell for h, cell in zip(LEDGER_HEADERS, row, strict=True) if h != "行业"]
    run_import("ledger", make_file("csv", [headers_without, without]), filename="l", actor=manager)
    assert Project.objects.get(code="CY-001").industry.code == "E"
    run_import("ledger", make_file("csv", [LEDGER_HEADERS, row]), filename="l", actor=manager)
    assert Project.objects.get(code="CY-001").industry is None


def test_the_old_header_is_still_read(manager):
    headers = ["所属行业" if h == "行业" else h for h in LEDGER_HEADERS]
    content = make_file("csv", [headers, ledger_row(行业="K")])
    run_import("ledger", content, filename="l.csv", actor=manager)
    assert Project.objects.get(code="CY-001").industry.code == "K"


def test_an_unknown_industry_is_refused_in_chinese_naming_the_row_and_column(manager):
    content = make_file(
        "csv", [LEDGER_HEADERS, ledger_row(), ledger_row(项目编号="CY-002", 行业="Z 外星产业")]
    )
    with translation.override("zh-hans"):
        result = run_import("ledger", content, filename="l.csv", actor=manager)
        messages = [str(error) for error in result.plan.errors]
    assert not result.written and not Project.objects.exists()
    assert len(messages) == 1
    assert "第3行" in messages[0].replace(" ", "") and "行业" in messages[0]
    assert "“Z 外星产业”" in messages[0] and "国民经济行业分类" in messages[0]


# ---------------------------------------------------------------- the report


@pytest.fixture
def demo(demo_db):
    return None


def _report_json(client, **params):
    response = client.get(reverse("export_report", args=[2024, 1, "json"]), params)
    assert response.status_code == 200
    return json.loads(
        b"".join(response.streaming_content) if response.streaming else response.content
    )


def test_every_demo_project_has_a_plausible_industry(demo):
    assert not Project.objects.filter(industry__isnull=True).exists()
    codes = dict(Project.objects.values_list("name", "industry__code"))
    assert codes["物元半导体项目"] == "C"
    assert codes["城阳区人民医院门诊楼改扩建项目"] == "Q"
    assert codes["棘洪滩污水处理厂扩建项目"] == "N"
    assert {"C", "E", "N"} <= set(codes.values())


def test_the_industry_breakdown_sums_to_the_headline(demo, manager_client):
    report = _report_json(manager_client)
    groups = report["by_industry"]
    assert len(groups) > 2
    assert sum(g["projects"] for g in groups) == report["projects"]
    for measure in ("investment", "inclusion"):
        for part in ("planned", "actual", "annual_plan"):
            total = sum(float(g[measure][part]) for g in groups)
            assert round(total, 2) == float(report[measure][part]), (measure, part)


def test_the_industry_filter_keeps_that_sections_projects(demo, manager_client):
    whole = _report_json(manager_client)
    manufacturing = next(g for g in whole["by_industry"] if g["code"] == "C")
    filtered = _report_json(manager_client, industry="C")
    assert filtered["projects"] == manufacturing["projects"] < whole["projects"]
    assert filtered["investment"]["actual"] == manufacturing["investment"]["actual"]
    assert [g["code"] for g in filtered["by_industry"]] == ["C"]
    assert "制造业" in filtered["filters"]


def test_the_report_page_has_an_industry_table_and_the_project_page_names_it(demo, manager_client):
    with translation.override("zh-hans"):
        page = manager_client.get(
            reverse("quarterly_report", args=[2024, 1]), HTTP_ACCEPT_LANGUAGE="zh-hans"
        )
        assert page.status_code == 200
        assert "水利、环境和公共设施管理业" in page.content.decode()
        project = Project.objects.get(name="物元半导体项目")
        detail = manager_client.get(reverse("project_detail", args=[project.code]))
    assert detail.status_code == 200 and "制造业" in detail.content.decode()
