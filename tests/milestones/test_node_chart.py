"""挂图作战: the project's and the unit's node charts, scoped by the access policy, drawn from
stored nodes with a query count that does not grow with nodes or projects."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.milestones import chart, services
from projects.models import Project
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture(autouse=True)
def _july_2024():
    with time_machine.travel(dt.datetime(2024, 7, 10, 9, 0), tick=False):
        yield


def _node(project, name, planned, actual=None, manager=None):
    return services.save_milestone(
        actor=manager, project=project, name=name, planned_date=planned, actual_date=actual
    )


@pytest.fixture
def charted(manager, unit_a):
    project = ProjectFactory(
        code="GC001", unit=unit_a, planned_start=D(2024, 3, 1), planned_completion=D(2024, 12, 31)
    )
    _node(project, "施工许可", D(2024, 2, 1), D(2024, 2, 20), manager)
    _node(project, "开工", D(2024, 3, 1), None, manager)  # overdue since 03-01
    _node(project, "竣工验收", D(2025, 1, 20), None, manager)
    return project


def test_the_project_chart_marks_late_nodes_the_critical_path_and_the_slip(charted):
    result = chart.project_chart(charted, D(2024, 7, 10))
    rows = {r.node.name: r for r in result.rows}
    assert (rows["施工许可"].late, rows["施工许可"].days_late) == (True, 19)
    assert (rows["开工"].late, rows["开工"].days_late) == (True, 131)
    assert rows["开工"].overdue is not None and rows["竣工验收"].overdue is None
    # Hand-typed nodes are steps of their own: every one is on the path.
    assert all(r.critical for r in result.rows)
    # Expected finish: 施工许可 done 19 days late (02-20); 开工 keeps its 29 days (03-20) but
    # is still open, so not before today (07-10); 竣工验收 keeps its 325 days after 开工's
    # planned 03-01: 07-10 + 325 = 2025-05-31, 151 days after the planned 2024-12-31.
    assert result.finish == D(2025, 5, 31) and result.slip_days == 151
    assert result.late_count == 1
    # The axis runs from 02-01 to 2025-01-20 (354 days): today, 07-10, is 160 days in.
    assert result.today_x == round(100 * 160 / 354, 2)


def test_the_project_chart_page_shows_every_node_and_the_replan_link(staff_a_client, charted):
    page = staff_a_client.get(reverse("project_chart", args=[charted.code]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "竣工验收" in html and "关键路径" in html and "重排后续节点" in html
    assert "style=" not in html.split("<main", 1)[1]  # the CSP allows no inline styles


def test_a_viewer_sees_the_chart_without_the_replan_link(viewer_client, charted):
    html = viewer_client.get(reverse("project_chart", args=[charted.code])).content.decode()
    assert "开工" in html and "重排后续节点" not in html


def test_another_units_project_chart_and_unit_chart_are_404(staff_b_client, charted):
    assert staff_b_client.get(reverse("project_chart", args=[charted.code])).status_code == 404
    unit = reverse("unit_chart", args=[charted.unit_id])
    assert staff_b_client.get(unit).status_code == 404
    assert staff_b_client.get(reverse("unit_chart", args=[999999])).status_code == 404


def test_the_unit_chart_gives_each_project_its_next_node_late_count_and_finish(
    staff_a_client, charted, unit_a
):
    page = staff_a_client.get(reverse("unit_chart", args=[unit_a.pk]))
    assert page.status_code == 200
    (row,) = [r for r in page.context["chart"].rows if r.project == charted]
    assert row.next_node.name == "开工" and row.late_count == 1
    assert (row.finish, row.slip_days) == (D(2025, 5, 31), 151)
    assert "GC001" in page.content.decode()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_project_chart_costs_the_same_queries_with_three_or_twelve_nodes(
    manager, manager_client, charted
):
    url = reverse("project_chart", args=[charted.code])
    few = _queries(manager_client, url)
    for day in range(9):
        _node(charted, f"节点{day}", D(2024, 4, 1) + dt.timedelta(days=day * 20), None, manager)
    assert _queries(manager_client, url) == few


def test_the_unit_chart_costs_the_same_queries_with_one_or_five_projects(
    manager, manager_client, charted, unit_a
):
    url = reverse("unit_chart", args=[unit_a.pk])
    few = _queries(manager_client, url)
    for number in range(4):
        project = ProjectFactory(code=f"GC10{number}", unit=unit_a, planned_start=D(2024, 5, 1))
        _node(project, "开工", D(2024, 5, 1), None, manager)
    assert Project.objects.filter(unit=unit_a).count() == 5
    assert _queries(manager_client, url) == few


def test_the_units_page_lists_the_units_a_person_can_open(staff_a_client, charted, unit_b):
    ProjectFactory(code="GCB01", unit=unit_b)
    html = staff_a_client.get(reverse("chart_units")).content.decode()
    assert reverse("unit_chart", args=[charted.unit_id]) in html
    assert reverse("unit_chart", args=[unit_b.pk]) not in html
