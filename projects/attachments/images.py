"""Checking and re-encoding uploaded photos with Pillow: content, size, pixels and metadata.

The file's own bytes decide what it is (never its name); the picture is decoded
and written afresh, which drops every metadata block except the date taken and,
when the office keeps locations, the GPS block.
"""

import datetime as dt
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
}
EXIF_IFD, GPS_IFD = 0x8769, 0x8825
DATE_TIME, DATE_TIME_ORIGINAL = 0x0132, 0x9003
THUMB_SIDE = 360


@dataclass(frozen=True)
class Processed:
    """A photo ready to store: the re-encoded picture, its thumbnail and what we learnt of it."""

    content: bytes
    thumbnail: bytes
    content_type: str
    extension: str
    width: int
    height: int
    taken_at: dt.datetime | None


def _refuse(message: str) -> ValidationError:
    return ValidationError({"image": message}, code="bad_photo")


def _taken_at(exif: Image.Exif) -> tuple[str | None, dt.datetime | None]:
    raw = exif.get_ifd(EXIF_IFD).get(DATE_TIME_ORIGINAL) or exif.get(DATE_TIME)
    if not isinstance(raw, str):
        return None, None
    try:
        return raw, dt.datetime.strptime(raw.strip("\x00 "), "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None, None


def process(
    upload, *, max_bytes: int, max_pixels: int, max_side: int, keep_location: bool
) -> Processed:
    if upload.size > max_bytes:
        raise _refuse(
            _("The photo is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": round(upload.size / 1024 / 1024, 1), "limit": max_bytes // 1024 // 1024}
        )
    upload.seek(0)
    try:
        image = Image.open(upload)
        if image.format not in FORMATS:
            raise _refuse(_("Only JPEG, PNG and WebP photos can be uploaded."))
        if image.width * image.height > max_pixels:
            raise _refuse(
                _("The photo has too many pixels (%(w)s × %(h)s); make it smaller.")
                % {"w": image.width, "h": image.height}
            )
        image.load()
    except ValidationError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError):
        raise _refuse(_("This file is not a photo we can read (JPEG, PNG or WebP).")) from None
    content_type, extension = FORMATS[image.format]
    kind = image.format
    exif = image.getexif()
    raw_taken, taken_at = _taken_at(exif)
    gps = dict(exif.get_ifd(GPS_IFD)) if keep_location else {}
    image = ImageOps.exif_transpose(image)  # turn it upright, since the orientation tag goes
    image.thumbnail((max_side, max_side))
    kept = Image.Exif()
    if raw_taken:
        kept[DATE_TIME] = raw_taken
    if gps:
        kept[GPS_IFD] = gps
    content = _encode(image, kind, kept)
    thumb = image.copy()
    thumb.thumbnail((THUMB_SIDE, THUMB_SIDE))
    return Processed(
        content=content,
        thumbnail=_encode(thumb, "JPEG", Image.Exif()),
        content_type=content_type if kind != "JPEG" else "image/jpeg",
        extension=extension,
        width=image.width,
        height=image.height,
        taken_at=taken_at,
    )


def _encode(image: Image.Image, kind: str, exif: Image.Exif) -> bytes:
    if kind == "JPEG" and image.mode not in ("RGB", "L"):
        background = Image.new("RGB", image.size, "white")
        if image.mode in ("RGBA", "LA", "P"):
            image = image.convert("RGBA")
            background.paste(image, mask=image.getchannel("A"))
        else:
            background.paste(image.convert("RGB"))
        image = background
    out = io.BytesIO()
    options = {"exif": exif.tobytes()} if len(exif) else {}
    if kind in ("JPEG", "WEBP"):
        options["quality"] = 85
    image.save(out, format=kind, **options)
    return out.getvalue()
