"""项目代码 (GB/T 40058-2021): one structural rule, applied at every door that writes or reads."""

import datetime as dt
import io
import json

import openpyxl
import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from projects import demo
from projects.imports import run_import
from projects.imports.ledger_files import ledger_xlsx
from projects.models import Project
from projects.models.fields import normalise_national_code, validate_national_code
from tests.admin.test_project_codes import project_form
from tests.factories import MonthlyProgressFactory, ProjectFactory, QuarterPlanFactory
from tests.importfiles import LEDGER_HEADERS, ledger_row, make_file

pytestmark = pytest.mark.django_db

GOOD = "2024-370214-04-01-000123"


@pytest.fixture(autouse=True)
def _mid_2024():
    with time_machine.travel(dt.datetime(2024, 6, 30, 12, 0), tick=False):
        yield


def _refusal(value) -> str:
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        validate_national_code(value)
    return caught.value.messages[0]


def test_a_well_formed_code_of_this_district_passes_and_blank_is_allowed():
    validate_national_code(GOOD)
    validate_national_code("2024-370214-04-03-00012X")  # check character may be a letter
    validate_national_code("")


@pytest.mark.parametrize(
    "value",
    [
        "2024-370214-04-01-00012",  # 23 characters
        "2024-370214-04-01-0001234",  # 25
        "2024370214-04-01-0001234",  # a hyphen missing
        "2024-370214-0A-01-000123",  # letter where the department's digits go
        "2024-370214-04-01-00A123",  # letter in the serial
        "项目代码-370214-04-01-000123",
    ],
)
def test_a_malformed_code_is_refused_with_the_structure_spelled_out(value):
    message = _refusal(value)
    assert "24" in message and "年份" in message and "校验码" in message and "370214" in message


def test_a_year_in_the_future_or_before_2000_is_refused():
    assert "2025" in _refusal("2025-370214-04-01-000123")
    assert "1999" in _refusal("1999-370214-04-01-000123")


def test_another_districts_code_is_refused_naming_both_regions():
    message = _refusal("2024-370212-04-01-000123")
    assert "370212" in message and "370214" in message


@override_settings(TRACKER_REGION_CODE="370213")
def test_the_region_comes_from_the_setting():
    validate_national_code("2024-370213-04-01-000123")
    assert "370213" in _refusal(GOOD)


def test_full_width_spaced_or_hyphenless_typing_is_stored_in_one_form():
    assert normalise_national_code("２０２４-３７０２１４-０４-０１-０００１２３") == GOOD
    assert normalise_national_code(" 20243702140401000123 ") == GOOD
    assert normalise_national_code("2024-370214-04-03-00012x") == "2024-370214-04-03-00012X"
    project = ProjectFactory(national_code="")
    project.national_code = "20243702140401000123"
    project.full_clean()
    assert project.national_code == GOOD


def test_a_code_names_one_project_but_many_may_have_none():
    ProjectFactory(code="A", national_code=GOOD)
    ProjectFactory(code="B", national_code="")
    ProjectFactory(code="C", national_code="")
    twin = ProjectFactory(code="D")
    twin.national_code = GOOD
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        twin.full_clean()
    assert "已有项目使用此项目代码" in caught.value.message_dict["national_code"][0]


# ---------------------------------------------------------------- doors


def test_the_admin_refuses_a_bad_code_in_chinese_and_stores_a_good_one(manager_client):
    project = ProjectFactory(code="CY-001")
    url = reverse("admin:projects_project_change", args=[project.pk])
    form = project_form(project, "CY-001")
    response = manager_client.post(url, {**form, "national_code": "2024-370212-04-01-000123"})
    assert response.status_code == 200
    assert "370214" in response.context["adminform"].form.errors["national_code"][0]
    response = manager_client.post(url, {**form, "national_code": "20243702140401000123"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Project.objects.get().national_code == GOOD


def test_the_admin_finds_a_project_by_its_code(manager_client):
    ProjectFactory(code="CY-001", name="甲项目", national_code=GOOD)
    ProjectFactory(code="CY-002", name="乙项目")
    response = manager_client.get(reverse("admin:projects_project_changelist"), {"q": "000123"})
    assert response.status_code == 200
    assert [p.code for p in response.context["cl"].result_list] == ["CY-001"]


def test_the_ledger_import_reads_the_column_and_refuses_a_bad_code_on_its_row(manager):
    content = make_file(
        "csv",
        [
            LEDGER_HEADERS,
            ledger_row(项目代码="２０２４３７０２１４０４０１０００１２３"),
            ledger_row(项目编号="CY-002", 项目代码="2024-370214-04-01"),
        ],
    )
    with translation.override("zh-hans"):
        result = run_import("ledger", content, filename="l.csv", actor=manager)
        messages = [str(error) for error in result.plan.errors]
    assert not result.written and len(messages) == 1
    assert "第3行" in messages[0].replace(" ", "") and "项目代码" in messages[0]

    good = make_file(
        "csv", [LEDGER_HEADERS, ledger_row(项目代码="２０２４３７０２１４０４０１０００１２３")]
    )
    result = run_import("ledger", good, filename="l.csv", actor=manager)
    assert result.written and not result.plan.errors
    assert Project.objects.get(code="CY-001").national_code == GOOD


def test_the_ledger_import_refuses_a_code_another_project_holds(manager):
    ProjectFactory(code="OTHER", national_code=GOOD)
    content = make_file("csv", [LEDGER_HEADERS, ledger_row(项目代码=GOOD)])
    with translation.override("zh-hans"):
        result = run_import("ledger", content, filename="l.csv", actor=manager)
        messages = [str(error) for error in result.errors]
    assert not result.written and len(messages) == 1
    assert "项目代码" in messages[0] and "已有项目使用此项目代码" in messages[0]


def test_the_ledger_export_writes_the_code_and_reads_back_unchanged(manager):
    ProjectFactory(code="CY-001", national_code=GOOD)
    exported = ledger_xlsx(Project.objects.all())
    header, row = list(openpyxl.load_workbook(io.BytesIO(exported)).worksheets[0].values)[:2]
    assert row[header.index("项目代码")] == GOOD


def _reported_project():
    project = ProjectFactory(code="CY-001", national_code=GOOD)
    QuarterPlanFactory(project=project, year=project.programme.year)
    MonthlyProgressFactory(project=project, year=project.programme.year, month=3)
    return project


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_report_files_carry_the_code_beside_the_project(manager_client):
    project = _reported_project()
    args = [project.programme.year, 1]
    csv_text = _body(manager_client.get(reverse("export_report", args=[*args, "csv"])))
    lines = csv_text.decode("utf-8-sig").splitlines()
    head = next(line for line in lines if line.startswith("项目编号"))
    row = next(line for line in lines if line.startswith("CY-001"))
    assert head.split(",")[2] == "项目代码" and row.split(",")[2] == GOOD
    document = json.loads(_body(manager_client.get(reverse("export_report", args=[*args, "json"]))))
    assert document["rows"][0]["national_code"] == GOOD
    xlsx = _body(manager_client.get(reverse("export_report", args=[*args, "xlsx"])))
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx))["项目明细"]
    rows = [r for r in sheet.values if r and r[0] in ("项目编号", "CY-001")]
    assert rows[1][rows[0].index("项目代码")] == GOOD


def test_the_project_page_shows_the_code_only_when_there_is_one(manager_client):
    with_code = ProjectFactory(code="CY-001", national_code=GOOD)
    without = ProjectFactory(code="CY-002", programme=with_code.programme)
    page = manager_client.get(reverse("project_detail", args=[with_code.code])).content.decode()
    assert "项目代码" in page and GOOD in page
    page = manager_client.get(reverse("project_detail", args=[without.code])).content.decode()
    assert "项目代码" not in page


def test_every_demo_project_has_a_distinct_well_formed_code_the_same_on_every_run():
    codes = [p.national_code for p in demo.build()]
    assert len(set(codes)) == len(codes) == 147
    for code in codes:
        validate_national_code(code)
    assert codes == [p.national_code for p in demo.build()]
