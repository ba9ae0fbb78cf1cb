"""Node plans, templates, approvals and 入库 flags: permissions and the dates the flags follow."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from projects.milestones import selectors, services
from projects.milestones.models import Anchor, Approval, Milestone, NodeTemplate, TemplateSet
from projects.models import DispatchSettings, Project
from tests.factories import MonthlyProgressFactory, ProjectFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2024, 5, 10)
FROZEN = dt.datetime(2024, 5, 10, 9, tzinfo=dt.UTC)


def _node(actor, project, name, planned, actual=None):
    return services.save_milestone(
        actor=actor, project=project, name=name, planned_date=planned, actual_date=actual
    )


@time_machine.travel(FROZEN)
def test_nodes_are_red_when_late_and_yellow_within_the_warning_days(staff_a, project_a):
    late = _node(staff_a, project_a, "施工许可", TODAY - dt.timedelta(days=1))
    soon = _node(staff_a, project_a, "开工", TODAY + dt.timedelta(days=15))
    later = _node(staff_a, project_a, "主体封顶", TODAY + dt.timedelta(days=16))
    done = _node(staff_a, project_a, "土地摘牌", TODAY - dt.timedelta(days=30), TODAY)
    flags = [selectors.node_flag(n, TODAY, 15) for n in (late, soon, later, done)]
    assert flags == ["late", "due_soon", "planned", "done"]
    counts = selectors.node_counts(Project.objects.all(), TODAY, 15)
    assert counts == selectors.NodeCounts(late=1, due_soon=1, projects_late=1)


@time_machine.travel(FROZEN)
def test_each_readers_node_counts_are_of_their_own_reach(
    manager, staff_a, staff_b, project_a, project_b, unit_a, unit_b
):
    """The entry page's node counts: one statement for every reader of a reach's kind, the
    units reached (and the unit chosen) its values; each reader counts their own units'."""
    _node(staff_a, project_a, "施工许可", TODAY - dt.timedelta(days=1))
    _node(staff_a, project_a, "开工", TODAY + dt.timedelta(days=3))
    _node(staff_b, project_b, "主体封顶", TODAY - dt.timedelta(days=2))
    counts = selectors.NodeCounts
    assert selectors.node_counts_for(staff_a, TODAY, 15) == counts(1, 1, 1)
    assert selectors.node_counts_for(staff_b, TODAY, 15) == counts(1, 0, 1)
    assert selectors.node_counts_for(manager, TODAY, 15) == counts(2, 1, 2)
    assert selectors.node_counts_for(manager, TODAY, 15, unit_b) == counts(1, 0, 1)
    assert selectors.node_counts_for(manager, TODAY, 15, unit_a) == counts(1, 1, 1)
    assert selectors.node_counts_for(staff_a, TODAY, 1) == counts(1, 0, 1)


@time_machine.travel(FROZEN)
def test_a_node_done_after_the_report_date_was_late_on_that_date(staff_a, project_a):
    _node(staff_a, project_a, "施工许可", dt.date(2024, 3, 1), dt.date(2024, 4, 20))
    assert selectors.node_counts(Project.objects.all(), dt.date(2024, 3, 31), 15).late == 1
    assert selectors.node_counts(Project.objects.all(), TODAY, 15).late == 0


def test_unit_staff_cannot_plan_nodes_for_another_units_project(staff_a, project_b):
    with pytest.raises(PermissionDenied):
        _node(staff_a, project_b, "开工", dt.date(2024, 6, 1))


def test_a_node_cannot_be_done_in_the_future(staff_a, project_a):
    with pytest.raises(ValidationError):
        _node(staff_a, project_a, "开工", dt.date(2024, 6, 1), dt.date(2999, 1, 1))


def test_changing_a_node_keeps_its_history_with_the_user(staff_a, project_a):
    node = _node(staff_a, project_a, "开工", dt.date(2024, 6, 1))
    _node(staff_a, project_a, "开工", dt.date(2024, 6, 15))
    node.refresh_from_db()
    assert node.planned_date == dt.date(2024, 6, 15)
    assert [h.history_user for h in node.history.all()] == [staff_a, staff_a]


def test_templates_are_applied_by_managers_once_with_dates_from_the_project(
    manager, staff_a, unit_a
):
    project = ProjectFactory(unit=unit_a, planned_start=dt.date(2024, 6, 1))
    ProjectFactory(unit=unit_a, kind=Project.Kind.CONTINUING, planned_start=None)
    template_set = TemplateSet.objects.create(name="施工建设", kind="new")
    NodeTemplate.objects.create(
        template_set=template_set,
        name="施工许可",
        sort_order=1,
        anchor=Anchor.PLANNED_START,
        offset_days=-15,
    )
    NodeTemplate.objects.create(
        template_set=template_set, name="开工", sort_order=2, anchor="planned_start"
    )
    with pytest.raises(PermissionDenied):
        services.apply_templates(actor=staff_a, projects=Project.objects.all(), kind="new")
    assert services.apply_templates(actor=manager, projects=Project.objects.all(), kind="new") == 2
    assert services.apply_templates(actor=manager, projects=Project.objects.all(), kind="new") == 0
    assert list(Milestone.objects.filter(project=project).values_list("name", "planned_date")) == [
        ("施工许可", dt.date(2024, 5, 17)),
        ("开工", dt.date(2024, 6, 1)),
    ]


def test_unit_staff_get_404_for_another_units_node_plan(client, staff_a, project_b):
    client.force_login(staff_a)
    assert client.get(reverse("project_plan", kwargs={"code": project_b.code})).status_code == 404


def test_late_node_list_shows_only_the_users_units(client, staff_a, manager, project_a, project_b):
    _node(manager, project_a, "甲节点", dt.date(2020, 1, 1))
    _node(manager, project_b, "乙节点", dt.date(2020, 1, 1))
    client.force_login(staff_a)
    page = client.get(reverse("node_list")).content.decode()
    assert "甲节点" in page and "乙节点" not in page
    csv = client.get(reverse("node_export", kwargs={"fmt": "csv"})).content.decode()
    assert "甲节点" in csv and "乙节点" not in csv


def test_unit_staff_save_nodes_and_approvals_from_the_plan_page(client, staff_a, project_a):
    client.force_login(staff_a)
    url = reverse("project_plan", kwargs={"code": project_a.code})
    response = client.post(
        url,
        {
            "action": "nodes",
            "nodes-TOTAL_FORMS": "1",
            "nodes-INITIAL_FORMS": "0",
            "nodes-0-name": "开工",
            "nodes-0-planned_date": "2024-06-01",
        },
    )
    assert response.status_code == 302
    assert Milestone.objects.get().name == "开工"
    data = {"action": "approvals", "approvals-TOTAL_FORMS": "6", "approvals-INITIAL_FORMS": "6"}
    for i, kind in enumerate(Approval.Kind.values):
        data |= {f"approvals-{i}-kind": kind, f"approvals-{i}-status": "in_progress"}
    data |= {"approvals-0-status": "done"}  # granted without a date: refused, nothing saved
    refused = client.post(url, data)
    assert refused.status_code == 200 and Approval.objects.count() == 0
    data |= {"approvals-0-date": "2024-01-05", "approvals-0-document_number": "城发改〔2024〕1号"}
    assert client.post(url, data).status_code == 302
    assert Approval.objects.filter(status="done").count() == 1


def test_projects_starting_soon_with_approvals_outstanding(manager, unit_a):
    soon = ProjectFactory(unit=unit_a, planned_start=dt.date(2024, 5, 1))
    ready = ProjectFactory(unit=unit_a, planned_start=dt.date(2024, 5, 2))
    ProjectFactory(unit=unit_a, planned_start=dt.date(2024, 7, 1))  # outside 60 days
    for kind in Approval.Kind.values:
        services.save_approval(
            actor=manager, project=ready, kind=kind, status="done", date=dt.date(2024, 1, 1)
        )
    services.save_approval(
        actor=manager, project=soon, kind="project", status="done", date=dt.date(2024, 1, 1)
    )
    rows = selectors.approvals_before_start(Project.objects.all(), dt.date(2024, 3, 31), 60)
    assert [r.project.pk for r in rows] == [soon.pk]
    assert (rows[0].project.code, rows[0].project.unit) == (soon.code, unit_a.name)
    assert rows[0].project.planned_start == dt.date(2024, 5, 1)
    assert len(rows[0].missing) == 5


def test_started_projects_outside_the_library_turn_yellow_then_red(unit_a):
    def started(day, entered=None):
        return ProjectFactory(
            unit=unit_a,
            planned_start=day,
            actual_start=day,
            statistics_entry_date=entered,
        )

    fresh = started(dt.date(2024, 3, 15))  # 16 days: no flag yet
    yellow = started(dt.date(2024, 2, 20))  # one whole month
    red = started(dt.date(2024, 1, 31))  # two whole months
    started(dt.date(2024, 1, 5), entered=dt.date(2024, 2, 1))  # in the library
    rows = selectors.not_in_library(
        Project.objects.all(), dt.date(2024, 3, 31), DispatchSettings.current()
    )
    assert [(r.project, r.light) for r in rows] == [(red, "red"), (yellow, "yellow")]
    assert fresh not in [r.project for r in rows]


def test_library_status_names_the_first_month_with_inclusion(project_a):
    MonthlyProgressFactory(project=project_a, month=2, inclusion=0)
    MonthlyProgressFactory(project=project_a, month=3)
    status = selectors.library_status(project_a, dt.date(2024, 3, 31), DispatchSettings.current())
    assert status.first_inclusion == (2024, 3)


def test_the_late_node_list_reads_as_of_the_reports_date(client, manager, project_a):
    _node(manager, project_a, "施工许可", dt.date(2024, 3, 1), dt.date(2024, 4, 20))
    client.force_login(manager)
    then = client.get(reverse("node_list"), {"as_of": "2024-03-31"}).content.decode()
    now = client.get(reverse("node_list"), {"as_of": "not-a-date"}).content.decode()
    assert "施工许可" in then and "施工许可" not in now
