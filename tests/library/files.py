"""Small files for the 入库 tests: a plain PDF and hostile variants of it."""

import zlib

from django.core.files.uploadedfile import SimpleUploadedFile

from projects.attachments.demo import demo_pdf


def pdf(content: bytes | None = None, name="lixiang.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content or demo_pdf("approval"), "application/pdf")


def with_object(extra: bytes) -> bytes:
    """The plain PDF with one more object before its cross-reference table."""
    plain = demo_pdf("approval")
    at = plain.index(b"xref")
    return plain[:at] + b"9 0 obj\n" + extra + b"\nendobj\n" + plain[at:]


def compressed(extra: bytes) -> bytes:
    """An object stream (PDF 1.5) holding ``extra`` Flate-compressed."""
    body = zlib.compress(extra)
    return with_object(
        b"<< /Type /ObjStm /Filter /FlateDecode /Length "
        + str(len(body)).encode()
        + b" >>\nstream\n"
        + body
        + b"\nendstream"
    )
