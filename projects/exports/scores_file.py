"""The units' scores (考核) as registered files: rank, points and, where the reader may see
it, each unit's breakdown (the same rule as the page)."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from ..periods import Period
from ..selectors.scores import UnitScore
from ..text import csv_writer, neutralise
from .registry import SCORES, Exporter, ExportFile, register


class ScoresExporter(Exporter):
    """One format of the scores file; ``file`` makes it from the period's scores."""

    kind = SCORES

    def render_scores(self, rows: list[list]) -> bytes:
        raise NotImplementedError

    def file(self, period: Period, scores, reached: set[str]) -> ExportFile:
        stem = f"m{period.month:02d}" if period.is_month else f"q{period.quarter}"
        return ExportFile(
            content=self.render_scores(list(score_rows(scores, reached))),
            content_type=self.content_type,
            filename=f"scores-{period.year}-{stem}.{self.identifier}",
        )


def score_rows(scores: tuple[UnitScore, ...], reached: set[str]):
    labels = [item.label for item in scores[0].items] if scores else []
    yield [_("rank"), _("unit code"), _("responsible unit"), _("points"), *labels]
    for s in scores:
        shown = s.key in reached
        # Numbers stay numbers: a penalty's minus sign is not a formula to neutralise.
        yield [
            s.rank,
            neutralise(s.key),
            neutralise(s.name),
            s.points,
            *(item.points if shown else "" for item in s.items),
        ]


@register
class ScoresCsv(ScoresExporter):
    identifier = "csv"
    name = "CSV"
    content_type = "text/csv; charset=utf-8"
    binary = False

    def render_scores(self, rows) -> bytes:
        # The byte-order mark lets Excel open the Chinese text as UTF-8.
        out = io.StringIO("\ufeff")
        out.seek(0, io.SEEK_END)
        csv_writer(out).writerows(rows)
        return out.getvalue().encode("utf-8")


@register
class ScoresXlsx(ScoresExporter):
    identifier = "xlsx"
    name = "Excel"
    order = 2
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    def render_scores(self, rows) -> bytes:
        book = Workbook(write_only=True)
        sheet = book.create_sheet(_("Unit scores"))
        for row in rows:
            sheet.append(row)
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
