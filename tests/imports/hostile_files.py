"""Hostile spreadsheets and CSV files, built in memory for the bounded-reading tests."""

import io
import os
import zipfile

SPREADSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml"
PACKAGE = "http://schemas.openxmlformats.org/package/2006"
RELATIONS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT_TYPES = (
    f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{PACKAGE}/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{SPREADSHEET}.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    f'ContentType="{SPREADSHEET}.worksheet+xml"/></Types>'
)
ROOT_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE}/relationships">'
    f'<Relationship Id="rId1" Type="{RELATIONS}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    f'xmlns:r="{RELATIONS}">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE}/relationships">'
    f'<Relationship Id="rId1" Type="{RELATIONS}/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)
SHEET_OPEN = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def workbook(sheet_chunks, *, prolog: str = "") -> bytes:
    """A minimal .xlsx whose first sheet's XML is written from ``sheet_chunks`` (str pieces)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(prolog.encode())
            for chunk in sheet_chunks:
                sheet.write(chunk.encode())
    return buffer.getvalue()


def inline_cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def far_cell_workbook() -> bytes:
    """Declares A1:XFD1048576 and holds one cell at the very end, as the 4.7 KB attack did."""
    return workbook(
        [
            SHEET_OPEN,
            '<dimension ref="A1:XFD1048576"/><sheetData>',
            f'<row r="1">{inline_cell("A1", "项目编号")}</row>',
            f'<row r="1048576">{inline_cell("XFD1048576", "x")}</row>',
            "</sheetData></worksheet>",
        ]
    )


def lying_dimension_workbook() -> bytes:
    """Declares A1:XFD1048576 but holds only two small rows: it must read normally."""
    return workbook(
        [
            SHEET_OPEN,
            '<dimension ref="A1:XFD1048576"/><sheetData>',
            f'<row r="1">{inline_cell("A1", "项目编号")}{inline_cell("B1", "项目名称")}</row>',
            f'<row r="2">{inline_cell("A2", "CY-001")}{inline_cell("B2", "物元")}</row>',
            "</sheetData></worksheet>",
        ]
    )


def deflate_bomb_workbook(unpacked_mb: int) -> bytes:
    """A few KB on disk, ``unpacked_mb`` MB of whitespace inside the sheet once unpacked."""
    blank = " " * (1024 * 1024)
    return workbook(
        [SHEET_OPEN, "<sheetData>", *([blank] * unpacked_mb), "</sheetData></worksheet>"]
    )


def wide_row_workbook(cells: int) -> bytes:
    """One row of ``cells`` cells without references: a single huge element."""
    piece = "<c><v>1</v></c>" * 1000
    return workbook(
        [
            SHEET_OPEN,
            "<sheetData><row>",
            *([piece] * (cells // 1000)),
            "</row></sheetData></worksheet>",
        ]
    )


def many_rows_workbook(rows: int) -> bytes:
    return workbook(
        [
            SHEET_OPEN,
            "<sheetData>",
            *(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(1, rows + 1)),
            "</sheetData></worksheet>",
        ]
    )


BILLION_LAUGHS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
    + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
    + "]>"
)


def entity_workbook() -> bytes:
    """A DOCTYPE declaring nested entities (the billion-laughs shape) in the sheet."""
    return workbook(
        [
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">',
            f'<sheetData><row r="1">{inline_cell("A1", "&i;")}</row></sheetData></worksheet>',
        ],
        prolog=BILLION_LAUGHS,
    )


def garbage_named_xlsx() -> bytes:
    return bytes(range(256)) * 64 + os.urandom(4096)


def garbage_zip() -> bytes:
    """Starts like a zip (PK\\x03\\x04) and is nothing of the sort."""
    return b"PK\x03\x04" + os.urandom(8192)


def long_csv(rows: int) -> bytes:
    lines = ["项目编号,项目名称,月份,完成投资（万元）"]
    lines += [f"CY-{n:06d},项目{n},2024-03,{n}" for n in range(rows)]
    return ("\r\n".join(lines) + "\r\n").encode()


def wide_csv(columns: int) -> bytes:
    return (",".join(f"c{n}" for n in range(columns)) + "\r\n").encode()


def damaged_workbook() -> bytes:
    """A real workbook with bytes of the sheet's compressed data overwritten."""
    content = bytearray(lying_dimension_workbook())
    start = content.index(b"xl/worksheets/sheet1.xml") + len("xl/worksheets/sheet1.xml")
    content[start + 10 : start + 40] = b"\x00" * 30
    return bytes(content)
