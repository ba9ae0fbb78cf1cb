"""The month's reporting status (which unit submitted what) as a registered file."""

import io

from django.utils.translation import gettext as _

from ..selectors.status import ReportingStatus
from ..text import csv_writer
from .registry import STATUS, Exporter, ExportFile, register


class StatusExporter(Exporter):
    """One format of the status file; ``file`` makes it from the month's status."""

    kind = STATUS

    def render_status(self, report: ReportingStatus) -> bytes:
        raise NotImplementedError

    def file(self, report: ReportingStatus) -> ExportFile:
        return ExportFile(
            content=self.render_status(report),
            content_type=self.content_type,
            filename=f"status-{report.year}-{report.month:02d}.{self.identifier}",
        )


def status_rows(report: ReportingStatus):
    yield [
        _("unit code"),
        _("responsible unit"),
        _("submission"),
        _("projects on the list"),
        _("entries"),
        _("missing entries"),
        _("same as previous month"),
        _("previous month not submitted"),
        _("staff accounts"),
        _("review comment"),
    ]
    for row in report.units:
        yield [
            str(c)
            for c in (
                row.unit_code,
                row.unit_name,
                row.status_label,
                row.projects_total,
                row.entries,
                "; ".join(f"{p.code} {p.name}" for p in row.missing),
                "; ".join(f"{p.code} {p.name}" for p in row.same_as_previous),
                {True: _("yes"), False: _("no"), None: ""}[row.previous_not_submitted],
                "; ".join(row.staff),
                row.comment,
            )
        ]


@register
class StatusCsv(StatusExporter):
    identifier = "csv"
    name = "CSV"
    content_type = "text/csv; charset=utf-8"
    binary = False

    def render_status(self, report: ReportingStatus) -> bytes:
        # The byte-order mark lets Excel open the Chinese text as UTF-8.
        out = io.StringIO("\ufeff")
        out.seek(0, io.SEEK_END)
        csv_writer(out).writerows(status_rows(report))
        return out.getvalue().encode("utf-8")
