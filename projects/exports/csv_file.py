"""The CSV export: one table, UTF-8 with a byte-order mark so Excel and WPS read it.

Written as it is read: rows go out in batches as the report's rows stream from
the database, so the file's size never sits in memory.
"""

import csv
import io
from collections.abc import Iterator

from ..briefing.sign_off import file_notes
from ..scope_labels import WHOLE_LIST, Scope
from ..selectors import QuarterlyReport
from ..selectors.report import BREAKDOWNS
from . import sql_rows
from .base import cell_text, table_rows
from .registry import Exporter, register

# Rows written to the buffer before it is handed on as one chunk.
BATCH = 500


def csv_chunks(
    report: QuarterlyReport, table: str = "projects", *, in_database: bool | None = None
) -> Iterator[bytes]:
    """The file, chunk by chunk. A live report's project rows on PostgreSQL are written by
    the database (``sql_rows``; ``in_database=False`` asks for the Python path, the
    same bytes)."""
    if in_database is None:
        in_database = table == "projects" and sql_rows.formats(report.rows)
    head, body, total = table_rows(report, table)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    # The byte-order mark makes Excel and WPS read the file as UTF-8.
    out.write("\ufeff")
    writer.writerow(head)
    if in_database:
        yield out.getvalue().encode("utf-8")
        out.seek(0)
        out.truncate()
        yield from sql_rows.csv_rows(report.rows)
        body = ()
    for count, cells in enumerate(body, start=1):
        writer.writerow([cell_text(c) for c in cells])
        if count % BATCH == 0:
            yield out.getvalue().encode("utf-8")
            out.seek(0)
            out.truncate()
    writer.writerow([cell_text(c) for c in total])
    # After the 合计: how complete the figures are, and which published edition this is.
    for note in file_notes(report):
        writer.writerow([cell_text(note)])
    yield out.getvalue().encode("utf-8")


def to_csv(
    report: QuarterlyReport, table: str = "projects", *, in_database: bool | None = None
) -> bytes:
    return b"".join(csv_chunks(report, table, in_database=in_database))


@register
class CsvExporter(Exporter):
    identifier = "csv"
    order = 1
    name = "CSV"
    content_type = "text/csv; charset=utf-8"
    one_table = True
    reads_rows_once = True
    binary = False
    shareable = True

    def report_parts(self, table: str) -> frozenset[str]:
        # One table: the projects' (rows, 合计, coverage notes), or one breakdown's.
        return frozenset() if table == "projects" else frozenset((BREAKDOWNS,))

    def chunks(self, report: QuarterlyReport, table: str, scope: Scope = WHOLE_LIST):
        # Header first, for the systems that read it; the filter is in the file name.
        return csv_chunks(report, table)
