"""Two people editing the same figures: nobody's change is lost without a word."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from projects import services
from projects.models import MonthlyProgress
from tests.admin.posts import change_url, inline_management, project_post
from tests.factories import MonthlyProgressFactory, ProjectFactory
from tests.importfiles import PROGRESS_HEADERS, csv_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(unit_a):
    return ProjectFactory(code="A-001", unit=unit_a)


def test_import_confirm_refuses_rows_changed_after_the_preview(project, staff_a, staff_a_client):
    entry = MonthlyProgressFactory(project=project, month=3, investment=Decimal("10"))
    url = reverse("imports:import", args=["progress"])
    rows = [PROGRESS_HEADERS, ["A-001", 2024, 3, "99", "1", "", ""]]
    preview = staff_a_client.post(
        url, {"file": SimpleUploadedFile("p.csv", csv_bytes(rows), content_type="text/csv")}
    )
    token = preview.context["token"]
    assert token

    # A colleague saves the same month between the preview and the confirm.
    services.record_progress(
        actor=staff_a,
        project=project,
        year=2024,
        month=3,
        investment=Decimal("55"),
        inclusion=Decimal("0"),
        expected_version=entry.version,
    )
    staff_a_client.post(url, {"token": token})

    entry.refresh_from_db()
    assert entry.investment == Decimal("55")


def test_adding_a_month_a_colleague_created_meanwhile_is_a_clash_not_an_overwrite(project, staff_a):
    MonthlyProgressFactory(project=project, month=4, investment=Decimal("12"))
    with pytest.raises(services.stale_error().__class__) as clash:
        services.record_progress(
            actor=staff_a,
            project=project,
            year=2024,
            month=4,
            investment=Decimal("99"),
            inclusion=Decimal("0"),
        )
    assert clash.value.code == "stale"
    assert MonthlyProgress.objects.get(project=project, month=4).investment == Decimal("12")


def test_inline_add_of_an_existing_month_writes_nothing(project, staff_a_client):
    MonthlyProgressFactory(project=project, month=4, investment=Decimal("12"))
    data = project_post(project, **inline_management("progress", 1, 0))
    data.update(
        {
            "progress-0-year": "2024",
            "progress-0-month": "4",
            "progress-0-investment": "99",
            "progress-0-inclusion": "0",
            "progress-0-project": project.pk,
        }
    )
    staff_a_client.post(change_url(project), data)
    assert MonthlyProgress.objects.get(project=project, month=4).investment == Decimal("12")


def test_a_post_without_the_version_is_refused(project, staff_a_client):
    entry = MonthlyProgressFactory(project=project, month=3, investment=Decimal("10"))
    response = staff_a_client.post(
        change_url(entry), {"investment": "999", "inclusion": "1", "image_progress": ""}
    )
    assert response.status_code == 200  # the form again, with the reason
    entry.refresh_from_db()
    assert entry.investment == Decimal("10")


def test_list_edit_of_one_row_writes_only_that_row(project, staff_a, staff_a_client, manager):
    entries = [
        MonthlyProgressFactory(project=project, month=m, investment=Decimal("10"))
        for m in (1, 2, 3)
    ]
    before = MonthlyProgress.history.count()
    data = {**inline_management("form", 3, 3), "_save": "保存"}
    for i, entry in enumerate(entries):
        value = "77" if i == 0 else "10.00"
        data.update(
            {
                f"form-{i}-id": entry.pk,
                f"form-{i}-investment": value,
                f"form-{i}-inclusion": "40.00",
                f"initial-form-{i}-investment": "10.00",
                f"initial-form-{i}-inclusion": "40.00",
            }
        )
    staff_a_client.post(reverse("admin:projects_monthlyprogress_changelist"), data)

    fresh = {e.pk: e for e in MonthlyProgress.objects.all()}
    assert fresh[entries[0].pk].investment == Decimal("77")
    assert fresh[entries[0].pk].updated_by == staff_a
    assert [fresh[e.pk].version for e in entries[1:]] == [1, 1]
    assert MonthlyProgress.history.count() == before + 1


def test_unchanged_inline_rows_in_a_locked_month_do_not_block_editing_notes(
    project, staff_a_client, manager
):
    entry = MonthlyProgressFactory(project=project, month=1, investment=Decimal("10"))
    services.lock_month(actor=manager, year=2024, month=1, reason="上报（部分单位未审核）")
    data = project_post(project, notes="补充说明", **inline_management("progress", 1, 1))
    data.update(
        {
            "progress-0-id": entry.pk,
            "progress-0-project": project.pk,
            "progress-0-expected_version": entry.version,
            "progress-0-year": "2024",
            "progress-0-month": "1",
            "progress-0-investment": "10.00",
            "progress-0-inclusion": "40.00",
            "progress-0-image_progress": "",
            "progress-0-problems": "",
        }
    )
    staff_a_client.post(change_url(project), data)
    project.refresh_from_db()
    assert project.notes == "补充说明"
