"""Hostile 入库 documents: read by their bytes, refused with a message, never a server error,
and nothing written when refused."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from PIL import Image

from projects.attachments import documents
from projects.attachments import library_services as services
from projects.attachments.models import LibraryDocument
from tests.attachments.test_hostile_photos import png_claiming
from tests.full_storage import full
from tests.library.files import compressed, pdf, with_object

pytestmark = pytest.mark.django_db
Kind = LibraryDocument.Kind
ACTIVE = "该 PDF 文件含有脚本、嵌入文件或打开时自动执行的动作"


def attach(actor, project, content, name="a.pdf"):
    return services.attach_library_document(
        actor=actor, project=project, kind=Kind.APPROVAL, upload=pdf(content, name)
    )


def stored_files(tmp_path) -> list:
    return [p for p in (tmp_path / "photos").rglob("*") if p.is_file()]


@pytest.mark.parametrize(
    "extra",
    [
        b"<< /S /JavaScript /JS (app.alert(1)) >>",
        b"<< /S /J#61vaScript /J#53 (app.alert(1)) >>",  # the same names, #-escaped
        b"<< /S /Launch /F (cmd.exe) >>",
        b"<< /Type /EmbeddedFile >>",
        b"<< /XFA 10 0 R >>",
    ],
)
def test_a_pdf_that_runs_something_is_refused(staff_a, project_a, tmp_path, extra):
    with pytest.raises(ValidationError, match=ACTIVE):
        attach(staff_a, project_a, with_object(extra))
    assert not LibraryDocument.objects.exists() and stored_files(tmp_path) == []


def test_an_action_hidden_in_a_compressed_object_stream_is_refused(staff_a, project_a):
    with pytest.raises(ValidationError, match=ACTIVE):
        attach(staff_a, project_a, compressed(b"<< /S /JavaScript /JS (app.alert(1)) >>"))


def test_a_compressed_stream_that_inflates_past_the_bound_is_refused(
    staff_a, project_a, monkeypatch
):
    monkeypatch.setattr(documents, "INFLATE_MAX_BYTES", 1024)
    with pytest.raises(ValidationError, match="解压后过大"):
        attach(staff_a, project_a, compressed(b"0" * 4096))


def test_a_pdf_cut_short_is_refused(staff_a, project_a):
    whole = pdf().read()
    with pytest.raises(ValidationError, match="不完整或已损坏"):
        attach(staff_a, project_a, whole[: len(whole) // 2])


def test_a_pdf_over_the_size_limit_is_refused_before_it_is_read(staff_a, project_a, monkeypatch):
    monkeypatch.setattr(documents, "PDF_MAX_BYTES", 100)
    with pytest.raises(ValidationError, match="超过了 0 MB 的上限"):
        attach(staff_a, project_a, pdf().read())


def test_a_web_page_named_pdf_is_not_taken_for_one(staff_a, project_a):
    with pytest.raises(ValidationError, match="入库材料须为 PDF 文件或图片"):
        attach(staff_a, project_a, b"<html><script>alert(1)</script></html>", "lixiang.pdf")


def test_a_picture_bomb_is_refused_from_its_header(staff_a, project_a):
    with pytest.raises(ValidationError, match="入库材料须为 PDF 文件或图片"):
        attach(staff_a, project_a, png_claiming(1, 40_000_000), "site.png")


def test_a_picture_is_re_encoded_as_a_photo_is(staff_a, project_a):
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "blue").save(out, "JPEG", comment=b"<script>x</script>")
    item = attach(staff_a, project_a, out.getvalue(), "scan.jpg")
    assert item.content_type == "image/jpeg"
    with item.document.open("rb") as stored:
        assert b"<script>" not in stored.read()


def test_a_full_disk_leaves_neither_a_file_nor_a_row_and_says_so(
    staff_a, project_a, settings, tmp_path
):
    settings.STORAGES = {**settings.STORAGES, "photos": full(tmp_path / "full")}
    with pytest.raises(ValidationError, match="文件无法保存"):
        attach(staff_a, project_a, pdf().read())
    assert not LibraryDocument.objects.exists()
    assert [p for p in (tmp_path / "full").rglob("*") if p.is_file()] == []


def test_the_page_shows_the_refusal_and_answers_200_not_500(staff_a_client, project_a):
    url = reverse("library_checklist", kwargs={"code": project_a.code})
    response = staff_a_client.post(
        url, {"kind": Kind.APPROVAL, "document": pdf(with_object(b"<< /S /Launch >>"))}
    )
    assert response.status_code == 200
    assert ACTIVE in response.content.decode()
    assert not LibraryDocument.objects.exists()


@pytest.mark.parametrize("kind", ["", "other", "入库", "x" * 500])
def test_an_unknown_item_kind_is_a_form_error(staff_a_client, project_a, kind):
    url = reverse("library_checklist", kwargs={"code": project_a.code})
    response = staff_a_client.post(url, {"kind": kind, "document": pdf()})
    assert response.status_code == 200
    assert not LibraryDocument.objects.exists()


@pytest.mark.parametrize("photo", ["abc", "-1", "99999999999999999999", "１"])
def test_a_malformed_photo_id_is_a_form_error(staff_a_client, project_a, photo):
    url = reverse("library_checklist", kwargs={"code": project_a.code})
    response = staff_a_client.post(url, {"kind": Kind.SITE_PHOTO, "photo": photo})
    assert response.status_code == 200
    assert not LibraryDocument.objects.exists()
