"""Template sets: steps in sequence, parallel groups, limits after the previous step, and the
critical path, each date worked out by hand in the comments."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from projects.milestones import planning, services
from projects.milestones.models import Anchor, Milestone, NodeTemplate, TemplateSet
from projects.models import Project
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def _set(name, order, anchor, offset, nodes, kind="new"):
    template_set = TemplateSet.objects.create(
        name=name, kind=kind, sort_order=order, anchor=anchor, offset_days=offset
    )
    for node, step, node_anchor, node_offset, after in nodes:
        NodeTemplate.objects.create(
            template_set=template_set,
            name=node,
            sort_order=step,
            anchor=node_anchor,
            offset_days=node_offset,
            after_days=after,
        )
    return template_set


@pytest.fixture
def approvals_set():
    # Starts 120 days before the planned start; three assessments in parallel after 立项.
    return _set(
        "前期手续",
        10,
        Anchor.PLANNED_START,
        -120,
        [
            ("立项备案", 10, "", 0, 0),
            ("用地预审", 20, "", 0, 30),
            ("规划许可", 20, "", 0, 45),
            ("环评批复", 20, "", 0, 40),
            ("施工许可", 30, "", 0, 20),
        ],
    )


@pytest.fixture
def works_set():
    # 开工 from the planned start itself, 主体封顶 200 days after it, 竣工 from completion.
    return _set(
        "施工建设",
        20,
        Anchor.PLANNED_START,
        0,
        [
            ("开工", 10, Anchor.PLANNED_START, 0, None),
            ("主体封顶", 20, "", 0, 200),
            ("竣工验收", 30, Anchor.PLANNED_COMPLETION, -10, None),
        ],
    )


@pytest.fixture
def project(unit_a):
    return ProjectFactory(
        code="TS001",
        unit=unit_a,
        planned_start=dt.date(2024, 6, 1),
        planned_completion=dt.date(2025, 6, 30),
        actual_start=None,
    )


def _plan(project):
    return {n.name: n.planned_date for n in Milestone.objects.filter(project=project)}


def test_a_sequence_and_a_parallel_group_are_dated_step_after_step(manager, project, approvals_set):
    services.apply_template_sets(
        actor=manager, projects=Project.objects.all(), template_sets=[approvals_set]
    )
    # 2024-06-01 − 120 days = 2024-02-02 (Feb 2024 has 29 days).
    # 用地预审 02-02 + 30 = 03-03; 规划许可 02-02 + 45 = 03-18; 环评批复 02-02 + 40 = 03-13.
    # The group finishes with its latest, 03-18; 施工许可 is 20 days after: 04-07.
    assert _plan(project) == {
        "立项备案": dt.date(2024, 2, 2),
        "用地预审": dt.date(2024, 3, 3),
        "规划许可": dt.date(2024, 3, 18),
        "环评批复": dt.date(2024, 3, 13),
        "施工许可": dt.date(2024, 4, 7),
    }


def test_two_sets_chosen_for_a_project_follow_one_another_and_apply_once(
    manager, project, approvals_set, works_set
):
    added = services.apply_template_sets(
        actor=manager, projects=Project.objects.all(), template_sets=[works_set, approvals_set]
    )
    assert added == 8
    again = services.apply_template_sets(
        actor=manager, projects=Project.objects.all(), template_sets=[works_set, approvals_set]
    )
    assert again == 0
    nodes = list(Milestone.objects.filter(project=project))
    # The sets in their own order (前期手续 before 施工建设), whatever order they were chosen in.
    assert [n.name for n in nodes][:1] == ["立项备案"] and nodes[-1].name == "竣工验收"
    # 主体封顶: 200 days after 开工 (06-01) = 2024-12-18; 竣工验收 2025-06-30 − 10 = 06-20.
    assert _plan(project)["主体封顶"] == dt.date(2024, 12, 18)
    assert _plan(project)["竣工验收"] == dt.date(2025, 6, 20)
    group = Milestone.objects.get(project=project, name="规划许可")
    assert (group.template_set, group.step, group.after_days) == (approvals_set, 20, 45)


def test_a_chained_step_without_a_date_to_count_from_stays_undated(manager, unit_a, works_set):
    undated = ProjectFactory(
        unit=unit_a, kind=Project.Kind.CONTINUING, planned_start=None, planned_completion=None
    )
    services.apply_template_sets(
        actor=manager, projects=Project.objects.all(), template_sets=[works_set]
    )
    assert set(_plan(undated).values()) == {None}


def test_only_managers_choose_template_sets(staff_a, project, approvals_set, client):
    with pytest.raises(PermissionDenied):
        services.apply_template_sets(
            actor=staff_a, projects=Project.objects.all(), template_sets=[approvals_set]
        )
    client.force_login(staff_a)
    url = reverse("apply_node_sets", args=[project.code])
    assert client.post(url, {"template_sets": [approvals_set.pk]}).status_code == 403
    assert not Milestone.objects.exists()


def test_a_manager_chooses_sets_on_the_project_chart(manager_client, project, approvals_set):
    url = reverse("apply_node_sets", args=[project.code])
    response = manager_client.post(url, {"template_sets": [approvals_set.pk]})
    assert response.status_code == 302
    assert Milestone.objects.filter(project=project).count() == 5
    refused = manager_client.post(url, {"template_sets": ["x"]})
    assert refused.status_code == 400


def test_the_bulk_form_applies_the_sets_of_the_kind(manager, project, approvals_set):
    _set("续建施工", 30, Anchor.PLANNED_COMPLETION, 0, [("投产", 10, "", 0, 0)], "continuing")
    assert services.apply_templates(actor=manager, projects=Project.objects.all(), kind="new") == 5


# ---------------------------------------------------------------- the critical path, by hand


class N:
    """A node as the planning rules read it, without a database."""

    def __init__(self, pk, step, planned, actual=None, after=None, group="S"):
        self.pk, self.step, self.planned_date, self.actual_date = pk, step, planned, actual
        self.template_set_id, self.after_days, self.name = group, after, f"n{pk}"


D = dt.date


def test_the_critical_path_runs_through_the_latest_node_of_each_step():
    # Step 1: A 03-01. Step 2 (group): B 03-20, C 04-10, D 03-25. Step 3: E 05-01.
    # Chains A→B→E, A→C→E, A→D→E; the longest waits for C, so A, C, E; it ends 05-01.
    nodes = [
        N(1, 10, D(2024, 3, 1)),
        N(2, 20, D(2024, 3, 20)),
        N(3, 20, D(2024, 4, 10)),
        N(4, 20, D(2024, 3, 25)),
        N(5, 30, D(2024, 5, 1)),
    ]
    assert planning.critical_path(nodes) == ({1, 3, 5}, D(2024, 5, 1))


def test_a_node_done_late_takes_the_critical_path_over_in_its_group():
    # B was planned 03-20 but done 04-15, after C's 04-10: the path now waits for B.
    nodes = [
        N(1, 10, D(2024, 3, 1)),
        N(2, 20, D(2024, 3, 20), actual=D(2024, 4, 15)),
        N(3, 20, D(2024, 4, 10)),
        N(5, 30, D(2024, 5, 1)),
    ]
    assert planning.critical_path(nodes) == ({1, 2, 5}, D(2024, 5, 1))


def test_nodes_typed_by_hand_are_steps_of_their_own():
    nodes = [N(1, None, D(2024, 3, 1), group=None), N(2, None, D(2024, 2, 1), group=None)]
    assert planning.critical_path(nodes) == ({1, 2}, D(2024, 2, 1))


def test_the_forecast_pushes_what_follows_an_overdue_node_and_moves_the_path():
    # Today 05-01. Step 1: A planned 03-01, done 03-11 (10 days late). Step 2 (group): B done
    # 03-30; C planned 04-10 → 04-20 and D planned 03-25 → 04-04 are open and both past, so
    # neither ends before today, 05-01 (C, first of the equals, is on the path). Step 3: E
    # planned 05-01, 21 days after the group's planned 04-10: 05-01 + 21 = 05-22.
    nodes = [
        N(1, 10, D(2024, 3, 1), actual=D(2024, 3, 11)),
        N(2, 20, D(2024, 3, 20), actual=D(2024, 3, 30)),
        N(3, 20, D(2024, 4, 10)),
        N(4, 20, D(2024, 3, 25)),
        N(5, 30, D(2024, 5, 1)),
    ]
    today = D(2024, 5, 1)
    assert planning.forecast(nodes, today) == {
        1: D(2024, 3, 11),
        2: D(2024, 3, 30),
        3: D(2024, 5, 1),
        4: D(2024, 5, 1),
        5: D(2024, 5, 22),
    }
    assert planning.critical_path(nodes, today) == ({1, 3, 5}, D(2024, 5, 22))
