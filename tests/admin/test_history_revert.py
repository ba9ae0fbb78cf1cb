"""Reverting a row from its history (simple-history's revert page) follows the lock rule.

A revert is a change like any other: in a locked month it needs a manager's reason,
and a refusal comes back on the page, never as a server error.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from projects import services
from projects.models import MonthlyProgress, PeriodLock, Project
from tests.admin.posts import project_post
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(unit_a):
    return ProjectFactory(code="A-001", unit=unit_a, planned_start=dt.date(2024, 3, 1))


def _revert_url(obj, history):
    return reverse(
        f"admin:projects_{obj._meta.model_name}_simple_history",
        args=[obj.pk, history.history_id],
    )


def _progress_with_two_versions(project, manager):
    entry = None
    for amount in ("10", "25"):
        entry = services.record_progress(
            actor=manager,
            project=project,
            year=2024,
            month=2,
            investment=Decimal(amount),
            inclusion=Decimal("0"),
            expected_version=entry.version if entry else None,
        )
    first = entry.history.order_by("history_date", "history_id").first()
    return entry, first


def _revert_progress_post(entry, reason=""):
    # The revert page carries the version of the row as it stands now (the one replaced).
    return {
        "expected_version": entry.version,
        "investment": "10",
        "inclusion": "0",
        "image_progress": "",
        "problems": "",
        "reason": reason,
    }


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_reverting_progress_of_a_locked_month_without_a_reason_is_refused_on_the_page(
    project, manager, manager_client
):
    entry, first = _progress_with_two_versions(project, manager)
    PeriodLock.objects.create(year=2024, month=2, locked_by=manager)

    response = manager_client.post(_revert_url(entry, first), _revert_progress_post(entry))

    # Back to the revert page, with the refusal as the admin's message.
    assert response.status_code == 302 and response.url == _revert_url(entry, first)
    assert _messages(response) == ["2024年02月已锁定；修改须填写原因。"]
    assert MonthlyProgress.objects.get(pk=entry.pk).investment == Decimal("25")


def test_the_revert_page_offers_the_current_version_so_a_reverting_manager_is_not_stale(
    project, manager, manager_client
):
    entry, first = _progress_with_two_versions(project, manager)

    page = manager_client.get(_revert_url(entry, first))

    assert page.context["adminform"].form["expected_version"].value() == entry.version == 2


def test_reverting_progress_of_a_locked_month_with_a_reason_restores_the_figures(
    project, manager, manager_client
):
    entry, first = _progress_with_two_versions(project, manager)
    PeriodLock.objects.create(year=2024, month=2, locked_by=manager)

    response = manager_client.post(
        _revert_url(entry, first), _revert_progress_post(entry, reason="录入错误，恢复原值")
    )

    assert response.status_code == 302
    stored = MonthlyProgress.objects.get(pk=entry.pk)
    assert (stored.investment, stored.version) == (Decimal("10"), 3)
    assert stored.history.first().history_change_reason == "录入错误，恢复原值"


def _moved_project_and_its_first_version(project, manager):
    first = project.history.order_by("history_date", "history_id").first()
    moved = Project.objects.get(pk=project.pk)
    moved.planned_start = dt.date(2024, 5, 1)
    services.save_project(actor=manager, project=moved, expected_version=project.version)
    PeriodLock.objects.create(year=2024, month=3, locked_by=manager)
    moved.refresh_from_db()
    return moved, first


def _revert_project_post(project, first, moved, reason=""):
    # Back to 2024-03-01: the start moves within a locked month, so it needs a reason.
    return project_post(
        first.instance,
        expected_version=moved.version,
        code=project.code,
        programme=project.programme_id,
        unit=project.unit_id,
        reason=reason,
    )


def test_reverting_a_project_date_into_a_locked_month_is_an_admin_message_not_a_500(
    project, manager, manager_client
):
    moved, first = _moved_project_and_its_first_version(project, manager)

    response = manager_client.post(
        _revert_url(moved, first), _revert_project_post(project, first, moved)
    )

    assert response.status_code == 302 and response.url == _revert_url(moved, first)
    assert _messages(response) == ["2024年03月已锁定；修改须填写原因。"]
    assert Project.objects.get(pk=project.pk).planned_start == dt.date(2024, 5, 1)


def test_reverting_a_project_with_a_reason_really_restores_the_old_values(
    project, manager, manager_client
):
    moved, first = _moved_project_and_its_first_version(project, manager)

    response = manager_client.post(
        _revert_url(moved, first), _revert_project_post(project, first, moved, "恢复计划开工")
    )

    assert response.status_code == 302
    stored = Project.objects.get(pk=project.pk)
    assert (stored.planned_start, stored.version) == (dt.date(2024, 3, 1), moved.version + 1)
