"""Managers keep the leaders in charge (包联领导) in the admin, with history; nobody else."""

import pytest
from django.urls import reverse

from projects import services
from projects.models import Leader, Project
from projects.selectors.history import project_history
from tests.factories import LeaderFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def test_a_manager_adds_a_leader_whose_code_defaults_to_the_name(manager_client, manager):
    data = {"name": "王某某", "title": "区委常委、副区长", "code": "", "sort_order": "0"}
    data["active"] = "on"
    response = manager_client.post(reverse("admin:projects_leader_add"), data)
    assert response.status_code == 302
    leader = Leader.objects.get(name="王某某")
    assert (leader.code, leader.title, leader.full_name) == (
        "王某某",
        "区委常委、副区长",
        "王某某（区委常委、副区长）",
    )
    assert leader.history.get().history_user == manager


def test_unit_staff_cannot_open_the_leaders(staff_a_client):
    leader = LeaderFactory(name="李某某")
    response = staff_a_client.get(reverse("admin:projects_leader_change", args=[leader.pk]))
    assert response.status_code == 403


def test_a_leader_no_longer_in_post_is_offered_only_on_the_projects_they_hold(manager_client):
    gone = LeaderFactory(name="赵某某", active=False)
    LeaderFactory(name="钱某某")
    held = ProjectFactory(leader=gone)
    other = ProjectFactory()
    url = "admin:projects_project_change"
    held_form = manager_client.get(reverse(url, args=[held.pk])).content.decode()
    other_form = manager_client.get(reverse(url, args=[other.pk])).content.decode()
    assert "赵某某" in held_form and "钱某某" in held_form
    assert "赵某某" not in other_form and "钱某某" in other_form


def test_the_project_history_names_the_leader_not_an_id(manager):
    project = ProjectFactory(leader="王某某")
    project.leader = LeaderFactory(name="李某某")
    services.save_project(actor=manager, project=project, expected_version=project.version)
    changes = [
        c
        for row in project_history(Project.objects.get(pk=project.pk))
        for c in row.changes
        if c.before or c.after
    ]
    assert ("王某某", "李某某") in [(c.before, c.after) for c in changes]
