"""Hooks the ledger's pages include: a project's nodes and the report's dispatch sections."""

from django import template
from django.utils import timezone

from projects.coordination.models import DispatchSettings

from .. import selectors

register = template.Library()


@register.inclusion_tag("milestones/_project_panel.html")
def project_plan_panel(project):
    """The project's timeline, approvals and 入库 status; the caller checked it may see them."""
    today = timezone.localdate()
    settings = DispatchSettings.current()
    return {
        "project": project,
        "nodes": selectors.timeline(project, today, settings.node_warning_days),
        "approvals": selectors.approvals_of(project),
        "library": selectors.library_status(
            project, today, settings.library_yellow_months, settings.library_red_months
        ),
    }


@register.inclusion_tag("milestones/_report_sections.html", takes_context=True)
def report_plan_sections(context, programme, period_end):
    """Late nodes, starts without approvals and projects not in the library, for the report.

    Dated as of the period's end, or today while the period is still running, so a
    past quarter's report reads as it stood then.
    """
    as_of = min(timezone.localdate(), period_end)
    settings = DispatchSettings.current()
    return {
        "as_of": as_of,
        "programme": programme,
        **selectors.report_sections(context["request"].user, programme, as_of, settings),
        "settings": settings,
    }


@register.inclusion_tag("milestones/_node_counts.html", takes_context=True)
def node_counts(context, unit=None):
    """Late and due-soon nodes of the projects the user may see (of one unit if named), today."""
    today = timezone.localdate()
    days = DispatchSettings.current().node_warning_days
    return {
        "nodes": selectors.node_counts_for(context["request"].user, today, days, unit),
        "as_of": today,
        "programme": None,
        "base": f"&unit={unit.pk}" if unit is not None else "",
    }
