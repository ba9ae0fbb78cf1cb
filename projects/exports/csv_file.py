"""The CSV export: one table, UTF-8 with a byte-order mark so Excel and WPS read it."""

import csv
import io

from ..scope_labels import WHOLE_LIST, Scope
from ..selectors import (
    QuarterlyReport,
)
from .base import cell_text, table_rows
from .registry import Exporter, register


def to_csv(report: QuarterlyReport, table: str = "projects") -> bytes:
    head, body, total = table_rows(report, table)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(head)
    for cells in [*body, total]:
        writer.writerow([cell_text(c) for c in cells])
    # The byte-order mark makes Excel and WPS read the file as UTF-8.
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


@register
class CsvExporter(Exporter):
    identifier = "csv"
    name = "CSV"
    content_type = "text/csv; charset=utf-8"
    one_table = True

    def render(self, report: QuarterlyReport, table: str, scope: Scope = WHOLE_LIST) -> bytes:
        # Header first, for the systems that read it; the filter is in the file name.
        return to_csv(report, table)
