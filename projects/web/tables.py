"""The report tables' columns, cells and links; they show figures and compute none.

The tables themselves are django-tables2 ``Table`` classes (``report_tables``,
``page_tables``) fed the rows the page already has: one page of projects the database
sorted, filtered and limited; a breakdown's few dozen groups, sorted and folded here. The
addresses are the ones the tables always had: ``?p-sort=-investment_rate&p-page=3&p-per_page=100``
for the projects, ``?unit-sort=name`` for a breakdown.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from urllib.parse import urlencode

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..choices import Light
from ..money import format_wan

DASH = "—"
TOTAL_LABEL = _("Total")


def rate_bar(rate, *, with_figure: bool = True, light: str | None = None):
    """A CSS bar, normally with the figure beside it: readable without colour or JavaScript.

    Built with plain string formatting (a rate is a Decimal, a light one of three codes:
    nothing to escape), as a province's unit table draws thousands of them.
    """
    if rate is None:
        return DASH if with_figure else ""
    width = max(0, min(rate, 100))
    over = " over" if rate > 100 else ""
    lit = f" bar-{light}" if light in _LIGHTS else ""
    # An SVG width rather than a style attribute: the CSP allows no inline styles.
    bar = (
        f'<svg class="bar{over}{lit}" viewBox="0 0 100 1" preserveAspectRatio="none" '
        f'aria-hidden="true"><rect width="{width}" height="1"/></svg>'
    )
    if not with_figure:
        return SafeString(bar)
    return SafeString(f'{bar}<span class="rate">{rate}%</span>')


_LIGHTS = frozenset((Light.GREEN, Light.YELLOW, Light.RED))


def light_cell(row, *, label: str | None = None, reasons: str | None = None) -> SafeString:
    """The warning light as colour plus words; its reasons on hover (and in their own
    column, which the chooser offers: the key columns must fit 1366 px). ``label`` and
    ``reasons``: the row's, when the caller has them already (a table's rows)."""
    # Plain formatting with ``html.escape`` (what ``format_html`` does per argument, without
    # its per-call overhead): the demo's page draws this for every one of its 147 rows.
    light = row.light if row.light in _LIGHTS else "none"
    if reasons is None:
        reasons = str(getattr(row, "reasons_text", ""))
    if label is None:
        label = str(row.light_label)
    return SafeString(
        f'<span class="light light-{light}" title="{html.escape(reasons)}"><span class="dot" '
        f'aria-hidden="true">●</span> {html.escape(label)}</span>'
    )


@dataclass(frozen=True)
class Column:
    """One column: its parameter name, heading, cell classes, whether it sorts, and whether
    the report page shows it before anyone picks columns (the rest wait in its chooser)."""

    name: str
    header: str
    td_class: str = ""
    orderable: bool = True
    key: bool = True


NUM, RATE_CELL = "num", "num rate-cell"

# The key columns (``key=True``) fit a 1366-px screen side by side; the others are
# offered by the report page's column chooser.
PROJECT_COLUMNS = (
    Column("code", _("project code")),
    Column("name", _("project name"), "wrap"),
    # A unit's name wraps at its words, never one character a line (printouts).
    Column("unit", _("responsible unit"), "unit"),
    Column("street", _("street"), key=False),
    Column("category", _("category"), key=False),
    Column("kind", _("kind"), key=False),
    Column("planned_start", _("planned start"), key=False),
    Column("actual_start", _("actual start"), key=False),
    Column("start_status", _("start status"), key=False),
    Column("investment_planned", _("Year-to-date planned investment 累计 (万元)"), NUM, key=False),
    # The other plan beside the one rates are computed on: the baseline (年初计划) here,
    # the adjusted plan on a report computed on the baseline (BASELINE_PROJECT_COLUMNS).
    Column(
        "investment_other_plan",
        _("Year-to-date baseline investment plan 年初计划 累计 (万元)"),
        NUM,
        key=False,
    ),
    Column("investment_actual", _("Year-to-date completed investment 累计 (万元)"), NUM),
    Column("investment_rate", _("investment rate"), RATE_CELL),
    Column("inclusion_planned", _("Year-to-date planned inclusion 累计 (万元)"), NUM, key=False),
    Column("inclusion_actual", _("Year-to-date inclusion 累计 (万元)"), NUM),
    Column("inclusion_rate", _("inclusion rate"), RATE_CELL),
    Column("image_progress", _("image progress"), "wrap", orderable=False),
    Column("light", _("warning light")),
    # Why the light is not green, in the office's words (``selectors.lights``).
    Column("light_reasons", _("warning reasons"), "wrap", orderable=False, key=False),
)
BASELINE_PROJECT_COLUMNS = tuple(
    Column(
        "investment_other_plan",
        _("Year-to-date adjusted investment plan 调整后 累计 (万元)"),
        NUM,
        key=False,
    )
    if c.name == "investment_other_plan"
    else c
    for c in PROJECT_COLUMNS
)


ADJUSTED_MARK = _("adjusted")


def other_plan_cell(row, on_baseline: bool, mark: str | None = None) -> str:
    """The plan not used for the rates, marked when the project's plan was adjusted
    (``mark``: the mark's words in the page's language, when the caller has them)."""
    inv = row.investment
    figure = format_wan(inv.adjusted_planned if on_baseline else inv.baseline_planned)
    if not row.plan_adjusted:
        return figure
    return f"{figure}（{ADJUSTED_MARK if mark is None else mark}）"


BREAKDOWN_COLUMNS = (
    Column("name", _("name")),
    Column("projects", pgettext_lazy("count", "projects"), NUM),
    Column("starts_planned", _("planned starts"), NUM),
    Column("starts_actual", pgettext_lazy("count", "started"), NUM),
    Column("investment_planned", _("Year-to-date planned investment 累计 (万元)"), NUM),
    Column("investment_actual", _("Year-to-date completed investment 累计 (万元)"), NUM),
    Column("investment_rate", _("investment rate"), RATE_CELL),
    Column("investment_annual_rate", _("share of annual investment plan"), RATE_CELL),
    Column("inclusion_planned", _("Year-to-date planned inclusion 累计 (万元)"), NUM),
    Column("inclusion_actual", _("Year-to-date inclusion 累计 (万元)"), NUM),
    Column("inclusion_rate", _("inclusion rate"), RATE_CELL),
    Column("inclusion_annual_rate", _("share of annual inclusion plan"), RATE_CELL),
)


def cell_html(value) -> str:
    """A cell's HTML: safe strings as they are, numbers as digits, anything else escaped."""
    kind = type(value)
    if kind is SafeString:
        return value
    if kind is int:
        return str(value)
    return html.escape(str(value))


_BREAKDOWN_KEYS = {
    "name": lambda r: r.name,
    "projects": lambda r: r.projects,
    "starts_planned": lambda r: r.starts.planned,
    "starts_actual": lambda r: r.starts.actual,
    **{
        f"{measure}_{part}": (
            lambda r, measure=measure, part=part: getattr(getattr(r, measure), part)
        )
        for measure in ("investment", "inclusion")
        for part in ("planned", "actual", "rate", "annual_rate")
    },
}


def breakdown_sort(sort: str | None) -> str | None:
    """``sort`` when it names a breakdown's column (``name``, ``-investment_rate``…), else
    None: an unknown one sorts nothing, and keeps no entry of its own (``report_folds``)."""
    if sort and sort.removeprefix("-") in _BREAKDOWN_KEYS:
        return sort
    return None


def sort_breakdown(rows, sort: str | None):
    """Rows in the order asked for (ties and groups without a value keep their order, last)."""
    name = (sort or "").removeprefix("-")
    key = _BREAKDOWN_KEYS.get(name)
    if key is None:
        return list(rows)
    valued = [r for r in rows if key(r) is not None]
    missing = [r for r in rows if key(r) is None]
    return sorted(valued, key=key, reverse=sort.startswith("-")) + missing


# A breakdown longer than this shows its largest groups on the page (the print view and the
# files hold every group): 2,466 units drawn as rows cost the page most of its time.
BREAKDOWN_FOLD = 30


@dataclass(frozen=True)
class Fold:
    """What a folded breakdown leaves out: how many groups, and where to see them all."""

    hidden: int
    shown: int
    total: int


def fold_breakdown(rows: list, sort: str | None, show_all: bool) -> tuple[list, Fold | None]:
    """The rows the page draws: all of a short table (or when asked), else the first
    ``BREAKDOWN_FOLD`` in the order asked for, by year-to-date plan when none was."""
    if show_all or len(rows) <= BREAKDOWN_FOLD:
        return rows, None
    if not sort:
        rows = sort_breakdown(rows, "-investment_planned")
    return rows[:BREAKDOWN_FOLD], Fold(len(rows) - BREAKDOWN_FOLD, BREAKDOWN_FOLD, len(rows))


# A ranking longer than this shows its first and last places on the page (the print view,
# the 通报 and the files keep every place): 2,466 units drawn as list items cost a province's
# page more than all its tables.
RANKING_FOLD = 30


@dataclass(frozen=True)
class FoldedRanking:
    """The places a ranking shows: its first and last ``RANKING_FOLD // 2`` (all of a short
    one, or when asked), how many ranked places fall between, and the groups listed apart
    (the first ``RANKING_FOLD``, and how many more)."""

    head: tuple
    tail: tuple
    hidden: int
    apart: tuple
    apart_hidden: int
    # Ranks held by more than one group, marked 并列 where they are drawn.
    tied: frozenset
    # The page's address showing every place; None when nothing is folded.
    show_all: str | None

    @property
    def empty(self) -> bool:
        return not (self.head or self.apart)


def fold_ranking(ranking, *, show_all: bool, link: str) -> FoldedRanking:
    """``ranking`` (``projects.ranking.Ranking``) as the page draws it; ``link`` shows it all."""
    ranked, apart = ranking.ranked, ranking.apart
    half = RANKING_FOLD // 2
    fold_ranked = not show_all and len(ranked) > RANKING_FOLD
    fold_apart = not show_all and len(apart) > RANKING_FOLD
    head, tail = (ranked[:half], ranked[-half:]) if fold_ranked else (ranked, ())
    shown_apart = apart[:RANKING_FOLD] if fold_apart else apart
    return FoldedRanking(
        head=head,
        tail=tail,
        hidden=len(ranked) - len(head) - len(tail),
        apart=shown_apart,
        apart_hidden=len(apart) - len(shown_apart),
        tied=frozenset(ranking.tied_ranks()),
        show_all=link if fold_ranked or fold_apart else None,
    )


@dataclass(frozen=True)
class Header:
    column: Column
    href: str | None
    # "asc" / "desc" on the column the table is sorted by, as aria-sort reads it.
    sorted: str = ""

    @property
    def th_class(self) -> str:
        classes = [NUM] if self.column.td_class.startswith(NUM) else []
        if self.href:
            classes.append("orderable")
        if self.sorted:
            classes.append(self.sorted)
        return " ".join(classes)

    @property
    def aria_sort(self) -> str:
        return {"asc": "ascending", "desc": "descending"}.get(self.sorted, "")


def headers(request, prefix: str, columns, sort: str | None) -> list[Header]:
    """Headings with the link that sorts by each column (again: the other way round)."""
    out = []
    sorted_by = with_parameter(request.GET, f"{prefix}-sort")
    for column in columns:
        if not column.orderable:
            out.append(Header(column, None))
            continue
        state = "asc" if sort == column.name else "desc" if sort == f"-{column.name}" else ""
        out.append(
            Header(column, sorted_by(f"-{column.name}" if state == "asc" else column.name), state)
        )
    return out


def with_parameter(query, key: str):
    """A function of a value giving ``"?"`` and ``query`` with ``key`` set to that value,
    exactly as ``QueryDict`` writes it after ``query[key] = value`` (``query_with``): in
    its place when the query has it, else last. The other parameters are encoded once: a
    row of headings encoded the whole query once a heading (about 160 on a report page)."""
    encoding = query.encoding
    before, after, found = [], [], False
    for name, values in query.lists():
        if name == key:
            found = True
            continue
        pairs = [urlencode({name.encode(encoding): str(v).encode(encoding)}) for v in values]
        (after if found else before).extend(pairs)
    head = "?" + "".join(f"{pair}&" for pair in before)
    tail = "".join(f"&{pair}" for pair in after)
    name = key.encode(encoding)

    def link(value: str) -> str:
        return f"{head}{urlencode({name: str(value).encode(encoding)})}{tail}"

    return link


def header_row(headers: list[Header], *, chooser: bool = False) -> SafeString:
    """The headings' ``<tr>``, written here rather than by the template: a report page
    draws a dozen tables' headings (about 160), each of some eight template lookups, which
    were a fifth of drawing the report's sections. ``chooser``: the project table's, whose
    columns the column chooser shows and hides (``data-col``, ``data-optional``)."""
    cells = []
    for h in headers:
        column = h.column
        attributes = f' class="{h.th_class}"' if h.th_class else ""
        if chooser:
            attributes += f' data-col="{html.escape(column.name)}"'
            if not column.key:
                attributes += " data-optional"
        if h.aria_sort:
            attributes += f' aria-sort="{h.aria_sort}"'
        label = conditional_escape(column.header)
        if h.href:
            label = f'<a href="{html.escape(h.href)}">{label}</a>'
        cells.append(f"<th{attributes}>{label}</th>")
    return mark_safe(f"<tr>{''.join(cells)}</tr>")


def query_with(request, **changes) -> str:
    """The current address's query with some parameters replaced."""
    query = request.GET.copy()
    for key, value in changes.items():
        query[key] = str(value)
    return "?" + query.urlencode()


@dataclass(frozen=True)
class PageLink:
    label: str
    href: str | None
    active: bool = False


def page_links(request, prefix: str, page) -> list[PageLink]:
    """Numbered links around the current page, with "…" where pages are skipped."""
    last, current = page.num_pages, page.number
    if last <= 1:
        return []
    shown = sorted(
        {1, 2, last - 1, last, *range(current - 2, current + 3)} & set(range(1, last + 1))
    )
    links, previous = [], 0
    to_page = with_parameter(request.GET, f"{prefix}-page")
    for number in shown:
        if number > previous + 1:
            links.append(PageLink("...", None))
        links.append(PageLink(str(number), to_page(number), number == current))
        previous = number
    return links


def row_id_or_none(text) -> int | None:
    """A row id as a form posts it: ASCII digits only, within a database key's range."""
    text = str(text or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 18:
        return None
    return int(text)


def int_or_none(text) -> int | None:
    try:
        return int(text)
    except (TypeError, ValueError, OverflowError):
        return None
