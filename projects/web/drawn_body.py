"""The report body below its headline, drawn in Python: the project table and its filters,
the breakdowns, the 专班, the campaigns and the rankings.

Drawn once per kept report and address (``report_body.report_sections``), so every
computed page pays for it. Through the template engine (``_report_body.html`` and the
``_report_table.html`` it included eight times) it took 3.0 to 4.9 ms of the demo's computed
page, timed alone as the host's speed moved within an hour, and 0.8 ms drawn here: the
engine's loops, includes and translations around HTML that Python had already drawn (the
charts, the tables' rows, the rankings). The HTML is what those templates wrote: they are kept as
``tests/web/reference_report_body.html`` and ``reference_report_table.html``, and
``tests/web/test_drawn_body.py`` renders both for every shape of the body, in both
languages, with hostile values, and compares.

As there: a value is written as ``{{ value }}`` writes it (``as_variable``: localised, then
escaped unless safe); a literal's translation is not escaped (``{% translate %}``); a
``{% blocktranslate %}``'s values are written as variables and put into its unescaped
translation. The lights of the changes section stay in their own template
(``_light_changes.html``), drawn only when there are changes.
"""

from __future__ import annotations

from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext, pgettext

from .drawn_report import SHOW_ALL
from .drawn_widgets import as_variable as _n
from .drawn_widgets import escaped

# The body's words, marked where ``make messages`` reads them (the templates that held them
# are gone); translated when the body is drawn.
PROJECTS = gettext_noop("Projects")
FILTER = gettext_noop("Filter")
DOWNLOAD = gettext_noop("Download")
LIGHT_RULE = gettext_noop(
    "Lights: lagging below %(yellow)s%% of the investment plan, seriously behind below "
    "%(red)s%% or with an overdue start."
)
SHOWN = gettext_noop("Projects %(first)s–%(last)s of %(total)s.")
PRINTOUT_PART = gettext_noop(
    "This printout holds projects %(first)s–%(last)s of %(total)s. To print every project, "
    "open the print version (打印版):"
)
MORE_COLUMNS = gettext_noop("More columns")
FOLDED = gettext_noop(
    "The %(shown)s largest of %(total)s by plan (or in the order chosen); %(hidden)s more "
    "are in the total, the print version and the files."
)
BY_TASK_FORCE = gettext_noop("By task force: %(group)s")
CAMPAIGNS = gettext_noop("Special campaigns")
CAMPAIGN = gettext_noop("campaign")
DESIGN_DONE = gettext_noop("design plans done")
OF_WHICH_EARLY = gettext_noop("of which early")
ALL_STARTED = gettext_noop("all started")
ENTERED_COUNTS = gettext_noop("entered counts at the end of month %(month)s")
UNITS_RANKED = gettext_noop("Units ranked by investment completion rate")
CATEGORIES_RANKED = gettext_noop("Categories ranked by investment completion rate")
LEADERS_RANKED = gettext_noop("Leaders in charge ranked by investment completion rate")
GROUP_RANKED = gettext_noop("%(group)s ranked by investment completion rate")
NO_MATCH = gettext_noop("No project matches these filters.")
PREVIOUS = gettext_noop("previous")
NEXT = gettext_noop("next")
ACTIVE = '<li class="active">'


def _all_projects(total) -> str:
    return ngettext("All %(total)s project.", "All %(total)s projects.", total) % {
        "total": _n(total)
    }


def _categories(counter) -> str:
    return ngettext("; %(counter)s category", "; %(counter)s categories", counter) % {
        "counter": _n(counter)
    }


def draw_table(t: dict, kind: str) -> str:
    """One report table (``_report_table.html``): headings, rows or a line saying none
    match, the 合计 row when there is one, and the pager."""
    if t["rows"]:
        body = f"{_n(t['rows_html'])}\n  "
    else:
        body = f'<tr><td colspan="{_n(len(t["headers"]))}">{_(NO_MATCH)}</td></tr>\n  '
    footer = t.get("footer")
    if footer:
        footer = f"<tfoot><tr>{''.join(f'<td>{_n(v)}</td>' for v in footer)}</tr></tfoot>"
    else:
        footer = ""
    page = t.get("page")
    pager = ""
    if page and page.num_pages > 1:
        previous = (
            f'<li class="previous"><a href="{_n(t["previous"])}">{_(PREVIOUS)}</a></li>'
            if page.has_previous
            else ""
        )
        following = (
            f'<li class="next"><a href="{_n(t["next"])}">{_(NEXT)}</a></li>'
            if page.has_next
            else ""
        )
        links = "".join(
            (ACTIVE if link.active else "<li>")
            + (
                f'<a href="{_n(link.href)}">{_n(link.label)}</a>'
                if link.href
                else f"<span>{_n(link.label)}</span>"
            )
            + "</li>"
            for link in t["page_links"]
        )
        pager = f'\n<ul class="pagination">\n  {previous}\n  {links}\n  {following}\n</ul>\n'
    return (
        f'\n<div class="table-container">\n<table class="table {kind}">\n'
        f"  <thead>{_n(t['header_row'])}</thead>\n  <tbody>\n  {body}\n  </tbody>\n"
        f"  {footer}\n</table>\n{pager}\n</div>\n"
    )


def _projects_section(c: dict) -> str:
    table = c["project_table"]
    page = table["page"]
    report = c["report"]
    base, query = _n(c["export_base"]), _n(c["export_query"])
    exports = ""
    if c["can_export"]:
        formats = list(c["export_formats"])
        last = len(formats) - 1
        links = "".join(
            f'<a href="{base}.{_n(f.identifier)}?{query}">{_n(f.link_text)}</a>'
            f"{'' if i == last else ' ·'}\n    "
            for i, f in enumerate(formats)
        )
        exports = f'\n  <p class="exports">{_(DOWNLOAD)}:\n    {links}\n  </p>\n  '
    span = {"first": _n(page.start_index), "last": _n(page.end_index), "total": _n(page.count)}
    rule = _(LIGHT_RULE) % {"yellow": _n(report.yellow_below), "red": _n(report.red_below)}
    if table["every_row"]:
        printout = f'\n  <p class="print-only">{_all_projects(page.count)}</p>\n  '
    else:
        address = f"{_n(c['site_root'])}{base}/print/{f'?{query}' if c['export_query'] else ''}"
        printout = (
            f'\n  <p class="print-only">{_(PRINTOUT_PART) % span}\n'
            f'    <a href="{base}/print/?{query}">{address}</a></p>\n  '
        )
    choices = "".join(
        f'<label><input type="checkbox" value="{_n(h.column.name)}"> {_n(h.column.header)}</label>'
        for h in table["headers"]
        if not h.column.key
    )
    return (
        f"<section>\n  <h2>{_(PROJECTS)}</h2>\n"
        '  <form method="get" class="filters">\n'
        f'    <input type="hidden" name="programme" value="{_n(c["programme"].code)}">\n'
        f"    {_n(c['filter_form'])}\n"
        f'    <button type="submit">{_(FILTER)}</button>\n  </form>\n'
        f"  {exports}\n"
        f'  <p class="muted">{rule}</p>\n'
        f'  <p class="muted screen-only">{_(SHOWN) % span}</p>\n'
        f"  {printout}\n"
        '  <details class="column-chooser" hidden>\n'
        f"    <summary>{_(MORE_COLUMNS)}</summary>\n"
        f'    <p class="column-choices">{choices}</p>\n  </details>\n'
        f'  <div class="scroll">{draw_table(table, "report")}</div>\n</section>\n'
    )


def _table_exports(c: dict, key: str) -> str:
    base, query = _n(c["export_base"]), _n(c["export_query"])
    joiner = "&amp;" if c["export_query"] else ""
    links = "".join(
        f'<a href="{base}.{_n(f.identifier)}?{query}{joiner}table={key}">{_n(f.link_text)}</a>'
        for f in c["table_formats"]
    )
    return f'<p class="exports">{links}</p>'


def _breakdowns(c: dict) -> str:
    out = []
    for b in c["breakdowns"]:
        exports = _table_exports(c, _n(b["key"])) if c["can_export"] else ""
        fold = b["fold"]
        folded = ""
        if fold:
            words = _(FOLDED) % {
                "shown": _n(fold.shown),
                "total": _n(fold.total),
                "hidden": _n(fold.hidden),
            }
            folded = (
                f'<p class="muted fold">{words} <a href="{_n(b["show_all"])}">{_(SHOW_ALL)}</a></p>'
            )
        out.append(
            f"\n<section>\n  <h2>{_n(b['title'])}</h2>\n  {exports}\n"
            f'  <div class="scroll">{draw_table(b, "breakdown")}</div>\n  {folded}\n</section>\n'
        )
    return "".join(out)


def _task_forces(c: dict) -> str:
    out = []
    for index, g in enumerate(c["task_forces"]):
        title = _(BY_TASK_FORCE) % {"group": _n(g["title"])}
        exports = _table_exports(c, "task_force") if c["can_export"] and index == 0 else ""
        out.append(
            f'\n<section class="task-forces">\n  <h2>{title}</h2>\n  {exports}\n'
            f'  <div class="scroll">{draw_table(g, "breakdown")}</div>\n'
            f'  <p class="muted">{_n(c["task_force_note"])}</p>\n</section>\n'
        )
    return "".join(out)


def _campaigns(campaigns) -> str:
    if not campaigns:
        return ""
    headings = (
        f"<th>{_(CAMPAIGN)}</th>"
        f'<th class="num">{pgettext("count", "projects")}</th>'
        f'<th class="num">{pgettext("count", "target")}</th>'
        f'<th class="num">{_(DESIGN_DONE)}</th>'
        f'<th class="num">{pgettext("count", "started")}</th>'
        f'<th class="num">{_(OF_WHICH_EARLY)}</th>'
        f'<th class="num">{pgettext("count", "completed")}</th>'
    )
    rows = []
    for c in campaigns:
        name = _n(c.name)
        if c.all_started:
            name += f" <strong>{_(ALL_STARTED)}</strong>"
        if c.counted:
            note = _(ENTERED_COUNTS) % {"month": _n(c.month)}
            if c.categories:
                joined = "、".join(escaped(category) for category in c.categories)
                note += f"{_categories(len(c.categories))}: {joined}"
            name += f'<br><small class="muted">{note}</small>'
        target = "—" if c.target is None else _n(c.target)
        design = _n(c.design_done) if c.counted else "—"
        rows.append(
            f'<tr><td>{name}</td><td class="num">{_n(c.projects)}</td>'
            f'<td class="num">{target}</td><td class="num">{design}</td>'
            f'<td class="num">{_n(c.started)}</td><td class="num">{_n(c.early)}</td>'
            f'<td class="num">{_n(c.completed)}</td></tr>'
        )
    return (
        f"\n<section>\n  <h2>{_(CAMPAIGNS)}</h2>\n"
        '  <table class="table compact campaigns">\n'
        f"    <thead><tr>{headings}</tr></thead>\n"
        f"    <tbody>{''.join(rows)}</tbody>\n  </table>\n</section>\n"
    )


def _rankings(c: dict) -> str:
    unfinished = _n(c["unfinished"])
    html = c["ranking_html"]
    leaders = ""
    if not c["leader_ranking"].empty:
        leaders = f"\n  <h3>{_(LEADERS_RANKED)}{unfinished}</h3>\n  {_n(html['leader'])}\n  "
    groups = "".join(
        f"\n  <h3>{_(GROUP_RANKED) % {'group': _n(g['title'])}}{unfinished}</h3>\n"
        f"  {_n(g['ranking_html'])}\n  "
        for g in c["task_forces"]
        if g["ranking"].head
    )
    return (
        f'<section id="rankings">\n  <h2>{_(UNITS_RANKED)}{unfinished}</h2>\n'
        f"  {_n(html['unit'])}\n"
        f"  <h3>{_(CATEGORIES_RANKED)}{unfinished}</h3>\n"
        f"  {_n(html['category'])}\n  {leaders}\n  {groups}\n</section>\n"
    )


def _light_changes(changes) -> str:
    # The include wrote nothing without changes; with them, its own template.
    if not changes:
        return ""
    return str(get_template("projects/_light_changes.html").render({"changes": changes}))


def draw_body(c: dict) -> SafeString:
    """The body as ``_report_body.html`` wrote it from the sections' context ``c``."""
    # Each part as the template's lines held it, a blank line between them.
    html = "\n\n".join(
        (
            f"\n{_n(c['charts'])}",
            f"{_projects_section(c)}\n{_light_changes(c['report'].light_changes)}",
            _breakdowns(c),
            _task_forces(c),
            _campaigns(c["campaigns"]),
            _rankings(c),
        )
    )
    return mark_safe(html)  # every value above written through ``as_variable`` or ``escaped``
