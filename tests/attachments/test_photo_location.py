"""A photo's GPS position sets the project's coordinates only when the uploader allows it."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from PIL import Image

from projects.attachments.images import GPS_IFD
from projects.attachments.models import Photo
from projects.models import Project
from tests.attachments.test_photos import _upload, jpeg

pytestmark = pytest.mark.django_db
# 36°18'7.5" N, 120°22'1.2" E: inside 城阳区 (the fixture photo's block).
INSIDE = (Decimal("120.367000"), Decimal("36.302083"))


def _point(project):
    project = Project.objects.get(pk=project.pk)
    return project.longitude, project.latitude


def test_without_leave_the_location_is_neither_read_nor_kept(staff_a, project_a):
    _upload(staff_a, project_a, jpeg())
    assert _point(project_a) == (None, None)


def test_with_leave_the_project_takes_the_photos_point_and_the_file_still_drops_it(
    staff_a, project_a
):
    photo = _upload(staff_a, project_a, jpeg(), use_location=True)
    assert _point(project_a) == INSIDE
    stored = Project.objects.get(pk=project_a.pk)
    assert stored.history.first().history_user == staff_a
    with photo.image.open("rb") as file:
        assert Image.open(file).getexif().get_ifd(GPS_IFD) == {}


def test_a_photo_without_gps_or_taken_outside_the_district_is_refused_in_chinese(
    staff_a, project_a
):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        _upload(staff_a, project_a, jpeg(gps=False), use_location=True)
    assert "没有位置信息" in " ".join(caught.value.messages)
    far = jpeg()
    far_gps = {1: "N", 2: (39.0, 54.0, 0.0), 3: "E", 4: (116.0, 23.0, 0.0)}  # Beijing
    exif = Image.Exif()
    exif[GPS_IFD] = far_gps
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "orange").save(out, "JPEG", exif=exif.tobytes())
    far.file = io.BytesIO(out.getvalue())
    far.size = len(out.getvalue())
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        _upload(staff_a, project_a, far, use_location=True)
    assert "城阳区" in " ".join(caught.value.messages)
    assert Photo.objects.count() == 0 and _point(project_a) == (None, None)


def test_the_gallery_form_has_the_box_and_shows_a_refusal_beside_it(staff_a, project_a, client):
    client.force_login(staff_a)
    url = reverse("photo_gallery", kwargs={"code": project_a.code})
    with translation.override("zh-hans"):
        response = client.post(
            url, {"image": jpeg(gps=False), "month": "2024-03", "use_location": "on"}
        )
    assert response.status_code == 200
    assert "没有位置信息" in " ".join(response.context["form"].errors["use_location"])
    response = client.post(url, {"image": jpeg(), "month": "2024-03", "use_location": "on"})
    assert response.status_code == 302
    assert _point(project_a) == INSIDE
