"""Every file the app writes survives text stored with control characters, and runs no formula.

The rows here are written straight into the database with ``QuerySet.update``, past every
door, as rows stored before the edge cleaner are: a unit named
``=HYPERLINK(...)<0x0B>单位``, a project, a month's 形象进度, a problem and a node holding
the vertical tab Excel stores for a pasted line break and other C0 controls.
"""

import csv
import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from projects.coordination import services as problems
from projects.coordination.models import Problem
from projects.imports.ledger_files import ledger_xlsx
from projects.milestones import services as nodes
from projects.milestones.models import Milestone
from projects.models import Leader, MonthlyProgress, Project, Unit
from projects.text import FORMULA_TRIGGERS
from tests.factories import (
    MonthlyProgressFactory,
    ProgrammeFactory,
    ProjectFactory,
    QuarterPlanFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db

HOSTILE_UNIT = '=HYPERLINK("http://x","甲")\x0b单位'
# How every spreadsheet cell must show it: the line break kept, the formula guarded.
GUARDED_UNIT = '\'=HYPERLINK("http://x","甲")\n单位'
# What openpyxl refuses (IllegalCharacterError) and XML 1.0 cannot hold.
UNWRITABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@pytest.fixture
def stored(manager, staff_a):
    programme = ProgrammeFactory(year=2024)
    unit = UnitFactory(code="HX", name="临时单位")
    unit.members.add(staff_a)
    staff_a.email = "staff_a@example.cn"
    staff_a.save()
    project = ProjectFactory(programme=programme, unit=unit, code="HX001", leader="张三")
    QuarterPlanFactory(project=project, investment_q1=Decimal("8"))
    MonthlyProgressFactory(project=project, month=1, investment=Decimal("1"))
    problem = problems.raise_problem(
        actor=manager,
        project=project,
        description="征地",
        kind="utilities",
        raised_on=dt.date(2024, 4, 1),
    )
    node = nodes.save_milestone(
        actor=manager,
        project=project,
        name="施工许可",
        planned_date=dt.date(2024, 4, 5),
        actual_date=None,
    )
    # Past every door, as rows stored before the cleaner were.
    Unit.objects.filter(pk=unit.pk).update(name=HOSTILE_UNIT)
    Project.objects.filter(pk=project.pk).update(
        name="物元\x0b项目\x01", image_progress="主体\x0b施工\x1b"
    )
    Leader.objects.filter(pk=project.leader_id).update(name="张\x0c三")
    MonthlyProgress.objects.filter(project=project).update(
        image_progress="主体\x0b施工\x02", problems="缺\x0b电"
    )
    Problem.objects.filter(pk=problem.pk).update(
        description="征地\x0b未摘牌\x03", leader="李\x0b四"
    )
    Milestone.objects.filter(pk=node.pk).update(name="施工\x0c许可")
    return programme


def _content(response) -> bytes:
    assert response.status_code == 200, response.status_code
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def _xlsx_texts(content: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(content))
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    return texts


def _csv_texts(content: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for cell in row]


def _assert_safe(texts: list[str]) -> None:
    assert GUARDED_UNIT in texts or any(t.startswith(GUARDED_UNIT) for t in texts), texts
    assert not [t for t in texts if t.startswith(FORMULA_TRIGGERS)]
    assert not [t for t in texts if UNWRITABLE.search(t)]


@pytest.mark.parametrize("query", ["", "?unit=HX"])
@pytest.mark.parametrize("path", ["/reports/2024/q1.xlsx", "/reports/2024/m3.xlsx"])
def test_report_xlsx_of_stored_control_characters_opens_with_unit_names_guarded(
    manager_client, stored, path, query
):
    _assert_safe(_xlsx_texts(_content(manager_client.get(path + query))))


@pytest.mark.parametrize("query", ["", "?unit=HX"])
def test_report_csv_of_stored_control_characters_has_unit_names_guarded(
    manager_client, stored, query
):
    _assert_safe(_csv_texts(_content(manager_client.get(f"/reports/2024/q1.csv{query}"))))


@pytest.mark.parametrize("query", ["", "?unit=HX"])
def test_briefing_docx_of_stored_control_characters_opens(manager_client, stored, query):
    response = manager_client.get(reverse("briefing_docx", args=[2024, 1]) + query)
    document = Document(io.BytesIO(_content(response)))
    assert document.paragraphs
    # A filtered briefing's file name is one line, whatever the unit's stored name holds.
    assert "\n" not in response["Content-Disposition"]


def test_agenda_xlsx_opens_with_unit_and_problem_text_guarded(manager_client, stored):
    texts = _xlsx_texts(_content(manager_client.get(reverse("problem_agenda", args=["xlsx"]))))
    _assert_safe(texts)
    assert "征地\n未摘牌" in texts


def test_agenda_docx_of_stored_control_characters_opens(manager_client, stored):
    response = manager_client.get(reverse("problem_agenda", args=["docx"]))
    document = Document(io.BytesIO(_content(response)))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert any("未摘牌" in text for text in cells)


def test_node_xlsx_opens_with_unit_names_guarded(manager_client, stored):
    url = reverse("node_export", args=["xlsx"])
    texts = _xlsx_texts(_content(manager_client.get(url, {"flag": "all"})))
    _assert_safe(texts)
    assert "施工\n许可" in texts


def test_node_csv_has_unit_names_guarded(manager_client, stored):
    url = reverse("node_export", args=["csv"])
    _assert_safe(_csv_texts(_content(manager_client.get(url, {"flag": "all"}))))


def test_status_csv_has_unit_names_guarded(manager_client, stored):
    _assert_safe(_csv_texts(_content(manager_client.get(reverse("status_csv", args=[2024, 3])))))


def test_ledger_export_of_stored_control_characters_opens_with_unit_names_guarded(stored):
    texts = _xlsx_texts(ledger_xlsx())
    _assert_safe(texts)
    assert "物元\n项目" in texts


def test_remind_units_csv_has_unit_names_guarded(stored):
    out = io.StringIO()
    call_command(
        "remind_units", "--date", "2024-04-15", "--format", "csv", stdout=out, stderr=io.StringIO()
    )
    _assert_safe(_csv_texts(out.getvalue().encode()))


def test_remind_units_email_with_a_line_break_in_a_unit_name_sends_every_mail(
    settings, stored, unit_a, staff_a
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # A second unit after the hostile one: the run must not stop at the first.
    other = UnitFactory(code="ZZ", name="乙\u2028单位")
    ProjectFactory(programme=stored, unit=other, code="ZZ001")
    other.members.add(staff_a)
    call_command(
        "remind_units",
        "--date",
        "2024-04-15",
        "--email",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    subjects = [message.subject for message in mail.outbox]
    assert any("单位" in s and "HYPERLINK" in s for s in subjects), subjects
    assert any("乙 单位" in s for s in subjects), subjects
    assert not [s for s in subjects if re.search(r"[\r\n\x0b\u2028]", s)]
