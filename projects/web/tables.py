"""Report tables. They show figures computed by projects.selectors and compute none."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..choices import Light
from ..selectors import light_for_rate

DASH = "—"
TOTAL_LABEL = _("Total")


def format_rate(rate) -> str:
    return DASH if rate is None else f"{rate}%"


def rate_bar(rate, *, with_figure: bool = True, light: str | None = None):
    """A CSS bar, normally with the figure beside it: readable without colour or JavaScript."""
    if rate is None:
        return DASH if with_figure else ""
    width = max(0, min(rate, 100))
    over = " over" if rate > 100 else ""
    lit = f" bar-{light}" if light in (Light.GREEN, Light.YELLOW, Light.RED) else ""
    bar = format_html(
        # An SVG width rather than a style attribute: the CSP allows no inline styles.
        '<svg class="bar{}{}" viewBox="0 0 100 1" preserveAspectRatio="none" aria-hidden="true">'
        '<rect width="{}" height="1"/></svg>',
        over,
        lit,
        width,
    )
    if not with_figure:
        return bar
    return format_html('{}<span class="rate">{}%</span>', bar, rate)


class AmountColumn(tables.Column):
    """An amount in 万元, right-aligned."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", {"td": {"class": "num"}, "th": {"class": "num"}})
        super().__init__(*args, **kwargs)

    def render(self, value):
        return f"{value:,.2f}"


class RateColumn(tables.Column):
    """A completion rate with its progress bar, coloured by its light; "—" with no plan.

    A project row's investment bar takes the project's own light; a group's
    bar the light its rate would earn under the report's thresholds.
    """

    def __init__(self, *args, light_from_record: bool = False, **kwargs):
        kwargs.setdefault("attrs", {"td": {"class": "num rate-cell"}, "th": {"class": "num"}})
        kwargs.setdefault("default", DASH)
        self.light_from_record = light_from_record
        self.thresholds = None
        super().__init__(*args, **kwargs)

    def render(self, value, record):
        if self.light_from_record:
            light = getattr(record, "light", None)
        elif self.thresholds is not None:
            light = light_for_rate(value, *self.thresholds)
        else:
            light = None
        return rate_bar(value, light=light)


class LightColumn(tables.Column):
    """The warning light as colour plus words."""

    def render(self, value, record):
        return format_html(
            '<span class="light light-{}"><span class="dot" aria-hidden="true">●</span> {}</span>',
            value if value in (Light.GREEN, Light.YELLOW, Light.RED) else "none",
            record.light_label,
        )


class ProjectReportTable(tables.Table):
    """The per-project table of the quarterly report."""

    code = tables.Column(verbose_name=_("project code"))
    name = tables.Column(verbose_name=_("project name"), attrs={"td": {"class": "wrap"}})
    unit = tables.Column(verbose_name=_("responsible unit"))
    street = tables.Column(verbose_name=_("street"))
    category = tables.Column(verbose_name=_("category"))
    kind = tables.Column(verbose_name=_("kind"), accessor="kind_label")
    planned_start = tables.DateColumn(verbose_name=_("planned start"), format="Y-m-d")
    actual_start = tables.DateColumn(verbose_name=_("actual start"), format="Y-m-d")
    start_status = tables.Column(verbose_name=_("start status"), accessor="start_status_label")
    investment_planned = AmountColumn(
        verbose_name=_("Year-to-date planned investment 累计 (万元)"),
        accessor="investment__planned",
    )
    investment_actual = AmountColumn(
        verbose_name=_("Year-to-date completed investment 累计 (万元)"),
        accessor="investment__actual",
    )
    investment_rate = RateColumn(
        verbose_name=_("investment rate"), accessor="investment__rate", light_from_record=True
    )
    inclusion_planned = AmountColumn(
        verbose_name=_("Year-to-date planned inclusion 累计 (万元)"), accessor="inclusion__planned"
    )
    inclusion_actual = AmountColumn(
        verbose_name=_("Year-to-date inclusion 累计 (万元)"), accessor="inclusion__actual"
    )
    inclusion_rate = RateColumn(verbose_name=_("inclusion rate"), accessor="inclusion__rate")
    image_progress = tables.Column(
        verbose_name=_("image progress"), orderable=False, attrs={"td": {"class": "wrap"}}
    )
    light = LightColumn(verbose_name=_("warning light"))

    class Meta:
        template_name = "django_tables2/table.html"
        attrs = {"class": "table report"}
        empty_text = _("No project matches these filters.")

    def __init__(self, *args, viewable_unit_ids=None, **kwargs):
        # None: the reader may open every project; otherwise only these units' projects.
        self.viewable_unit_ids = viewable_unit_ids
        super().__init__(*args, **kwargs)

    def render_code(self, value, record):
        if self.viewable_unit_ids is not None and record.unit_id not in self.viewable_unit_ids:
            return value
        return format_html('<a href="{}">{}</a>', reverse("project_detail", args=[value]), value)


class BreakdownTable(tables.Table):
    """A breakdown by category, unit or street, with the headline's columns."""

    name = tables.Column(verbose_name=_("name"))
    projects = tables.Column(
        verbose_name=pgettext_lazy("count", "projects"), attrs={"td": {"class": "num"}}
    )
    starts_planned = tables.Column(
        verbose_name=_("planned starts"), accessor="starts__planned", attrs={"td": {"class": "num"}}
    )
    starts_actual = tables.Column(
        verbose_name=pgettext_lazy("count", "started"),
        accessor="starts__actual",
        attrs={"td": {"class": "num"}},
    )
    investment_planned = AmountColumn(
        verbose_name=_("Year-to-date planned investment 累计 (万元)"),
        accessor="investment__planned",
    )
    investment_actual = AmountColumn(
        verbose_name=_("Year-to-date completed investment 累计 (万元)"),
        accessor="investment__actual",
    )
    investment_rate = RateColumn(verbose_name=_("investment rate"), accessor="investment__rate")
    investment_annual_rate = RateColumn(
        verbose_name=_("share of annual investment plan"), accessor="investment__annual_rate"
    )
    inclusion_planned = AmountColumn(
        verbose_name=_("Year-to-date planned inclusion 累计 (万元)"), accessor="inclusion__planned"
    )
    inclusion_actual = AmountColumn(
        verbose_name=_("Year-to-date inclusion 累计 (万元)"), accessor="inclusion__actual"
    )
    inclusion_rate = RateColumn(verbose_name=_("inclusion rate"), accessor="inclusion__rate")
    inclusion_annual_rate = RateColumn(
        verbose_name=_("share of annual inclusion plan"), accessor="inclusion__annual_rate"
    )

    class Meta:
        template_name = "django_tables2/table.html"
        attrs = {"class": "table breakdown"}
        empty_text = _("No project matches these filters.")

    def __init__(self, *args, report=None, **kwargs):
        super().__init__(*args, **kwargs)
        if report is None:
            return
        headline = report.headline
        totals = {
            "name": TOTAL_LABEL,
            "projects": headline.projects,
            "starts_planned": headline.starts.planned,
            "starts_actual": headline.starts.actual,
        }
        for measure in ("investment", "inclusion"):
            figures = getattr(headline, measure)
            totals[f"{measure}_planned"] = f"{figures.planned:,.2f}"
            totals[f"{measure}_actual"] = f"{figures.actual:,.2f}"
            totals[f"{measure}_rate"] = format_rate(figures.rate)
            totals[f"{measure}_annual_rate"] = format_rate(figures.annual_rate)
        # Columns are copied per table, so setting these changes this table only.
        for name, value in totals.items():
            self.columns[name].column._footer = value
        for name in ("investment_rate", "inclusion_rate"):
            self.columns[name].column.thresholds = (report.yellow_below, report.red_below)


def breakdown_table(rows, *, request, prefix: str, title, report=None) -> BreakdownTable:
    """A sortable breakdown table; each on the page sorts by its own query parameter.

    With ``report`` the table closes with the headline as its 合计 row, as the
    exports do, and colours each rate bar by the light its rate would earn.
    """
    table = BreakdownTable(list(rows), prefix=f"{prefix}-", orderable=True, report=report)
    table.columns["name"].column.verbose_name = title
    tables.RequestConfig(request, paginate=False).configure(table)
    return table


class BoundedRequestConfig(tables.RequestConfig):
    """Sorting and paging from the address, with page and page size kept in range.

    django-tables2 hands any integer to the paginator, and a page size of zero or less
    makes it raise; here a size outside 1..``max_per_page`` or a page that is not a
    number falls back to the default, and a page past either end shows the nearest one.
    """

    def __init__(self, request, *, per_page: int, max_per_page: int):
        super().__init__(request, paginate=False)
        self.per_page, self.max_per_page = per_page, max_per_page

    def configure(self, table):
        super().configure(table)  # sorting; paging is done below
        per_page = _int_or_none(self.request.GET.get(table.prefixed_per_page_field))
        if per_page is None or not 1 <= per_page <= self.max_per_page:
            per_page = self.per_page
        page = _int_or_none(self.request.GET.get(table.prefixed_page_field)) or 1
        table.paginate(page=1, per_page=per_page)
        table.page = table.paginator.page(min(max(page, 1), table.paginator.num_pages))
        return table


def _int_or_none(text) -> int | None:
    try:
        return int(text)
    except (TypeError, ValueError):
        return None
