"""The reporting status desk's unit list as a django-tables2 ``Table``.

Its rows are ``(UnitStatus, UnitTotals)`` pairs the status selector read in a fixed
number of queries, in review order (units waiting for review first); the table only
formats them. Each cell carries its heading as ``data-label``, so on a phone the
stylesheet folds a row into a card (``table.cards``).
"""

from __future__ import annotations

from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .page_tables import Cell, PageTable
from .tables import NUM

DASH = "—"


def _projects(refs, css: str):
    """Projects named one a line (``<span class=…>code name</span>``), or a dash."""
    if not refs:
        return DASH
    return format_html_join(
        mark_safe("<br>"), '<span class="{}">{} {}</span>', ((css, p.code, p.name) for p in refs)
    )


class StatusTable(PageTable):
    unit = Cell(gettext_lazy("responsible unit"), labelled=True)
    submission = Cell(gettext_lazy("submission"), labelled=True)
    entries = Cell(gettext_lazy("entries"), NUM, labelled=True)
    month_investment = Cell(
        gettext_lazy("This month's completed investment 当月 (万元)"), NUM, labelled=True
    )
    ytd_investment = Cell(
        gettext_lazy("Year-to-date completed investment 累计 (万元)"), NUM, labelled=True
    )
    missing = Cell(gettext_lazy("missing entries"), labelled=True)
    same_as_previous = Cell(gettext_lazy("same as previous month"), labelled=True)
    previous_not_submitted = Cell(gettext_lazy("previous month not submitted"), labelled=True)
    staff = Cell(gettext_lazy("staff accounts"), labelled=True)
    review = Cell(gettext_lazy("review"), labelled=True)

    class Meta:
        orderable = False

    def __init__(self, rows, *, request, report):
        super().__init__(rows, request=request, prefix="status")
        self.report = report
        self.year, self.month = report.year, report.month

    def tr_attributes(self, record) -> str:
        row = record[0]
        return format_html(' class="status-{}" id="unit-{}"', row.status, row.unit_id)

    def render_unit(self, record):
        row = record[0]
        href = reverse("unit_figures", args=[self.year, self.month, row.unit_id])
        return format_html('<a href="{}">{}</a>', href, row.unit_name)

    def render_submission(self, record):
        row = record[0]
        if row.comment:
            return format_html("{}<br><small>{}</small>", row.status_label, row.comment)
        return row.status_label

    def render_entries(self, record):
        row = record[0]
        return f"{row.entries} / {row.projects_total}"

    def render_month_investment(self, record):
        totals = record[1]
        return format_html(
            '{}<br><small class="muted">{} {}</small>',
            localize(totals.month_investment),
            _("this month's inclusion 当月"),
            localize(totals.month_inclusion),
        )

    def render_ytd_investment(self, record):
        totals = record[1]
        return format_html(
            '{}<br><small class="muted">{} {}</small>',
            localize(totals.ytd_investment),
            _("year-to-date inclusion 累计"),
            localize(totals.ytd_inclusion),
        )

    def render_missing(self, record):
        return _projects(record[0].missing, "missing")

    def render_same_as_previous(self, record):
        return _projects(record[0].same_as_previous, "flag")

    def render_previous_not_submitted(self, record):
        flag = record[0].previous_not_submitted
        if flag:
            return format_html('<span class="flag">{}</span>', _("previous month not submitted"))
        return DASH if flag is None else _("no")

    def render_staff(self, record):
        return ", ".join(record[0].staff) or DASH

    def render_review(self, record):
        row = record[0]
        if self.report.locked:
            return DASH
        if not row.can_review:
            return ""
        return format_html(
            '\n        <form method="post" action="{}">'
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">\n'
            '          <input name="comment" placeholder="{}" aria-label="{}">\n'
            '          <button type="submit" name="decision" value="approve">{}</button>\n'
            '          <button type="submit" name="decision" value="return">{}</button>\n'
            "        </form>",
            reverse("review_unit", args=[self.year, self.month, row.unit_id]),
            get_token(self.request),
            _("comment (required to return)"),
            _("review comment"),
            _("Approve"),
            _("Return"),
        )
