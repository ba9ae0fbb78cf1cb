"""Checks an .xlsx upload must pass before a spreadsheet library parses it.

A workbook is a zip of XML parts, and each layer can be turned against the server: a
deflate bomb unpacks a few kilobytes into gigabytes, a declared ``<dimension>`` of
A1:XFD1048576 makes a reader pad every row to 16,384 cells, one ``<row>`` can hold
millions of cells, and a DOCTYPE can declare entities that expand without end. This
module looks at the zip directory and then streams every XML part once, with the
uncompressed bytes counted as they are read and each element dropped as soon as it is
seen, so memory stays small whatever the file claims. Expat is driven directly, with a
DOCTYPE or entity declaration refused the moment it starts (the check defusedxml makes,
without building a tree); openpyxl then parses the vetted file through defusedxml too.
"""

import re
import zipfile
import zlib
from dataclasses import dataclass
from xml.parsers import expat

from django.conf import settings
from django.utils.translation import gettext as _

SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
WORKSHEET_PART = re.compile(r"^xl/worksheets/[^/]+\.xml$", re.IGNORECASE)
MAX_PARTS = 1000
_COLUMN_LETTERS = re.compile(r"^([A-Z]{1,3})")


class FileRefused(ValueError):
    """The file is refused as a whole; the message says why, for the person uploading it."""


@dataclass(frozen=True)
class Limits:
    """How large an upload may be, unpacked and as a table."""

    file_bytes: int
    uncompressed_bytes: int
    rows: int
    columns: int

    @classmethod
    def from_settings(cls) -> "Limits":
        return cls(
            file_bytes=settings.IMPORT_MAX_FILE_BYTES,
            uncompressed_bytes=settings.IMPORT_MAX_UNCOMPRESSED_BYTES,
            rows=settings.IMPORT_MAX_ROWS,
            columns=settings.IMPORT_MAX_COLUMNS,
        )


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0")


def refuse_too_many_rows(limits: Limits) -> FileRefused:
    return FileRefused(
        _("The file has more than %(max)s rows; import at most %(max)s rows at a time.")
        % {"max": limits.rows}
    )


def refuse_too_many_columns(limits: Limits) -> FileRefused:
    return FileRefused(
        _("The file has a row with more than %(max)s columns; a ledger has far fewer.")
        % {"max": limits.columns}
    )


def check_size(content: bytes, limits: Limits) -> None:
    if len(content) > limits.file_bytes:
        raise FileRefused(
            _("The file is %(size)s MB; upload at most %(max)s MB at a time.")
            % {"size": megabytes(len(content)), "max": megabytes(limits.file_bytes)}
        )


def check_workbook(archive: zipfile.ZipFile, limits: Limits) -> None:
    """Refuse a workbook whose parts unpack too large, declare a DTD or hold too big a sheet."""
    parts = archive.infolist()
    if len(parts) > MAX_PARTS:
        raise FileRefused(_("The workbook has too many parts to be a ledger."))
    declared = 0
    for part in parts:
        declared += part.file_size
        if part.file_size > limits.uncompressed_bytes or declared > limits.uncompressed_bytes:
            raise _unpacks_too_large(limits)
    # The sizes above are what the zip claims; the counting reader enforces what it holds.
    budget = _Budget(limits.uncompressed_bytes)
    try:
        for part in parts:
            if part.filename.lower().endswith((".xml", ".rels", ".vml")):
                with archive.open(part) as raw:
                    _scan_xml(_Counted(raw, budget, limits), part.filename, limits)
    except (
        zipfile.BadZipFile,
        RuntimeError,
        NotImplementedError,
        OSError,
        EOFError,
        zlib.error,
    ) as exc:
        # A damaged part (bad checksum, truncated data), an encrypted or unknown compression.
        raise _unreadable() from exc


def _unreadable() -> FileRefused:
    return FileRefused(_("The file cannot be read as an Excel workbook (.xlsx) or a CSV file."))


def _unpacks_too_large(limits: Limits) -> FileRefused:
    return FileRefused(
        _(
            "The workbook unpacks to more than %(max)s MB, far more than a ledger needs; "
            "it may be damaged or built to overload the server."
        )
        % {"max": megabytes(limits.uncompressed_bytes)}
    )


class _Budget:
    """Uncompressed bytes left for the whole workbook."""

    def __init__(self, left: int):
        self.left = left


class _Counted:
    """A file-like view of one zip part that stops once the workbook's budget is spent."""

    def __init__(self, raw, budget: _Budget, limits: Limits):
        self.raw, self.budget, self.limits = raw, budget, limits

    def read(self, size: int = 64 * 1024) -> bytes:
        chunk = self.raw.read(min(size if size and size > 0 else 64 * 1024, 64 * 1024))
        self.budget.left -= len(chunk)
        if self.budget.left < 0:
            raise _unpacks_too_large(self.limits)
        return chunk


class _DeclarationFound(Exception):
    """A DOCTYPE or entity declaration: never in a real workbook."""


def _scan_xml(stream, name: str, limits: Limits) -> None:  # noqa: C901
    """Stream one XML part through expat without building a tree: memory stays constant."""
    is_sheet = bool(WORKSHEET_PART.match(name))
    state = {"rows": 0, "cells": 0, "has_value": False, "in_value": False}

    def start(tag, attributes):
        local = tag.rpartition(" ")[2]
        if local == "row":
            state["cells"], state["has_value"] = 0, False
        elif local == "c":
            state["cells"] += 1
            column = _column_number(attributes.get("r", ""))
            if state["cells"] > limits.columns or column > limits.columns:
                raise refuse_too_many_columns(limits)
        elif local in ("v", "t"):
            state["in_value"] = True

    def end(tag):
        local = tag.rpartition(" ")[2]
        if local in ("v", "t"):
            state["in_value"] = False
        elif local == "row" and state["has_value"]:
            state["rows"] += 1
            if state["rows"] > limits.rows:
                raise refuse_too_many_rows(limits)

    def text(data):
        if state["in_value"] and not state["has_value"] and data.strip():
            state["has_value"] = True

    def declaration(*args):
        raise _DeclarationFound

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = declaration
    parser.EntityDeclHandler = declaration
    parser.ExternalEntityRefHandler = declaration
    if is_sheet:
        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.CharacterDataHandler = text
    try:
        parser.ParseFile(stream)
    except _DeclarationFound as exc:
        raise FileRefused(
            _(
                "The workbook contains a DOCTYPE or entity declaration, which spreadsheets "
                "never need; it is refused for safety. Save it again from Excel or WPS."
            )
        ) from exc
    except expat.ExpatError as exc:
        raise _unreadable() from exc


def _column_number(reference: str) -> int:
    """A1 -> 1, XFD1048576 -> 16384; 0 when the cell gives no reference."""
    match = _COLUMN_LETTERS.match(reference.upper())
    if not match:
        return 0
    number = 0
    for letter in match.group(1):
        number = number * 26 + ord(letter) - ord("A") + 1
    return number
