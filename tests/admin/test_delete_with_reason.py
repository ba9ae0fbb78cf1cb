"""Deleting in the admin asks for a reason; a locked month is not changed without one."""

import pytest
from django.urls import reverse

from projects import services
from projects.models import MonthlyProgress, Project
from tests.factories import MonthlyProgressFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def locked_entry():
    manager = user_with_role("manager", username="boss")
    entry = MonthlyProgressFactory(month=3)
    services.lock_month(actor=manager, year=2024, month=3, reason="上报（部分单位未审核）")
    return manager, entry


def test_delete_page_asks_for_a_reason(client, locked_entry):
    manager, entry = locked_entry
    client.force_login(manager)
    page = client.get(reverse("admin:projects_project_delete", args=[entry.project.pk]))
    assert 'name="reason"' in page.content.decode()


def test_deleting_a_project_with_locked_figures_without_reason_is_refused(client, locked_entry):
    manager, entry = locked_entry
    client.force_login(manager)
    url = reverse("admin:projects_project_delete", args=[entry.project.pk])
    response = client.post(url, {"post": "yes"}, follow=True)
    assert response.status_code == 200
    assert "锁定" in response.content.decode()
    assert Project.objects.filter(pk=entry.project.pk).exists()
    assert MonthlyProgress.objects.filter(pk=entry.pk).exists()


def test_deleting_a_project_with_locked_figures_keeps_the_given_reason(client, locked_entry):
    manager, entry = locked_entry
    client.force_login(manager)
    url = reverse("admin:projects_project_delete", args=[entry.project.pk])
    client.post(url, {"post": "yes", "reason": "项目调出清单，经指挥部同意"})
    assert not Project.objects.filter(pk=entry.project.pk).exists()
    deleted = Project.history.filter(id=entry.project.pk, history_type="-").get()
    assert deleted.history_change_reason == "项目调出清单，经指挥部同意"
