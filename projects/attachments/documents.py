"""Checking an uploaded 入库 document: a PDF read by its bytes, or a picture as photos are.

A picture goes through the photo store's own check and re-encoding (``images.process``), so
what it keeps is what a photo keeps. A PDF cannot be re-encoded here without a library the
project does not carry, so it is bounded and read by its bytes: the file must be a PDF from
its first byte to its end marker, and a PDF that can run anything when opened (scripts,
launch actions, embedded files, forms that run) is refused. It is only ever sent back as a
download with ``nosniff``, never shown inline.
"""

import re
import zlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import images

PDF_MAX_BYTES = 10 * 1024 * 1024
# PDF names may be written with #xx escapes (/J#61vaScript is /JavaScript): read them as such.
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
ACTIVE = (b"/JavaScript", b"/JS", b"/Launch", b"/EmbeddedFile", b"/RichMedia", b"/XFA")
_ACTIVE_NAME = re.compile(rb"(" + rb"|".join(re.escape(a) for a in ACTIVE) + rb")(?![A-Za-z])")


@dataclass(frozen=True)
class CheckedDocument:
    content: bytes
    content_type: str
    extension: str


def _refuse(message: str) -> ValidationError:
    return ValidationError({"document": message}, code="bad_document")


def check(upload) -> CheckedDocument:
    """The upload as it will be stored, or a refusal naming what is wrong; nothing is written."""
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head == b"%PDF-":
        return _check_pdf(upload)
    try:
        processed = images.process(
            upload,
            max_bytes=settings.PHOTOS_MAX_BYTES,
            max_pixels=settings.PHOTOS_MAX_PIXELS,
            max_side=settings.PHOTOS_MAX_SIDE,
            keep_location=False,
            max_source_side=settings.PHOTOS_MAX_SOURCE_SIDE,
            max_decoded_bytes=settings.PHOTOS_MAX_DECODED_BYTES,
        )
    except ValidationError as error:
        messages = error.message_dict.get("image", error.messages)
        raise _refuse(
            " ".join(messages) + " " + _("A 入库 document is a PDF or a picture (JPEG, PNG, WebP).")
        ) from None
    return CheckedDocument(processed.content, processed.content_type, processed.extension)


def _check_pdf(upload) -> CheckedDocument:
    if upload.size > PDF_MAX_BYTES:
        raise _refuse(
            _("The PDF is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": round(upload.size / 1024 / 1024, 1), "limit": PDF_MAX_BYTES // 1024 // 1024}
        )
    content = upload.read(PDF_MAX_BYTES + 1)
    if len(content) > PDF_MAX_BYTES:
        raise _refuse(_("The PDF is larger than the limit."))
    if b"%%EOF" not in content[-2048:]:
        raise _refuse(_("This PDF is incomplete or damaged (no end marker); save it again."))
    if any(_ACTIVE_NAME.search(_names(part)) for part in _readable_parts(content)):
        raise _refuse(
            _(
                "This PDF contains scripts, embedded files or actions that run when it is "
                "opened; print it to PDF again (as a plain document) and upload that."
            )
        )
    return CheckedDocument(content, "application/pdf", "pdf")


# Inflated bytes read from a PDF's compressed streams, at most: a small file that inflates
# to gigabytes (a zip bomb) stops being read there and is refused as unreadable.
INFLATE_MAX_BYTES = 32 * 1024 * 1024
_STREAM = re.compile(rb"stream\r?\n")


def _names(part: bytes) -> bytes:
    return _NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), part)


def _readable_parts(content: bytes):
    """The file, then each compressed stream inflated: object streams (PDF 1.5) hide their
    dictionaries, an action among them, inside a stream."""
    yield content
    budget = INFLATE_MAX_BYTES
    for match in _STREAM.finditer(content):
        end = content.find(b"endstream", match.end())
        if end < 0:
            break
        inflater = zlib.decompressobj()
        try:
            part = inflater.decompress(content[match.end() : end], budget)
        except zlib.error:
            continue  # not a Flate stream (an image's DCT data, say): nothing to read in it
        budget -= len(part)
        if budget <= 0 or inflater.unconsumed_tail:
            raise _refuse(_("This PDF is too large once unpacked; print it to PDF again."))
        yield part
