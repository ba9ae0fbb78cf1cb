"""Site photos from the month entry grid: a camera on each row, a small form of its own."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.attachments import services
from projects.attachments.models import Photo
from projects.models import PeriodLock, Project
from tests.attachments.test_photos import jpeg
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db
UPLOAD = reverse("photo_entry_upload")
ENTRY = reverse("entry")
MARCH = {"year": 2024, "month": 3}


def _post(client, project, image, json=False, **extra):
    data = {"project": project.code, "image": image, **MARCH, **extra}
    headers = {"Accept": "application/json"} if json else {}
    return client.post(UPLOAD, data, headers=headers)


def test_a_row_photo_is_kept_for_the_month_and_the_page_comes_back_to_it(
    staff_a_client, project_a, unit_a
):
    response = _post(staff_a_client, project_a, jpeg(), unit=str(unit_a.pk), cumulative="1")
    assert response.status_code == 302
    assert response["Location"] == f"{ENTRY}?year=2024&month=3&unit={unit_a.pk}&cumulative=1"
    photo = Photo.objects.get()
    assert (photo.project, photo.year, photo.month) == (project_a, 2024, 3)
    page = staff_a_client.get(response["Location"]).content.decode()
    assert "已为PA001添加2024年03月的照片。" in page


def test_sent_in_the_background_it_answers_with_the_rows_new_count_and_thumbnail(
    staff_a_client, project_a
):
    _post(staff_a_client, project_a, jpeg(), json=True)
    reply = _post(staff_a_client, project_a, jpeg(), json=True).json()
    latest = Photo.objects.order_by("-uploaded_at", "-id").first()
    assert reply["ok"] is True
    assert reply["count"] == 2
    assert reply["thumb"] == reverse("photo_thumb", kwargs={"token": latest.token})


def test_another_units_project_reads_as_missing(staff_a_client, project_b):
    assert _post(staff_a_client, project_b, jpeg()).status_code == 404
    assert not Photo.objects.exists()


def test_a_report_reader_sees_the_project_but_may_not_add_to_it(viewer_client, project_a):
    assert _post(viewer_client, project_a, jpeg()).status_code == 403
    assert not Photo.objects.exists()


def test_anonymous_uploads_go_to_the_login_page(client, project_a):
    response = _post(client, project_a, jpeg())
    assert response.status_code == 302 and "login" in response["Location"]
    assert not Photo.objects.exists()


def test_a_locked_month_refuses_photos_with_a_message(staff_a_client, manager, project_a):
    PeriodLock.objects.create(year=2024, month=3)
    reply = _post(staff_a_client, project_a, jpeg(), json=True)
    assert reply.status_code == 400
    assert reply.json()["message"] == "2024年03月已上报并锁定；如需修改请联系管理员。"
    with pytest.raises(ValidationError):
        services.upload_photo(actor=manager, project=project_a, upload=jpeg(), year=2024, month=3)
    assert not Photo.objects.exists()


def test_a_renamed_text_file_is_refused_in_chinese_and_the_grid_comes_back(
    staff_a_client, project_a
):
    fake = SimpleUploadedFile("site.jpg", b"not a picture\n" * 20, "image/jpeg")
    reply = _post(staff_a_client, project_a, fake, json=True)
    assert reply.status_code == 400
    assert "不是可识别的照片" in reply.json()["message"]
    fake.seek(0)
    response = _post(staff_a_client, project_a, fake, follow=False)
    assert response.status_code == 302
    page = staff_a_client.get(response["Location"]).content.decode()
    assert "不是可识别的照片" in page
    assert not Photo.objects.exists()


def test_no_file_or_a_nonsense_month_gets_a_message_not_an_error(staff_a_client, project_a):
    reply = staff_a_client.post(
        UPLOAD, {"project": project_a.code, **MARCH}, headers={"Accept": "application/json"}
    )
    assert reply.status_code == 400
    assert reply.json()["message"] == "请先选择或拍摄一张照片。"
    bad = _post(staff_a_client, project_a, jpeg(), json=True, month="13")
    assert bad.status_code == 400 and bad.json()["message"]
    assert not Photo.objects.exists()


def _entry(client):
    return client.get(ENTRY, MARCH).content.decode()


def test_each_row_shows_its_photo_count_latest_thumbnail_and_the_phone_camera(
    staff_a_client, staff_a, project_a
):
    ProjectFactory(code="PA002", unit=project_a.unit)
    for _ in range(2):
        photo = services.upload_photo(
            actor=staff_a, project=project_a, upload=jpeg(), year=2024, month=3
        )
    page = _entry(staff_a_client)
    assert "本月照片 2 张" in page and "本月暂无照片" in page
    assert reverse("photo_thumb", kwargs={"token": photo.token}) in page
    assert f'form="photo-{project_a.pk}"' in page
    assert 'capture="environment"' in page and 'accept="image/*"' in page
    # The small forms come after the grid's form closes: forms cannot nest.
    grid_end = page.index("</form>", page.index('class="entry-form"'))
    assert page.index(f'id="photo-{project_a.pk}"') > grid_end


def test_a_row_counts_its_own_photos_of_the_month_not_its_units_others(
    staff_a_client, staff_a, project_a
):
    """The photos are read by unit: another project's of the unit and another month's
    must not land on the row."""
    gone = ProjectFactory(code="PA002", unit=project_a.unit)
    services.upload_photo(actor=staff_a, project=project_a, upload=jpeg(), year=2024, month=3)
    services.upload_photo(actor=staff_a, project=project_a, upload=jpeg(), year=2024, month=2)
    for _ in range(2):
        services.upload_photo(actor=staff_a, project=gone, upload=jpeg(), year=2024, month=3)
    Project.objects.filter(pk=gone.pk).update(withdrawn_on=dt.date(2024, 3, 1))
    page = _entry(staff_a_client)
    assert "PA002" not in page
    assert page.count("本月照片 1 张") == 1 and "本月照片 2 张" not in page


def test_a_locked_month_offers_no_camera(staff_a_client, project_a):
    PeriodLock.objects.create(year=2024, month=3)
    assert 'capture="environment"' not in _entry(staff_a_client)


def test_the_entry_page_takes_the_same_queries_however_many_projects_and_photos(
    staff_a_client, staff_a, project_a
):
    _entry(staff_a_client)
    with CaptureQueriesContext(connection) as few:
        _entry(staff_a_client)
    for i in range(4):
        project = ProjectFactory(code=f"PA1{i}", unit=project_a.unit)
        services.upload_photo(actor=staff_a, project=project, upload=jpeg(), year=2024, month=3)
    with CaptureQueriesContext(connection) as many:
        page = _entry(staff_a_client)
    assert page.count("本月照片 1 张") == 4
    assert len(many) == len(few)
