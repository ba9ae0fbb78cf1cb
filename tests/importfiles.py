"""Build CSV and XLSX files in memory for the import tests."""

import io

import openpyxl

from projects.imports import LEDGER_COLUMNS, PROGRESS_COLUMNS

LEDGER_HEADERS = [c.header for c in LEDGER_COLUMNS]
PROGRESS_HEADERS = [c.header for c in PROGRESS_COLUMNS]


def csv_bytes(rows, encoding="utf-8") -> bytes:
    lines = []
    for row in rows:
        cells = []
        for cell in row:
            text = "" if cell is None else str(cell)
            if any(ch in text for ch in ',"\n'):
                text = '"' + text.replace('"', '""') + '"'
            cells.append(text)
        lines.append(",".join(cells))
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(rows) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def make_file(fmt, rows, encoding="utf-8") -> bytes:
    return xlsx_bytes(rows) if fmt == "xlsx" else csv_bytes(rows, encoding)


def ledger_row(**values):
    """A full ledger row, Chinese headers, from readable defaults and overrides."""
    row = {
        "项目编号": "CY-001",
        "项目名称": "物元半导体项目",
        "项目清单": "2024年市级攻坚项目",
        "年度": 2024,
        "项目类别": "先进制造业",
        "责任单位": "区发展和改革局",
        "所在街道": "流亭",
        # A leader must be on the list (Leader) to import; tests that name one make it.
        "包联领导": "",
        "建设性质": "新开工",
        "总投资（万元）": "200000",
        "计划开工日期": "2024-03-15",
        "实际开工日期": "",
        "计划竣工日期": "2025-12-31",
        "列入日期": "",
        "调出日期": "",
        "一季度计划投资（万元）": "1000",
        "二季度计划投资（万元）": "2000",
        "三季度计划投资（万元）": "3000",
        "四季度计划投资（万元）": "4000",
        "一季度计划纳统（万元）": "800",
        "二季度计划纳统（万元）": "1600",
        "三季度计划纳统（万元）": "2400",
        "四季度计划纳统（万元）": "3200",
        "形象进度": "研发楼主体已封顶",
        "标签": "",
    }
    unknown = set(values) - set(LEDGER_HEADERS)
    assert not unknown, f"not a ledger header: {unknown}"
    row.update(values)
    # A column added to the schema later is blank unless a test names it.
    return [row.get(h, "") for h in LEDGER_HEADERS]
