"""Reading an uploaded CSV or XLSX file into numbered rows of cells."""

from __future__ import annotations

import csv
import io
import zipfile

from django.utils.translation import gettext as _

from .columns import MAX_ROWS


class ImportFileError(Exception):
    """The file as a whole cannot be read (not CSV/XLSX, empty, no header row)."""


# --- reading files ---------------------------------------------------------------------------


def read_table(content: bytes, filename: str = "") -> list[tuple[int, list]]:
    """The non-blank rows of a CSV or XLSX file as (row number as Excel shows it, cells)."""
    if not content or not content.strip():
        raise ImportFileError(_("The file is empty."))
    if content[:4] == b"PK\x03\x04":
        rows = _read_xlsx(content)
    elif content[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ImportFileError(
            _("This is an old Excel (.xls) file; save it as .xlsx or CSV and upload it again.")
        )
    else:
        rows = _read_csv(content)
    numbered = [(number, cells) for number, cells in rows if any(is_filled(c) for c in cells)]
    if not numbered:
        raise ImportFileError(_("The file is empty."))
    if len(numbered) > MAX_ROWS:
        raise ImportFileError(
            _("The file has %(count)s rows; import at most %(max)s rows at a time.")
            % {"count": len(numbered), "max": MAX_ROWS}
        )
    return numbered


def is_filled(cell) -> bool:
    return cell is not None and not (isinstance(cell, str) and not cell.strip())


def _read_xlsx(content: bytes):
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise ImportFileError(
            _("The file cannot be read as an Excel workbook (.xlsx) or a CSV file.")
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        return [(i, list(row)) for i, row in enumerate(sheet.iter_rows(values_only=True), start=1)]
    except Exception as exc:  # openpyxl raises many kinds on damaged sheets
        raise ImportFileError(
            _("The file cannot be read as an Excel workbook (.xlsx) or a CSV file.")
        ) from exc
    finally:
        workbook.close()


def decode_text(content: bytes) -> str:
    """UTF-8 (with or without BOM) first; GB18030, a superset of GBK, as older Excel/WPS save."""
    if b"\x00" in content:
        raise ImportFileError(
            _("The file cannot be read as an Excel workbook (.xlsx) or a CSV file.")
        )
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(_("The file cannot be read as an Excel workbook (.xlsx) or a CSV file."))


def _read_csv(content: bytes):
    text = decode_text(content)
    try:
        return [(i, row) for i, row in enumerate(csv.reader(io.StringIO(text)), start=1)]
    except csv.Error as exc:
        raise ImportFileError(
            _("The file cannot be read as an Excel workbook (.xlsx) or a CSV file.")
        ) from exc
