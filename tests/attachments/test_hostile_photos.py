"""Hostile photos: decoded only within bounds, refused with a message, never a server error."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from projects.attachments import services
from projects.attachments.models import Photo
from tests.full_storage import full

pytestmark = pytest.mark.django_db


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def png_claiming(width: int, height: int, colour_type: int = 2) -> bytes:
    """A tiny PNG whose header claims the given size: what a decompression bomb looks like."""
    header = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + _chunk(b"IEND", b"")
    )


def png_with_chunk(kind: bytes, data: bytes) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, "PNG")
    plain = out.getvalue()
    return plain[:33] + _chunk(kind, data) + plain[33:]  # right after IHDR


def upload(data: bytes, name="site.png"):
    return SimpleUploadedFile(name, data, content_type="image/png")


def _upload(actor, project, file):
    return services.upload_photo(actor=actor, project=project, upload=file, year=2024, month=3)


@pytest.mark.parametrize(
    ("width", "height", "colour_type"),
    [
        (1, 40_000_000, 0),  # 76 KB on disk, 40 million pixels: a side far over the bound
        (6_300, 6_300, 6),  # RGBA: 159 MB once decoded, over the memory bound
    ],
)
def test_a_picture_too_large_to_decode_is_refused_from_its_header(
    staff_a, project_a, width, height, colour_type
):
    with pytest.raises(ValidationError, match="像素过多"):
        _upload(staff_a, project_a, upload(png_claiming(width, height, colour_type)))
    assert Photo.objects.count() == 0


@pytest.mark.parametrize("kind", [b"zTXt", b"iCCP"])
def test_a_png_with_an_8_mb_compressed_block_is_refused_not_a_server_error(
    staff_a, project_a, kind
):
    bomb = b"k\x00\x00" + zlib.compress(b"A" * 8_000_000)
    with pytest.raises(ValidationError, match="不是可识别的照片"):
        _upload(staff_a, project_a, upload(png_with_chunk(kind, bomb)))
    assert Photo.objects.count() == 0


def test_garbage_metadata_is_dropped_and_the_photo_kept(staff_a, project_a):
    photo = _upload(staff_a, project_a, upload(png_with_chunk(b"eXIf", b"MM\x00*garbage" * 10)))
    with photo.image.open("rb") as stored:
        assert dict(Image.open(stored).getexif()) == {}
    assert photo.taken_at is None


def test_a_webp_with_garbage_exif_is_stored_without_it(staff_a, project_a):
    out = io.BytesIO()
    Image.new("RGB", (16, 16), "blue").save(out, "WEBP", exif=b"Exif\x00\x00garbage-not-tiff")
    photo = _upload(staff_a, project_a, upload(out.getvalue(), "site.webp"))
    with photo.image.open("rb") as stored:
        assert b"garbage" not in stored.read()


def test_a_jpeg_comment_does_not_survive_re_encoding(staff_a, project_a):
    out = io.BytesIO()
    Image.new("RGB", (32, 32), "green").save(
        out, "JPEG", comment=b"<script>alert(1)</script> 36.30N 120.36E"
    )
    photo = _upload(staff_a, project_a, upload(out.getvalue(), "site.jpg"))
    with photo.image.open("rb") as stored:
        content = stored.read()
    assert b"<script>" not in content and b"120.36E" not in content


def test_a_full_disk_leaves_neither_a_file_nor_a_row_and_says_so(
    staff_a, project_a, settings, tmp_path
):
    settings.STORAGES = {
        **settings.STORAGES,
        "photos": full(tmp_path / "full"),
    }
    out = io.BytesIO()
    Image.new("RGB", (32, 32), "green").save(out, "JPEG")
    with pytest.raises(ValidationError, match="照片未能保存"):
        _upload(staff_a, project_a, upload(out.getvalue(), "site.jpg"))
    assert Photo.objects.count() == 0
    assert [p for p in (tmp_path / "full").rglob("*") if p.is_file()] == []
