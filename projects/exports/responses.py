"""The one place a file leaves the app as an HTTP response.

Every download (report files, the agenda, nodes, status, ledger, import
templates, export jobs, share links) and every inline photo is built here, so
the headers cannot drift between doors: the name through Django's
``content_disposition_header`` (RFC 5987 ``filename*`` for Chinese names, which a
hand-written header got wrong), ``no-store`` because the figures must not stay
in a shared computer's or a proxy's cache, and ``nosniff`` so a browser never
runs a file as something other than its declared type.
"""

from collections.abc import Iterable
from typing import BinaryIO

from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header

from .registry import ExportFile, StreamedExport

NO_STORE = "private, no-store"


def _finish(response: HttpResponseBase, disposition: str | None, cache_control: str):
    if disposition is not None:
        response["Content-Disposition"] = disposition
    response["Cache-Control"] = cache_control
    response["X-Content-Type-Options"] = "nosniff"
    return response


def download(
    body: bytes | str | Iterable[bytes] | BinaryIO, *, content_type: str, filename: str
) -> HttpResponseBase:
    """A file to save: bytes at once, an open file or an iterable of pieces streamed."""
    if isinstance(body, bytes | str):
        response = HttpResponse(body, content_type=content_type)
    elif hasattr(body, "read"):
        response = FileResponse(body, content_type=content_type)
    else:
        response = StreamingHttpResponse(body, content_type=content_type)
    return _finish(response, content_disposition_header(True, filename), NO_STORE)


def export_download(export: ExportFile | StreamedExport) -> HttpResponseBase:
    """A registered exporter's file, made whole or still being written."""
    body = export.content if isinstance(export, ExportFile) else export.chunks
    return download(body, content_type=export.content_type, filename=export.filename)


def inline_file(file: BinaryIO, *, content_type: str, cache_control: str) -> HttpResponseBase:
    """A file shown in the page (a photo), without its storage name and with its own caching."""
    return _finish(FileResponse(file, content_type=content_type), "inline", cache_control)
