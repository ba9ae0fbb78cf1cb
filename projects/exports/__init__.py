"""The quarterly report as files: CSV, XLSX and JSON, each a registered exporter.

``export_report_file`` is the one way every export is made: the report views, the
``export_report`` command and share links call it. The formats register
themselves in ``registry.EXPORTERS`` when this package is imported.
"""

from ..models import Programme
from ..scope_labels import WHOLE_LIST, Scope, describe
from ..selectors import QuarterlyReport, quarterly_report
from . import csv_file, docx_file, json_file, xlsx_file  # noqa: F401  (each registers its exporter)
from .base import TABLES, neutralise
from .registry import EXPORTERS, Exporter, ExportFile, exporter, register

# Format identifier -> content type, for the URL converter and the command's choices.
FORMATS = {identifier: e.content_type for identifier, e in EXPORTERS.items()}


def render_report(
    report: QuarterlyReport, fmt: str, table: str = "projects", scope: Scope = WHOLE_LIST
) -> ExportFile:
    """One report as a file; ``table`` picks the CSV's table (the other formats hold all).

    ``scope`` names the filter the report was made with, in the file's title and name.
    """
    chosen = exporter(fmt)
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r}")
    return ExportFile(
        content=chosen.render(report, table, scope),
        content_type=chosen.content_type,
        filename=chosen.filename(report, table, scope),
    )


def export_report_file(
    *,
    programme: Programme,
    year: int,
    quarter: int | None = None,
    fmt: str,
    table: str = "projects",
    filters=None,
    month: int | None = None,
) -> ExportFile:
    """Compute the report for a quarter (or January to ``month``) and render it in one format."""
    exporter(fmt)
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r}")
    report = quarterly_report(
        programme=programme, year=year, quarter=quarter, month=month, filters=filters
    )
    return render_report(report, fmt, table, describe(filters))


__all__ = [
    "EXPORTERS",
    "FORMATS",
    "TABLES",
    "ExportFile",
    "Exporter",
    "export_report_file",
    "exporter",
    "neutralise",
    "register",
    "render_report",
]
