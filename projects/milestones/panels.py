"""The node plans' panels on the ledger's pages (see ``projects.web.panels``)."""

from django.utils import timezone
from django.utils.safestring import mark_safe

from projects.models import DispatchSettings
from projects.permissions import restrict
from projects.selectors.report_cache import kept_for
from projects.web.panels import register

from . import selectors
from .drawn import draw_report_sections


@register(
    "report",
    name="plan_sections",
    order=20,
    slots={"dispatch": "milestones/_report_sections_kept.html"},
)
def report_sections(request, *, programme, period_end):
    """Late nodes, starts without approvals and projects not in the library.

    Dated as of the period's end, or today while the period is still running, so a past
    quarter's report reads as it stood then.
    """
    as_of = min(timezone.localdate(), period_end)
    settings = DispatchSettings.current()

    def compute() -> dict:
        sections = selectors.report_sections(request.user, programme, as_of, settings)
        context = {"as_of": as_of, "programme": programme, **sections, "settings": settings}
        # Drawn with its lists, in Python (``drawn``), to what its template wrote.
        return {**sections, "html": str(draw_report_sections(context))}

    # Read again with no write between, the lists are one cache get, drawn: nodes,
    # approvals, projects and the settings are all rows the list's year's versions cover
    # (at 20,000 projects the node counts alone were 24 ms of every report page, and
    # drawing the demo's lists 1 ms of a page read again). Who sees which projects is the
    # reader's reach, in the key.
    sections = kept_for(
        "report_sections",
        years=[programme.year],
        parts=[programme.pk, as_of.isoformat(), str(restrict(request.user, "view"))],
        classes=[
            selectors.NodeCounts,
            selectors.StartWithoutApprovals,
            selectors.NotInLibrary,
            selectors.ListedProject,
        ],
        compute=compute,
    )
    # Drawn as its template drew it: every value escaped (``drawn``).
    return {"as_of": as_of, **sections, "html": mark_safe(sections["html"])}


@register("project", name="plan", order=20, slots={"panels": "milestones/_project_panel.html"})
def project_plan(request, *, project):
    """The project's timeline and approvals; the view fetched it through the policy.

    Its 入库 status is the 入库 panel's (``attachments``), with the checklist beside it.
    """
    today = timezone.localdate()
    settings = DispatchSettings.current()
    return {
        "project": project,
        "nodes": selectors.timeline(project, today, settings.node_warning_days),
        "approvals": selectors.approvals_of(project),
    }


def _node_counts(request, unit=None) -> dict:
    """Late and due-soon nodes of the projects the user may see (of one unit if named), today."""
    today = timezone.localdate()
    days = DispatchSettings.current().node_warning_days
    return {
        "nodes": selectors.node_counts_for(request.user, today, days, unit),
        "as_of": today,
        "programme": None,
        "base": f"&unit={unit.pk}" if unit is not None else "",
    }


@register("entry", name="node_counts", order=20, slots={"tallies": "milestones/_node_counts.html"})
def entry_node_counts(request, *, grid, unit):
    return _node_counts(request, unit)


@register("unit", name="node_counts", order=20, slots={"tallies": "milestones/_node_counts.html"})
def unit_node_counts(request):
    return _node_counts(request)
