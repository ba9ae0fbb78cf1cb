"""A locked month's photos stay as reported, and months not yet begun take none.

Today is 2024-07-10 and March 2024 is locked in every test. A photo belongs to the
month it shows (or, for a node's photo with no month, the month it was added in):
adding one to a locked month or removing one from it is refused to unit staff and
needs a manager's reason, kept in the history; a month after this one is refused.
"""

import datetime as dt

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse

from projects.attachments import services
from projects.attachments.models import Photo
from projects.milestones import services as node_services
from projects.models import PeriodLock
from tests.attachments.test_photos import jpeg

pytestmark = pytest.mark.django_db
REFUSED_TO_STAFF = "2024年03月已上报并锁定；如需修改请联系管理员。"
NEEDS_REASON = "2024年03月已锁定；修改须填写原因。"


@pytest.fixture(autouse=True)
def _july_2024():
    with time_machine.travel(dt.datetime(2024, 7, 10, 9, 0), tick=False):
        yield


@pytest.fixture
def march_photo(staff_a, project_a):
    """A photo added to March before March was locked."""
    photo = services.upload_photo(
        actor=staff_a, project=project_a, upload=jpeg(), year=2024, month=3
    )
    PeriodLock.objects.create(year=2024, month=3)
    return photo


@pytest.fixture
def march_locked(db):
    return PeriodLock.objects.create(year=2024, month=3)


# ---------------------------------------------------------------- the service (every door's rule)


def test_unit_staff_cannot_add_a_photo_to_a_locked_month(staff_a, project_a, march_locked):
    with pytest.raises(ValidationError) as refusal:
        services.upload_photo(actor=staff_a, project=project_a, upload=jpeg(), year=2024, month=3)
    assert refusal.value.code == "locked"
    assert refusal.value.messages == [REFUSED_TO_STAFF]
    assert not Photo.objects.exists()


def test_a_manager_adds_a_photo_to_a_locked_month_only_with_a_reason(
    manager, project_a, march_locked
):
    with pytest.raises(ValidationError) as refusal:
        services.upload_photo(actor=manager, project=project_a, upload=jpeg(), year=2024, month=3)
    assert refusal.value.messages == [NEEDS_REASON]
    photo = services.upload_photo(
        actor=manager, project=project_a, upload=jpeg(), year=2024, month=3, reason="补传现场照片"
    )
    assert photo.history.latest().history_change_reason == "补传现场照片"
    assert photo.history.latest().history_user == manager


def test_unit_staff_cannot_remove_a_locked_months_photo(staff_a, march_photo):
    with pytest.raises(ValidationError) as refusal:
        services.delete_photo(actor=staff_a, photo=march_photo)
    assert refusal.value.messages == [REFUSED_TO_STAFF]
    assert Photo.objects.filter(pk=march_photo.pk).exists()


def test_a_manager_removes_a_locked_months_photo_only_with_a_reason(manager, march_photo):
    with pytest.raises(ValidationError) as refusal:
        services.delete_photo(actor=manager, photo=march_photo)
    assert refusal.value.messages == [NEEDS_REASON]
    assert Photo.objects.filter(pk=march_photo.pk).exists()
    services.delete_photo(actor=manager, photo=march_photo, reason="照片与项目不符")
    assert not Photo.objects.exists()
    removed = Photo.history.latest()
    assert (removed.history_type, removed.history_change_reason) == ("-", "照片与项目不符")


def test_a_nodes_photo_belongs_to_the_month_it_was_added_in(staff_a, manager, project_a):
    node = node_services.save_milestone(
        actor=staff_a,
        project=project_a,
        name="开工",
        planned_date=dt.date(2024, 8, 1),
        actual_date=None,
    )
    photo = services.upload_photo(actor=staff_a, project=project_a, upload=jpeg(), milestone=node)
    PeriodLock.objects.create(year=2024, month=7)
    with pytest.raises(ValidationError) as refusal:
        services.delete_photo(actor=staff_a, photo=photo)
    assert refusal.value.code == "locked" and "2024年07月" in refusal.value.messages[0]
    with pytest.raises(ValidationError):
        services.upload_photo(actor=staff_a, project=project_a, upload=jpeg(), milestone=node)
    assert Photo.objects.count() == 1


def test_photos_of_unlocked_months_are_added_and_removed_without_a_reason(staff_a, project_a):
    photo = services.upload_photo(
        actor=staff_a, project=project_a, upload=jpeg(), year=2024, month=7
    )
    services.delete_photo(actor=staff_a, photo=photo)
    assert not Photo.objects.exists()


@pytest.mark.parametrize("year, month", [(2024, 8), (2031, 5), (2099, 12)])
def test_a_photo_for_a_month_not_yet_begun_is_refused_even_to_a_manager(
    manager, project_a, year, month
):
    with pytest.raises(ValidationError) as refusal:
        services.upload_photo(
            actor=manager, project=project_a, upload=jpeg(), year=year, month=month, reason="x"
        )
    assert refusal.value.message_dict == {
        "month": [f"{year}年{month:02d}月尚未开始：照片只能添加到本月（2024年07月）及以前的月份。"]
    }
    assert not Photo.objects.exists()


def test_a_photo_for_the_current_month_is_taken(staff_a, project_a):
    services.upload_photo(actor=staff_a, project=project_a, upload=jpeg(), year=2024, month=7)
    assert Photo.objects.get().month == 7


# ---------------------------------------------------------------- the gallery page


def _gallery(project):
    return reverse("photo_gallery", kwargs={"code": project.code})


def test_gallery_refuses_unit_staff_a_locked_month_with_the_month_named(
    staff_a_client, project_a, march_locked
):
    response = staff_a_client.post(_gallery(project_a), {"image": jpeg(), "month": "2024-03"})
    assert response.status_code == 200
    assert REFUSED_TO_STAFF in response.content.decode()
    assert 'name="reason"' not in response.content.decode()
    assert not Photo.objects.exists()


def test_gallery_takes_a_managers_reason_for_a_locked_month(
    manager_client, project_a, march_locked
):
    refused = manager_client.post(_gallery(project_a), {"image": jpeg(), "month": "2024-03"})
    assert refused.status_code == 200 and NEEDS_REASON in refused.content.decode()
    saved = manager_client.post(
        _gallery(project_a), {"image": jpeg(), "month": "2024-03", "reason": "补传现场照片"}
    )
    assert saved.status_code == 302
    assert Photo.objects.get().history.latest().history_change_reason == "补传现场照片"


@pytest.mark.parametrize("month", ["2024-08", "2099-12"])
def test_gallery_refuses_a_month_not_yet_begun(staff_a_client, project_a, month):
    response = staff_a_client.post(_gallery(project_a), {"image": jpeg(), "month": month})
    assert response.status_code == 200
    assert "尚未开始" in response.content.decode()
    assert not Photo.objects.exists()


def test_gallery_offers_staff_no_remove_button_on_a_locked_months_photo(
    staff_a_client, manager_client, march_photo
):
    delete = reverse("photo_delete", kwargs={"token": march_photo.token})
    assert delete not in staff_a_client.get(_gallery(march_photo.project)).content.decode()
    manager_page = manager_client.get(_gallery(march_photo.project)).content.decode()
    assert delete in manager_page and 'name="reason"' in manager_page


# ---------------------------------------------------------------- the remove button


def _remove(client, photo, **data):
    return client.post(reverse("photo_delete", kwargs={"token": photo.token}), data)


def test_remove_refuses_unit_staff_a_locked_months_photo_with_a_message(
    staff_a_client, march_photo
):
    response = _remove(staff_a_client, march_photo)
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [REFUSED_TO_STAFF]
    assert Photo.objects.filter(pk=march_photo.pk).exists()


def test_remove_takes_a_managers_reason_for_a_locked_months_photo(manager_client, march_photo):
    refused = _remove(manager_client, march_photo)
    assert [str(m) for m in get_messages(refused.wsgi_request)] == [NEEDS_REASON]
    assert Photo.objects.filter(pk=march_photo.pk).exists()
    assert _remove(manager_client, march_photo, reason="照片与项目不符").status_code == 302
    assert not Photo.objects.exists()
    assert Photo.history.latest().history_change_reason == "照片与项目不符"


# ---------------------------------------------------------------- the entry grid's camera


def _from_grid(client, project, year, month):
    return client.post(
        reverse("photo_entry_upload"),
        {"project": project.code, "image": jpeg(), "year": year, "month": month},
        headers={"Accept": "application/json"},
    )


def test_grid_camera_refuses_a_managers_photo_for_a_locked_month_without_a_reason(
    manager_client, project_a, march_locked
):
    reply = _from_grid(manager_client, project_a, 2024, 3)
    assert (reply.status_code, reply.json()["message"]) == (400, NEEDS_REASON)
    assert not Photo.objects.exists()


@pytest.mark.parametrize("year, month", [(2024, 8), (2099, 12)])
def test_grid_camera_refuses_a_month_not_yet_begun(staff_a_client, project_a, year, month):
    reply = _from_grid(staff_a_client, project_a, year, month)
    assert reply.status_code == 400 and "尚未开始" in reply.json()["message"]
    assert not Photo.objects.exists()


# ---------------------------------------------------------------- the admin


def test_the_admin_neither_changes_nor_deletes_photos(manager_client, march_photo):
    delete = reverse("admin:attachments_photo_delete", args=[march_photo.pk])
    assert manager_client.post(delete, {"post": "yes"}).status_code == 403
    assert Photo.objects.filter(pk=march_photo.pk).exists()
