"""The problem log's panels on the ledger's pages (see ``projects.web.panels``)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.permissions import restrict
from projects.selectors.report_cache import kept_for
from projects.web.drawn_widgets import escaped
from projects.web.panels import register

from . import selectors


@register(
    "report",
    name="problem_counts",
    order=10,
    slots={"dispatch": "coordination/_report_counts.html"},
)
def report_counts(request, *, programme, period_end):
    # Kept per data version like the report's figures: problems and the settings are rows
    # the list's year's versions cover, and who sees a problem is the reader's reach.
    today = timezone.localdate()
    return kept_for(
        "problem_counts",
        years=[programme.year],
        parts=[programme.pk, today.isoformat(), str(restrict(request.user, "view"))],
        classes=[selectors.ProblemCounts],
        compute=lambda: selectors.problem_counts_panel(request.user, today, programme),
    )


@register(
    "project",
    name="problems",
    order=10,
    slots={
        "panels": "coordination/_project_problems.html",
        "month_problems": "coordination/_raise_link.html",
    },
)
def project_problems(request, *, project):
    return selectors.project_problems_panel(request.user, project, timezone.localdate())


def draw_raise_from_grid(data: dict, *, row, form, grid) -> str:
    """A row's 存在问题 on the entry grid, one click from a problem: the project and month come
    along. Shown where the row is editable or holds problems, to those who may raise one."""
    if not (form or (row.entry and row.entry.problems)):
        return ""
    raisable = data["raisable"]
    if raisable is not None and row.project.unit_id not in raisable:
        return ""
    address = escaped(reverse("problem_new", kwargs={"code": row.project.code}))
    field = f' data-field="{escaped(form["problems"].html_name)}"' if form else ""
    return (
        f'<a class="pill raise-from-grid" href="{address}?year={grid.year}&amp;month={grid.month}"'
        f' target="_blank" rel="noopener"{field}>{data["raise_label"]}</a>'
    )


@register(
    "entry",
    name="problem_counts",
    order=10,
    slots={
        "tallies": "coordination/_entry_counts.html",
        "row_problems": draw_raise_from_grid,
    },
)
def entry_counts(request, *, grid, unit):
    panel = selectors.problem_counts_panel(request.user, timezone.localdate(), unit=unit)
    # Read once for the page, so each row's 提为问题 link adds no query (nor a translation).
    return {
        **panel,
        "raisable": selectors.raisable_unit_ids(request.user),
        "raise_label": escaped(_("Raise as a problem")),
    }


@register("unit", name="problem_counts", order=10, slots={"tallies": "coordination/_counts.html"})
def unit_counts(request):
    return selectors.problem_counts_panel(request.user, timezone.localdate())
