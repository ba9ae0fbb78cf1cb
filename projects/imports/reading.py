"""Reading an uploaded CSV or XLSX file into numbered rows of cells, within fixed bounds.

Every upload, from the admin or a management command, is held to the limits in the
settings (IMPORT_MAX_FILE_BYTES, IMPORT_MAX_UNCOMPRESSED_BYTES, IMPORT_MAX_ROWS,
IMPORT_MAX_COLUMNS). Rows are read one at a time and counted as they come, so a file
over a limit is refused as soon as it crosses it, never after it has all been loaded.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile

from django.utils.translation import gettext as _

from .xlsx_guard import (
    FileRefused,
    Limits,
    check_size,
    check_workbook,
    refuse_too_many_columns,
    refuse_too_many_rows,
)

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# A quoted CSV field, line breaks and doubled quotes included: its commas separate nothing.
_QUOTED = re.compile(r'"[^"]*"')


class ImportFileError(Exception):
    """The file as a whole cannot be read (not CSV/XLSX, empty, too large, no header row)."""


def unreadable() -> ImportFileError:
    return ImportFileError(_("The file cannot be read as an Excel workbook (.xlsx) or a CSV file."))


def read_table(content: bytes, filename: str = "") -> list[tuple[int, list]]:
    """The non-blank rows of a CSV or XLSX file as (row number as Excel shows it, cells)."""
    limits = Limits.from_settings()
    try:
        check_size(content, limits)
        if not content or not content.strip():
            raise ImportFileError(_("The file is empty."))
        if content[:4] == b"PK\x03\x04":
            rows = _xlsx_rows(content, limits)
        elif content[:8] == OLE_SIGNATURE:
            raise ImportFileError(
                _("This is an old Excel (.xls) file; save it as .xlsx or CSV and upload it again.")
            )
        else:
            rows = _csv_rows(content, limits)
        numbered = []
        for number, cells in rows:
            if len(cells) > limits.columns:
                raise refuse_too_many_columns(limits)
            if any(is_filled(c) for c in cells):
                numbered.append((number, cells))
                if len(numbered) > limits.rows:
                    raise refuse_too_many_rows(limits)
    except FileRefused as exc:
        raise ImportFileError(str(exc)) from exc
    if not numbered:
        raise ImportFileError(_("The file is empty."))
    return numbered


def is_filled(cell) -> bool:
    return cell is not None and not (isinstance(cell, str) and not cell.strip())


def _xlsx_rows(content: bytes, limits: Limits):
    """Rows of the first sheet, streamed by openpyxl once the workbook passed the guard."""
    import openpyxl

    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise unreadable() from exc
    with archive:
        check_workbook(archive, limits)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise unreadable() from exc
    try:
        sheet = workbook.worksheets[0]
        # The declared <dimension> is the file's claim, not its content: ignore it, or a
        # claimed A1:XFD1048576 pads every row to 16,384 cells.
        sheet.reset_dimensions()
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(row)
    except (FileRefused, ImportFileError):
        raise
    except Exception as exc:  # openpyxl raises many kinds on damaged sheets
        raise unreadable() from exc
    finally:
        workbook.close()


def decode_text(content: bytes) -> str:
    """UTF-8 (with or without BOM) first; GB18030, a superset of GBK, as older Excel/WPS save."""
    if b"\x00" in content:
        raise unreadable()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise unreadable()


def _csv_rows(content: bytes, limits: Limits):
    text = decode_text(content)
    # The csv module builds each row whole; a single line of a million commas would be a
    # million cells before any check. Count separators outside quotes first.
    too_wide = re.compile(rf"^(?:[^,\r\n]*,){{{limits.columns}}}", re.MULTILINE)
    if too_wide.search(_QUOTED.sub("", text)):
        raise refuse_too_many_columns(limits)
    try:
        yield from enumerate(csv.reader(_lines(text)), start=1)
    except csv.Error as exc:
        raise unreadable() from exc


def _lines(text: str):
    """The text's lines one by one; io.StringIO would first copy it at four bytes a character."""
    start, size = 0, len(text)
    while start < size:
        end = text.find("\n", start)
        end = size if end == -1 else end + 1
        yield text[start:end]
        start = end
