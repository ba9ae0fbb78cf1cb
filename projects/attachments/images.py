"""Checking and re-encoding uploaded photos with Pillow: content, size, pixels and metadata.

The file's own bytes decide what it is (never its name); the picture is decoded
and written afresh, which drops every metadata block except the date taken and,
when the office keeps locations, the GPS block.
"""

import datetime as dt
import io
import logging
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
}
EXIF_IFD, GPS_IFD = 0x8769, 0x8825
DATE_TIME, DATE_TIME_ORIGINAL = 0x0132, 0x9003
THUMB_SIDE = 360
logger = logging.getLogger(__name__)


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
    # (longitude, latitude) in WGS-84 degrees from the GPS block, read only when the
    # uploader allowed it (``read_location``); the stored file keeps it only if the office
    # keeps locations.
    location: tuple[Decimal, Decimal] | None = None


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
    upload,
    *,
    max_bytes: int,
    max_pixels: int,
    max_side: int,
    keep_location: bool,
    read_location: bool = False,
    max_source_side: int = 12_000,
    max_decoded_bytes: int = 48 * 1024 * 1024,
) -> Processed:
    """Check ``upload`` by its content and re-encode it, decoding only within bounds.

    The header is read first and the picture is decoded only when each side, the pixel
    count and the memory the decoded picture takes (pixels × bands, after a JPEG's own
    reduced-size decoding) are within bounds: a 76 KB PNG of 1 × 40,000,000 pixels once
    cost a worker 768 MB. Any error of a decoder is a refusal, never a server error.
    """
    if upload.size > max_bytes:
        raise _refuse(
            _("The photo is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": round(upload.size / 1024 / 1024, 1), "limit": max_bytes // 1024 // 1024}
        )
    upload.seek(0)
    try:
        image = _open_within_bounds(
            upload, max_pixels, max_side, max_source_side, max_decoded_bytes
        )
    except ValidationError:
        raise
    except Exception:  # a crafted file can make any decoder raise anything
        logger.info("Photo refused: the decoder failed.", exc_info=True)
        raise _refuse(_("This file is not a photo we can read (JPEG, PNG or WebP).")) from None
    content_type, extension = FORMATS[image.format]
    kind = image.format
    raw_taken, taken_at, gps = _metadata(image, keep_location or read_location)
    # Read before the block is dropped below, and only with the uploader's leave.
    location = gps_location(gps) if read_location else None
    if not keep_location:
        gps = {}
    # Scaled down first, in place: the full-size picture is never copied, so the peak is the
    # decoded original once. Turning upright after is the same, as the bound is a square.
    image.thumbnail((max_side, max_side))
    image = _upright(image)
    # Nothing of the file's own blocks goes out again: no comment, no ICC profile, no XMP.
    image.info = {}
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
        location=location,
    )


# GPS block tags (EXIF 2.3): the hemisphere letters and the degrees, minutes, seconds.
GPS_LATITUDE_REF, GPS_LATITUDE, GPS_LONGITUDE_REF, GPS_LONGITUDE = 1, 2, 3, 4


def _degrees(value, ref) -> Decimal | None:
    try:
        degrees, minutes, seconds = (Decimal(str(float(part))) for part in value)
    except (TypeError, ValueError, ZeroDivisionError, ArithmeticError):
        return None
    total = degrees + minutes / 60 + seconds / 3600
    if not total.is_finite():
        return None
    ref = ref.decode("ascii", "ignore") if isinstance(ref, bytes) else str(ref or "")
    return -total if ref.strip("\x00 ").upper() in ("S", "W") else total


def gps_location(gps: dict) -> tuple[Decimal, Decimal] | None:
    """(longitude, latitude) from an EXIF GPS block; None when it is missing or garbled."""
    if GPS_LATITUDE not in gps or GPS_LONGITUDE not in gps:
        return None
    latitude = _degrees(gps[GPS_LATITUDE], gps.get(GPS_LATITUDE_REF))
    longitude = _degrees(gps[GPS_LONGITUDE], gps.get(GPS_LONGITUDE_REF))
    if latitude is None or longitude is None:
        return None
    return longitude, latitude


def _open_within_bounds(
    upload, max_pixels: int, max_side: int, max_source_side: int, max_decoded_bytes: int
) -> Image.Image:
    image = Image.open(upload)
    if image.format not in FORMATS:
        raise _refuse(_("Only JPEG, PNG and WebP photos can be uploaded."))
    width, height = image.size
    if width * height > max_pixels or max(width, height) > max_source_side:
        raise _refuse(
            _("The photo has too many pixels (%(w)s × %(h)s); make it smaller.")
            % {"w": width, "h": height}
        )
    if image.format == "JPEG":
        # JPEG decodes at 1/2, 1/4 or 1/8 of its size directly: ask for about the pixels the
        # stored photo keeps (its size fitted into the square bound; 10% less, so a 5,100-px
        # photo decodes at half size, 2,550 px, rather than whole at 78 MB).
        scale = min(1.0, 0.9 * max_side / max(width, height))
        image.draft("RGB", (max(1, int(width * scale)), max(1, int(height * scale))))
    elif width * height * max(len(image.getbands()), 1) > max_decoded_bytes:
        # PNG and WebP decode whole; scaling an RGBA picture takes about two more copies.
        raise _refuse(
            _("The photo has too many pixels (%(w)s × %(h)s); make it smaller.")
            % {"w": width, "h": height}
        )
    image.load()
    return image


def _metadata(image: Image.Image, keep_location: bool):
    """The date taken and (if kept) the GPS block; a garbled metadata block counts as none."""
    try:
        exif = image.getexif()
        raw_taken, taken_at = _taken_at(exif)
        gps = dict(exif.get_ifd(GPS_IFD)) if keep_location else {}
    except Exception:  # metadata is optional; garbage in it is not an error
        return None, None, {}
    return raw_taken, taken_at, gps


def _upright(image: Image.Image) -> Image.Image:
    """Turned upright by its orientation tag, since the tag itself is not kept."""
    try:
        return ImageOps.exif_transpose(image)
    except Exception:  # a garbled orientation tag leaves the photo as it is
        return image


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
