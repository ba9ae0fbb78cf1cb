"""The problems list as a django-tables2 ``Table`` over one page of problems.

The page's rows come paged by the database (``Paginator`` over the filtered queryset,
``?page=``); the table only formats them, with ``data-label`` on the cells a phone's card
shows. The flag (临期/超期) and age are the selectors' rules, asked per row here.
"""

from __future__ import annotations

from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy

from projects.web.page_tables import Cell, PageTable
from projects.web.tables import NUM

from . import selectors

DASH = "—"
FLAGS = {
    selectors.OVERDUE: gettext_lazy("Overdue"),
    selectors.DUE_SOON: gettext_lazy("Due soon"),
    selectors.CLOSED: gettext_lazy("Closed"),
}


class ProblemTable(PageTable):
    number = Cell("#")
    project = Cell(gettext_lazy("project"), labelled=True)
    kind = Cell(gettext_lazy("kind of problem"), labelled=True)
    description = Cell(gettext_lazy("description"), "desc")
    department = Cell(gettext_lazy("responsible department"), labelled=True)
    leader = Cell(gettext_lazy("leader in charge"), labelled=True)
    deadline = Cell(gettext_lazy("deadline"), labelled=True)
    status = Cell(gettext_lazy("status"), labelled=True)
    age = Cell(gettext_lazy("age (days)"), NUM, labelled=True)

    class Meta:
        orderable = False

    def __init__(self, rows, *, request, today, due_soon_days: int):
        super().__init__(rows, request=request, prefix="problems")
        self.today, self.days = today, due_soon_days

    def render_number(self, record):
        return format_html(
            '<a href="{}">#{}</a>', reverse("problem_detail", kwargs={"pk": record.pk}), record.pk
        )

    def render_project(self, record):
        project = record.project
        return format_html(
            '<a href="{}">{}</a> {}<br><span class="muted">{}</span>',
            reverse("project_detail", kwargs={"code": project.code}),
            project.code,
            project.name,
            project.unit,
        )

    def render_kind(self, record):
        return record.get_kind_display()

    def render_description(self, record):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("problem_detail", kwargs={"pk": record.pk}),
            truncatechars(record.description, 80),
        )

    def render_department(self, record):
        return str(record.department) if record.department else DASH

    def render_leader(self, record):
        return record.leader or DASH

    def render_deadline(self, record):
        day = record.deadline.isoformat() if record.deadline else DASH
        flag = selectors.flag(record, self.today, self.days)
        if flag not in FLAGS:
            return f"{day} "
        return format_html('{} <span class="pill flag-{}">{}</span>', day, flag, FLAGS[flag])

    def render_status(self, record):
        return record.get_status_display()

    def render_age(self, record):
        return record.age_days(self.today)
