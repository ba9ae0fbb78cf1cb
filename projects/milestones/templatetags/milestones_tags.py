"""Hooks the ledger's pages include: a project's nodes and the report's dispatch sections."""

from django import template
from django.utils import timezone

from projects.coordination.models import DispatchSettings
from projects.coordination.scope import visible_projects

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
    projects = visible_projects(context["request"].user).filter(programme=programme)
    return {
        "as_of": as_of,
        "programme": programme,
        "nodes": selectors.node_counts(projects, as_of, settings.node_warning_days),
        "starts": selectors.approvals_before_start(projects, as_of, settings.start_window_days),
        "library": selectors.not_in_library(
            projects, as_of, settings.library_yellow_months, settings.library_red_months
        ),
        "settings": settings,
    }


@register.inclusion_tag("milestones/_node_counts.html", takes_context=True)
def node_counts(context, unit=None):
    """Late and due-soon nodes of the projects the user may see (of one unit if named), today."""
    today = timezone.localdate()
    days = DispatchSettings.current().node_warning_days
    projects = visible_projects(context["request"].user)
    base = ""
    if unit is not None:
        projects = projects.filter(unit=unit)
        base = f"&unit={unit.pk}"
    return {
        "nodes": selectors.node_counts(projects, today, days),
        "as_of": today,
        "programme": None,
        "base": base,
    }
