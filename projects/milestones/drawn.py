"""The report page's dispatch lists (late nodes, starts without approvals, projects not in
the library), drawn in Python.

Drawn once per version of the list's year and reader's reach (``panels.report_sections``
keeps the HTML), so every report page computed after a save pays for it. Through the
template engine it was about half the panel's time on the demo's computed page (0.9 of
1.8 ms under a profiler): a ``{% url %}`` and five filters a listed project. The HTML is
what ``_report_sections.html`` wrote: that template is kept as
``tests/milestones/reference_report_sections.html``, and
``tests/milestones/test_report_sections_drawn.py`` renders both and compares, in both
languages, with hostile names. Written as the project's other drawn parts are
(``web.drawn_body`` says how).
"""

from __future__ import annotations

from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import urlencode
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from projects.web.drawn_widgets import as_variable as _n
from projects.web.drawn_widgets import escaped

AS_OF = gettext_noop("Nodes, approvals and the statistics library as of %(d)s.")
NODES_LATE = gettext_noop("Nodes behind plan (节点滞后)")
PROJECTS_LATE = gettext_noop("projects with a late node")
NODES_DUE_SOON = gettext_noop("Nodes due soon")
PROJECT = gettext_noop("project")
UNIT = gettext_noop("responsible unit")
PLANNED_START = gettext_noop("planned start")
OUTSTANDING = gettext_noop("outstanding approvals")
ACTUAL_START = gettext_noop("actual start")
MONTHS_SINCE_START = gettext_noop("months since start")


def _date(value) -> str:
    """``value|date:"Y-m-d"`` as a variable (an empty string for no date)."""
    return _n(date_filter(value, "Y-m-d"))


def _project(project) -> str:
    href = _n(reverse("project_plan", kwargs={"code": project.code}))
    return f'<a href="{href}">{_n(project.code)}</a> {_n(project.name)}'


def _table(headings: str, rows: str) -> str:
    return (
        f'<div class="scroll"><table class="table"><thead><tr>{headings}</tr></thead><tbody>\n'
        f"{rows}\n</tbody></table></div>"
    )


def draw_report_sections(c: dict) -> SafeString:
    """The lists as ``_report_sections.html`` drew them from the panel's context ``c``."""
    as_of, nodes, starts, library = c["as_of"], c["nodes"], c["starts"], c["library"]
    day = _date(as_of)
    query = f"programme={_n(urlencode(c['programme'].code))}&as_of={day}"
    node_list = _n(reverse("node_list"))
    starts_summary = ngettext(
        "%(n)s project planned to start within %(d)s days has approvals outstanding",
        "%(n)s projects planned to start within %(d)s days have approvals outstanding",
        len(starts),
    ) % {"n": _n(len(starts)), "d": _n(c["settings"].start_window_days)}
    starts_table = ""
    if starts:
        rows = "".join(
            f"<tr><td>{_project(s.project)}</td><td>{_n(s.project.unit)}</td>"
            f"<td>{_date(s.project.planned_start)}</td>"
            f"<td>{'、'.join(escaped(m) for m in s.missing)}</td></tr>"
            for s in starts
        )
        starts_table = _table(
            f"<th>{_(PROJECT)}</th><th>{_(UNIT)}</th><th>{_(PLANNED_START)}</th>"
            f"<th>{_(OUTSTANDING)}</th>",
            rows,
        )
    library_summary = ngettext(
        "%(n)s started project not in the statistics library",
        "%(n)s started projects not in the statistics library",
        len(library),
    ) % {"n": _n(len(library))}
    library_table = ""
    if library:
        rows = "".join(
            f"<tr><td>{_project(r.project)}</td><td>{_n(r.project.unit)}</td>"
            f"<td>{_date(r.project.actual_start)}</td>"
            f'<td class="num {"flag-late" if r.light == "red" else "flag-due_soon"}">'
            f"{_n(r.months)}</td></tr>"
            for r in library
        )
        library_table = _table(
            f"<th>{_(PROJECT)}</th><th>{_(UNIT)}</th><th>{_(ACTUAL_START)}</th>"
            f'<th class="num">{_(MONTHS_SINCE_START)}</th>',
            rows,
        )
    return mark_safe(
        f'<p class="muted">{_(AS_OF) % {"d": day}}</p>\n'
        '<ul class="tally">\n'
        f'  <li><a class="overdue" href="{node_list}?flag=late&{query}">{_(NODES_LATE)}'
        f"<strong>{_n(nodes.late)}</strong></a></li>\n"
        f"  <li><span>{_(PROJECTS_LATE)}<strong>{_n(nodes.projects_late)}</strong></span></li>\n"
        f'  <li><a class="due_soon" href="{node_list}?flag=due_soon&{query}">{_(NODES_DUE_SOON)}'
        f"<strong>{_n(nodes.due_soon)}</strong></a></li>\n"
        "</ul>\n"
        f"<details{' open' if starts else ''}><summary>{starts_summary}</summary>\n"
        f"{starts_table}</details>\n"
        f"<details{' open' if library else ''}><summary>{library_summary}</summary>\n"
        f"{library_table}</details>\n"
    )
