"""The month's due-for-入库 list at its thresholds, in the reader's reach, as a page, a CSV and
a to-do item; and a project's 入库 status on its page. The dispatch settings' defaults hold:
500 万元 and up, yellow after one whole month since the start, red after two."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.attachments import library_selectors as selectors
from projects.attachments import library_services as services
from projects.attachments.models import LibraryDocument
from projects.desk.todo import todo
from projects.milestones.selectors import months_between
from projects.models import DispatchSettings
from tests.factories import ProjectFactory
from tests.library.files import pdf

pytestmark = pytest.mark.django_db
day = dt.date


@pytest.fixture(autouse=True)
def _end_of_march_2024():
    with time_machine.travel(dt.datetime(2024, 3, 31, 2, 0), tick=False):
        yield


def started(unit, start, *, code, entry=None, total="10000"):
    return ProjectFactory(
        code=code,
        unit=unit,
        actual_start=start,
        statistics_entry_date=entry,
        total_investment=Decimal(total),
    )


@pytest.fixture
def lagging(unit_a, unit_b):
    return {
        "one_month": started(unit_a, day(2024, 2, 29), code="A-ONE"),  # 1 month on 29 March
        "under_a_month": started(unit_a, day(2024, 3, 1), code="A-NOT-YET"),
        "two_months": started(unit_a, day(2024, 1, 31), code="A-TWO"),  # 2 months on 31 March
        "red_since_feb": started(unit_a, day(2023, 12, 15), code="A-OLD"),
        "in_library": started(unit_a, day(2024, 1, 5), code="A-IN", entry=day(2024, 3, 20)),
        "under_floor": started(unit_a, day(2024, 1, 5), code="A-SMALL", total="499.99"),
        "other_unit": started(unit_b, day(2024, 1, 5), code="B-TWO"),
    }


def march(user):
    return selectors.due_for_library(user, 2024, 3, DispatchSettings.current())


def test_the_due_list_takes_projects_at_exactly_one_and_two_months(staff_a, lagging):
    rows = {r.project.code: r for r in march(staff_a).rows}
    assert list(rows) == ["A-OLD", "A-TWO", "A-ONE"]  # earliest start first
    one, two, old = rows["A-ONE"], rows["A-TWO"], rows["A-OLD"]
    assert (one.light, one.months_out, one.yellow_on, one.red_on) == (
        "yellow",
        1,
        day(2024, 3, 29),
        day(2024, 4, 29),
    )
    assert (two.light, two.months_out, two.red_on) == ("red", 2, day(2024, 3, 31))
    assert one.new_this_month and two.new_this_month
    # Red since 15 February: already overdue, not new this month.
    assert (old.light, old.red_on, old.new_this_month) == ("red", day(2024, 2, 15), False)


def test_a_day_short_of_a_month_is_not_yet_due(staff_a, lagging):
    february = selectors.due_for_library(staff_a, 2024, 2, DispatchSettings.current())
    # On 29 February A-TWO (31 January) has not a whole month yet: February is shorter.
    # A-IN, in the library only from 20 March, was due then.
    assert [r.project.code for r in february.rows] == ["A-OLD", "A-IN"]


def test_the_reach_date_agrees_with_the_month_count():
    for start in (day(2024, 1, 31), day(2024, 2, 29), day(2023, 12, 15), day(2024, 5, 31)):
        for months in (1, 2, 3):
            reached = selectors.reached_on(start, months)
            assert months_between(start, reached) == months
            assert months_between(start, reached - dt.timedelta(days=1)) == months - 1


def test_a_manager_sees_every_units_due_projects(manager, lagging):
    codes = [r.project.code for r in march(manager).rows]
    assert codes == ["A-OLD", "B-TWO", "A-TWO", "A-ONE"]


def test_the_rows_carry_the_materials_present_and_missing(staff_a, lagging):
    services.attach_library_document(
        actor=staff_a,
        project=lagging["two_months"],
        kind=LibraryDocument.Kind.CONTRACT,
        upload=pdf(),
    )
    row = next(r for r in march(staff_a).rows if r.project.code == "A-TWO")
    assert row.present == {"contract"}
    assert "施工合同" not in row.missing_labels and len(row.missing_labels) == 3


def test_the_due_list_reads_a_fixed_number_of_queries(manager, unit_a, lagging):
    settings = DispatchSettings.current()
    selectors.due_for_library(manager, 2024, 3, settings)  # the user's roles, read once
    with CaptureQueriesContext(connection) as few:
        selectors.due_for_library(manager, 2024, 3, settings)
    for n in range(6):
        started(unit_a, day(2024, 1, 2), code=f"A-MORE-{n}")
    with CaptureQueriesContext(connection) as many:
        assert len(selectors.due_for_library(manager, 2024, 3, settings).rows) == 10
    # The projects with their units, and the materials of all of them.
    assert len(few) == len(many) == 2


def test_the_page_lists_the_clerks_own_and_says_which_months(staff_a_client, lagging):
    html = staff_a_client.get(reverse("library_due"), {"month": "2024-03"}).content.decode()
    assert "A-TWO" in html and "A-ONE" in html and "B-TWO" not in html
    assert "截至2024年3月底应入库项目" in html


def test_a_bad_month_says_so_and_shows_this_month(staff_a_client, lagging):
    response = staff_a_client.get(reverse("library_due"), {"month": "2024-13"}, follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert "月份请按 YYYY-MM 格式填写，例如 2024-03。" in html and "A-TWO" in html


def test_the_csv_comes_through_the_export_registry(manager_client, lagging):
    response = manager_client.get(
        reverse("library_due_export", kwargs={"fmt": "csv"}), {"month": "2024-03"}
    )
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("项目编号,项目名称,责任单位")
    assert len(lines) == 5
    assert lines[-1].startswith("A-ONE,") and ",黄灯,2024-03-29,2024-04-29,是," in lines[-1]


def test_the_clerks_todo_points_to_the_due_list(staff_a, staff_b, lagging):
    items = todo(staff_a, day(2024, 3, 31))["todo"]
    due = [i for i in items if i.link == reverse("library_due")]
    assert [i.text for i in due] == ["本月有3个项目应入库（已开工、尚未入库）。"]
    other = todo(staff_b, day(2024, 3, 31))["todo"]
    assert [i.text for i in other if i.link == reverse("library_due")] == [
        "本月有1个项目应入库（已开工、尚未入库）。"
    ]


def test_nothing_due_adds_no_todo_item(staff_a, unit_a):
    started(unit_a, day(2024, 1, 5), code="A-IN", entry=day(2024, 1, 20))
    assert all(i.link != reverse("library_due") for i in todo(staff_a, day(2024, 3, 31))["todo"])


# ---------------------------------------------------------------- the status on the project page


def project_page(client, project) -> str:
    return client.get(reverse("project_detail", kwargs={"code": project.code})).content.decode()


def test_the_project_page_says_in_the_library_since(staff_a_client, lagging):
    html = project_page(staff_a_client, lagging["in_library"])
    assert "已入库</strong>（2024-03-20）" in html


def test_the_project_page_says_waiting_with_days_and_materials(staff_a, staff_a_client, lagging):
    project = lagging["two_months"]
    services.attach_library_document(
        actor=staff_a, project=project, kind=LibraryDocument.Kind.APPROVAL, upload=pdf()
    )
    html = project_page(staff_a_client, project)
    assert "待入库</strong>：开工已60天，尚未入库" in html
    assert "已有材料：立项文件；缺少：施工合同、" in html


def test_the_project_page_says_not_needed_under_the_floor_or_not_started(
    staff_a_client, unit_a, lagging
):
    not_started = ProjectFactory(code="A-LATER", unit=unit_a)
    for project in (lagging["under_floor"], not_started):
        assert "不需入库</strong>（计划总投资未达入库标准或尚未开工）" in project_page(
            staff_a_client, project
        )


def test_the_due_count_follows_the_reach_the_floor_and_the_months(manager, staff_b, lagging):
    """Its statement is built once per shape: each of these is in it."""
    settings = DispatchSettings.current()
    today = day(2024, 3, 31)
    assert selectors.due_count(manager, today, settings) == 4
    assert selectors.due_count(staff_b, today, settings) == 1
    settings.library_min_investment = Decimal("20000")
    assert selectors.due_count(manager, today, settings) == 0
    settings.library_min_investment = Decimal("100")
    assert selectors.due_count(manager, today, settings) == 5  # A-SMALL is over it now
    settings.library_yellow_months = 2
    assert selectors.due_count(manager, today, settings) == 4
