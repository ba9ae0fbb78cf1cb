"""Site photos: upload checks by content and size, metadata stripped, access only to who may see."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from projects.attachments import services
from projects.attachments.images import EXIF_IFD, GPS_IFD
from projects.attachments.models import Photo

pytestmark = pytest.mark.django_db
GPS = {1: "N", 2: (36.0, 18.0, 7.5), 3: "E", 4: (120.0, 22.0, 1.2)}


def jpeg(name="site.jpg", size=(64, 48), gps=True, fmt="JPEG"):
    exif = Image.Exif()
    exif[0x0132] = "2024:03:05 10:00:00"
    exif[0x010F] = "PhoneMaker"  # camera make: dropped on upload
    if gps:
        exif[GPS_IFD] = GPS
    out = io.BytesIO()
    Image.new("RGB", size, "orange").save(out, fmt, exif=exif.tobytes())
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def _upload(actor, project, upload, **kwargs):
    return services.upload_photo(
        actor=actor, project=project, upload=upload, year=2024, month=3, **kwargs
    )


def test_gps_and_camera_details_are_stripped_and_the_date_taken_kept(staff_a, project_a):
    photo = _upload(staff_a, project_a, jpeg())
    with photo.image.open("rb") as stored:
        exif = Image.open(stored).getexif()
    assert exif.get_ifd(GPS_IFD) == {}
    assert 0x010F not in exif
    assert exif[0x0132] == "2024:03:05 10:00:00"
    assert photo.taken_at.date().isoformat() == "2024-03-05"
    assert EXIF_IFD not in exif or exif.get_ifd(EXIF_IFD) == {}


def test_the_office_can_choose_to_keep_the_location(settings, staff_a, project_a):
    settings.PHOTOS_KEEP_LOCATION = True
    photo = _upload(staff_a, project_a, jpeg())
    with photo.image.open("rb") as stored:
        assert Image.open(stored).getexif().get_ifd(GPS_IFD)[1] == "N"


def test_a_renamed_text_file_is_refused_by_its_content(staff_a, project_a):
    fake = SimpleUploadedFile("site.jpg", b"not a picture at all\n" * 10, "image/jpeg")
    with pytest.raises(ValidationError, match="不是可识别的照片"):
        _upload(staff_a, project_a, fake)
    assert Photo.objects.count() == 0


def test_a_gif_is_refused_even_though_it_is_a_picture(staff_a, project_a):
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "GIF")
    with pytest.raises(ValidationError, match="JPEG、PNG"):
        _upload(staff_a, project_a, SimpleUploadedFile("a.png", out.getvalue()))


def test_an_oversize_file_is_refused_before_it_is_read(settings, staff_a, project_a):
    settings.PHOTOS_MAX_BYTES = 1024
    with pytest.raises(ValidationError, match="上限"):
        _upload(staff_a, project_a, jpeg(size=(800, 600)))


def test_too_many_pixels_are_refused_and_large_photos_are_scaled_down(settings, staff_a, project_a):
    settings.PHOTOS_MAX_PIXELS = 100 * 100
    with pytest.raises(ValidationError, match="像素过多"):
        _upload(staff_a, project_a, jpeg(size=(200, 100)))
    settings.PHOTOS_MAX_PIXELS = 10_000_000
    settings.PHOTOS_MAX_SIDE = 100
    photo = _upload(staff_a, project_a, jpeg(size=(400, 200)))
    assert (photo.width, photo.height) == (100, 50)


def test_stored_names_are_unguessable_and_say_nothing_of_the_upload(staff_a, project_a):
    photo = _upload(staff_a, project_a, jpeg(name="PA001-工地.jpg"))
    assert project_a.code not in photo.image.name and "工地" not in photo.image.name
    assert len(photo.token) >= 32
    assert photo.thumbnail.name.endswith("-thumb.jpg")


def test_unit_staff_cannot_add_photos_to_another_units_project(staff_a, project_b):
    with pytest.raises(PermissionDenied):
        _upload(staff_a, project_b, jpeg())


def test_the_photo_url_is_404_for_another_unit_and_for_anonymous_users(
    client, staff_a, staff_b, project_a
):
    photo = _upload(staff_a, project_a, jpeg())
    for name in ("photo_file", "photo_thumb"):
        url = reverse(name, kwargs={"token": photo.token})
        assert client.get(url).status_code == 404
        client.force_login(staff_b)
        assert client.get(url).status_code == 404
        client.force_login(staff_a)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert "private" in response["Cache-Control"]
        client.logout()


def test_the_upload_form_opens_the_phone_camera_and_stores_the_photo(client, staff_a, project_a):
    client.force_login(staff_a)
    url = reverse("photo_gallery", kwargs={"code": project_a.code})
    page = client.get(url).content.decode()
    assert 'capture="environment"' in page and 'accept="image/*"' in page
    response = client.post(url, {"image": jpeg(), "month": "2024-03", "caption": "主体施工"})
    assert response.status_code == 302
    photo = Photo.objects.get()
    assert (photo.year, photo.month, photo.caption) == (2024, 3, "主体施工")
    detail = client.get(reverse("project_detail", kwargs={"code": project_a.code}))
    assert reverse("photo_thumb", kwargs={"token": photo.token}) in detail.content.decode()


def test_a_bad_upload_on_the_page_shows_a_message_not_an_error_page(client, staff_a, project_a):
    client.force_login(staff_a)
    url = reverse("photo_gallery", kwargs={"code": project_a.code})
    fake = SimpleUploadedFile("x.jpg", b"hello", "image/jpeg")
    response = client.post(url, {"image": fake, "month": "2024-13"})
    assert response.status_code == 200
    assert Photo.objects.count() == 0


def test_removing_a_photo_deletes_its_files(staff_a, project_a, django_capture_on_commit_callbacks):
    photo = _upload(staff_a, project_a, jpeg())
    storage = Photo._meta.get_field("image").storage
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_photo(actor=staff_a, photo=photo)
    assert not storage.exists(photo.image.name)
    assert not storage.exists(photo.thumbnail.name)
