"""The problem pages: scoped list and filters, the agenda files, raising from a month's text."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from projects.coordination import services
from projects.coordination.models import Department, Problem
from tests.factories import MonthlyProgressFactory

pytestmark = pytest.mark.django_db
EARLIER = timezone.localdate() - dt.timedelta(days=30)


@pytest.fixture
def problems(manager, project_a, project_b):
    land = Department.objects.create(code="ZRZY", name="区自然资源局", sort_order=1)
    power = Department.objects.create(code="GD", name="城阳供电中心", sort_order=2)
    a = services.raise_problem(
        actor=manager, project=project_a, description="=土地未摘牌", kind="land", raised_on=EARLIER
    )
    services.assign_problem(
        actor=manager,
        problem=a,
        department=land,
        deadline=timezone.localdate() - dt.timedelta(days=1),
    )
    b = services.raise_problem(
        actor=manager,
        project=project_b,
        description="电力接入滞后",
        kind="utilities",
        raised_on=EARLIER,
    )
    services.assign_problem(
        actor=manager,
        problem=b,
        department=power,
        deadline=timezone.localdate() + dt.timedelta(days=3),
    )
    c = services.raise_problem(
        actor=manager, project=project_b, description="资金不足", kind="funding"
    )
    services.resolve_problem(actor=manager, problem=c, resolution="已拨付")
    return a, b, c


def test_unit_staff_see_only_their_own_units_problems(client, staff_a, problems):
    client.force_login(staff_a)
    page = client.get(reverse("problem_list")).content.decode()
    assert "土地未摘牌" in page
    assert "电力接入滞后" not in page


def test_unit_staff_get_404_for_another_units_problem(client, staff_a, problems):
    client.force_login(staff_a)
    response = client.get(reverse("problem_detail", kwargs={"pk": problems[1].pk}))
    assert response.status_code == 404


def test_anonymous_users_are_sent_to_log_in(client, problems):
    response = client.get(reverse("problem_list"))
    assert response.status_code == 302


def test_the_list_filters_overdue_and_due_soon(client, manager, problems):
    client.force_login(manager)
    overdue = client.get(reverse("problem_list"), {"overdue": "on"}).content.decode()
    assert "土地未摘牌" in overdue and "电力接入滞后" not in overdue
    soon = client.get(reverse("problem_list"), {"due_within": "7"}).content.decode()
    assert "电力接入滞后" in soon and "土地未摘牌" not in soon


def test_bad_filter_values_show_a_message_not_an_error_page(client, manager, problems):
    client.force_login(manager)
    response = client.get(
        reverse("problem_list"), {"due_within": "abc", "status": "nonsense", "unit": "x"}
    )
    assert response.status_code == 200
    bad = client.get(reverse("problem_agenda", kwargs={"fmt": "xlsx"}), {"due_within": "-3"})
    assert bad.status_code == 302


def test_the_list_takes_the_same_number_of_queries_however_many_problems(
    client, manager, problems, project_a
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(manager)
    client.get(reverse("problem_list"))  # sessions and settings rows exist from here on
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("problem_list"))
    # One open problem per project and kind: five more problems take five kinds.
    for kind in ("planning", "funding", "utilities", "clearance", "other"):
        services.raise_problem(actor=manager, project=project_a, description="又一个", kind=kind)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("problem_list"))
    assert len(many) == len(few) <= 12


def test_the_xlsx_agenda_groups_open_problems_by_department_and_guards_formulas(
    client, manager, problems
):
    client.force_login(manager)
    response = client.get(reverse("problem_agenda", kwargs={"fmt": "xlsx"}))
    rows = [
        [c for c in row if c is not None]
        for row in load_workbook(io.BytesIO(response.getvalue())).active.values
    ]
    text = [" ".join(map(str, r)) for r in rows]
    land = next(i for i, t in enumerate(text) if t.startswith("责任部门：区自然资源局"))
    power = next(i for i, t in enumerate(text) if t.startswith("责任部门：城阳供电中心"))
    assert land < power
    assert any("'=土地未摘牌" in t and "超期" in t for t in text)
    assert any("电力接入滞后" in t and "临期" in t for t in text)
    assert not any("资金不足" in t for t in text)  # closed: not on the agenda


def test_the_word_agenda_has_a_table_per_department(client, manager, problems):
    client.force_login(manager)
    response = client.get(reverse("problem_agenda", kwargs={"fmt": "docx"}))
    document = Document(io.BytesIO(response.getvalue()))
    assert len(document.tables) == 2
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading 2")]
    assert headings == ["区自然资源局（1项）", "城阳供电中心（1项）"]


def test_unit_staff_agenda_holds_only_their_units_problems(client, staff_a, problems):
    client.force_login(staff_a)
    response = client.get(reverse("problem_agenda", kwargs={"fmt": "docx"}))
    document = Document(io.BytesIO(response.getvalue()))
    assert len(document.tables) == 1


def test_a_months_reported_problem_becomes_a_logged_problem_in_one_click(
    client, staff_a, project_a
):
    MonthlyProgressFactory(project=project_a, month=3, problems="施工许可证正在办理")
    client.force_login(staff_a)
    detail = client.get(reverse("project_detail", kwargs={"code": project_a.code}))
    link = reverse("problem_new", kwargs={"code": project_a.code}) + "?year=2024&month=3"
    assert link in detail.content.decode()
    form = client.get(link)
    assert "施工许可证正在办理" in form.content.decode()
    response = client.post(link, {"kind": "planning", "description": "施工许可证正在办理"})
    problem = Problem.objects.get()
    assert response.status_code == 302
    assert (problem.source_year, problem.source_month, problem.raised_by) == (2024, 3, staff_a)


def test_unit_staff_cannot_raise_on_another_units_project_page(client, staff_a, project_b):
    client.force_login(staff_a)
    response = client.get(reverse("problem_new", kwargs={"code": project_b.code}))
    assert response.status_code == 404


def test_manager_closes_a_problem_from_its_page_and_unit_staff_cannot(
    client, manager, staff_a, problems
):
    problem = problems[0]
    problem.refresh_from_db()
    client.force_login(staff_a)
    url = reverse("problem_detail", kwargs={"pk": problem.pk})
    refused = client.post(
        url, {"action": "resolve", "resolution": "好", "version": problem.version}
    )
    assert refused.status_code == 403
    client.force_login(manager)
    done = client.post(
        url, {"action": "resolve", "resolution": "已摘牌", "version": problem.version}
    )
    assert done.status_code == 302
    problem.refresh_from_db()
    assert problem.status == Problem.Status.RESOLVED


def test_counts_show_on_the_project_page(client, manager, problems, project_a):
    client.force_login(manager)
    page = client.get(reverse("project_detail", kwargs={"code": project_a.code})).content.decode()
    assert "超期" in page and "土地未摘牌" in page


def test_the_units_submit_page_shows_its_problem_counts(client, staff_a, problems):
    client.force_login(staff_a)
    page = client.get(reverse("submit_month")).content.decode()
    assert "未销号问题" in page and "节点滞后" in page


def test_the_reports_counts_link_to_the_problems_of_its_own_list(
    client, manager, problems, project_a
):
    from tests.factories import ProgrammeFactory, ProjectFactory

    older = ProjectFactory(
        code="PA2023", unit=project_a.unit, programme=ProgrammeFactory(year=2023)
    )
    services.raise_problem(actor=manager, project=older, description="去年的问题", kind="other")
    client.force_login(manager)
    page = client.get(reverse("quarterly_report", kwargs={"year": 2024, "quarter": 1}))
    link = f"/problems/?status=open&amp;programme={project_a.programme.code}"
    assert link in page.content.decode()
    listed = client.get(link.replace("&amp;", "&")).content.decode()
    assert "土地未摘牌" in listed and "去年的问题" not in listed
