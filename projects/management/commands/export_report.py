"""Write a report file or the briefing (.docx), for scheduled jobs that send it upward."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from projects.exports import TABLES, export_report_file, exporter, formats
from projects.periods import QUARTERS
from projects.permissions import WHOLE_DISTRICT
from projects.selectors import programme_for


class Command(BaseCommand):
    help = (
        "Export a quarterly (or January-to-month) progress report as CSV, XLSX or JSON, "
        "or its briefing (通报) as DOCX."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        period = parser.add_mutually_exclusive_group(required=True)
        period.add_argument("--quarter", type=int, choices=QUARTERS)
        period.add_argument(
            "--month", type=int, choices=range(1, 13), help="Year to date through this month."
        )
        parser.add_argument("--programme", help="List code; default: the year's list.")
        parser.add_argument("--format", dest="fmt", default="csv", choices=sorted(formats()))
        parser.add_argument(
            "--table", default="projects", choices=TABLES, help="CSV only: which table to write."
        )
        parser.add_argument("--output", help="File to write; standard output when omitted.")

    def handle(self, *args, year, quarter, month, programme, fmt, table, output, **options):
        found = programme_for(year, programme)
        if found is None:
            if programme:
                raise CommandError(
                    _("There is no list with code %(code)s for %(year)s.")
                    % {"code": programme, "year": year}
                )
            raise CommandError(_("There is no list of key projects for %(year)s.") % {"year": year})
        if output is None and exporter(fmt).binary:
            raise CommandError(_("An XLSX workbook or a DOCX briefing needs --output PATH."))
        export = export_report_file(
            # Whoever runs commands on the server reads the whole district.
            user=WHOLE_DISTRICT,
            programme=found,
            year=year,
            quarter=quarter,
            month=month,
            fmt=fmt,
            table=table,
        )
        if output is None:
            # Raw bytes, so the CSV keeps its byte-order mark and Chinese text whatever the locale.
            stream = getattr(self.stdout, "_out", sys.stdout)
            buffer = getattr(stream, "buffer", None)
            if buffer is not None:
                buffer.write(export.content)
                buffer.flush()
            else:
                stream.write(export.content.decode("utf-8"))
            return
        path = Path(output)
        if path.is_dir():
            path = path / export.filename
        path.write_bytes(export.content)
        self.stderr.write(
            _("Wrote %(path)s (%(size)s bytes).") % {"path": path, "size": len(export.content)}
        )
