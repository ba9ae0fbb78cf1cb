"""The quarterly report as files: CSV, XLSX, JSON and OC4IDS, each a registered exporter.

``export_report_file`` is the one way every export is made: the report views, the
``export_report`` command and share links call it. The formats register
themselves in ``registry.EXPORTERS`` when this package is imported.
"""

from ..models import Programme
from ..scope_labels import WHOLE_LIST, Scope, describe
from ..selectors import QuarterlyReport, quarterly_report
from ..selectors.report_cache import kept_with
from ..text import neutralise
from . import (  # noqa: F401  (each registers its exporter)
    csv_file,
    docx_file,
    geojson_file,
    json_file,
    oc4ids_file,
    scores_file,
    status_file,
    xlsx_file,
)
from .base import TABLES
from .registry import (
    EXPORTERS,
    REGISTRY,
    Exporter,
    ExportFile,
    StreamedExport,
    exporter,
    formats,
    register,
    unregister,
)

# Format identifier -> content type of the report's formats when the package was loaded;
# code that must see later registrations (URLs, the command) asks ``formats()`` instead.
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
        content=_content(chosen, report, table, scope),
        content_type=chosen.content_type,
        filename=chosen.filename(report, table, scope),
    )


def _content(chosen: Exporter, report: QuarterlyReport, table: str, scope: Scope) -> bytes:
    """The file's bytes; a ``kept`` format's built once per kept report (its data versions,
    reach, filters, language and day), so the workbook of unchanged figures is built once
    however many download it (measured: 940 ms each at 2,000 projects)."""
    if not chosen.kept:
        return chosen.render(report, table, scope)
    return kept_with(
        report,
        f"file:{chosen.kind}:{chosen.identifier}",
        # The figures' key holds the filters; the scope's words and the table are the file's.
        parts=[table, list(scope.labels), scope.unit],
        classes=(),
        compute=lambda: chosen.render(report, table, scope),
        reads_rows=True,
        # Two readers of new figures build it once: the second waits for the first's.
        one_builds=True,
    )


def _report_for(user, programme, year, quarter, month, fmt, table, filters) -> QuarterlyReport:
    chosen = exporter(fmt)
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r}")
    return quarterly_report(
        user=user,
        programme=programme,
        year=year,
        quarter=quarter,
        month=month,
        filters=filters,
        stream=chosen.reads_rows_once,
        parts=chosen.report_parts(table),
    )


def export_report_file(
    *,
    user,
    programme: Programme,
    year: int,
    quarter: int | None = None,
    fmt: str,
    table: str = "projects",
    filters=None,
    month: int | None = None,
) -> ExportFile:
    """Compute the report for a quarter (or January to ``month``) and render it in one format.

    ``user`` is whose reach the file covers (``permissions.WHOLE_DISTRICT`` for a read with
    no person behind it)."""
    report = _report_for(user, programme, year, quarter, month, fmt, table, filters)
    return render_report(report, fmt, table, describe(filters))


def stream_report_file(
    *,
    user,
    programme: Programme,
    year: int,
    quarter: int | None = None,
    fmt: str,
    table: str = "projects",
    filters=None,
    month: int | None = None,
) -> StreamedExport:
    """The same file as ``export_report_file``, as pieces written while the rows are read.

    The headline and breakdowns are computed here; the project rows are read
    from a server-side cursor as the pieces are taken, so a response can send a
    file of any number of projects with the memory of one chunk of rows.
    """
    report = _report_for(user, programme, year, quarter, month, fmt, table, filters)
    chosen, scope = exporter(fmt), describe(filters)
    if chosen.kept:
        chunks = [_content(chosen, report, table, scope)]
    else:
        chunks = chosen.chunks(report, table, scope)
    return StreamedExport(
        chunks=chunks,
        content_type=chosen.content_type,
        filename=chosen.filename(report, table, scope),
    )


__all__ = [
    "EXPORTERS",
    "FORMATS",
    "REGISTRY",
    "TABLES",
    "ExportFile",
    "Exporter",
    "StreamedExport",
    "export_report_file",
    "exporter",
    "formats",
    "neutralise",
    "register",
    "render_report",
    "stream_report_file",
    "unregister",
]
