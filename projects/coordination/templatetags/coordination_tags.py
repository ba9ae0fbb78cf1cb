"""Small hooks the ledger's pages include to show problem counts and a project's problems."""

from django import template
from django.utils import timezone

from projects.permissions import can

from .. import selectors

register = template.Library()


@register.inclusion_tag("coordination/_counts.html", takes_context=True)
def problem_counts(context, programme=None, unit=None):
    """Open / 临期 / 超期 for what the user may see (read by the selector, scoped there)."""
    return selectors.problem_counts_panel(
        context["request"].user, timezone.localdate(), programme, unit
    )


@register.inclusion_tag("coordination/_project_problems.html", takes_context=True)
def project_problems(context, project):
    """The project's problems with their flags; the caller has already checked it may see them."""
    return selectors.project_problems_panel(context["request"].user, project, timezone.localdate())


@register.inclusion_tag("coordination/_raise_link.html", takes_context=True)
def raise_from_month(context, project, entry):
    """One click from a month's 存在问题 text to a problem in the log."""
    return {
        "project": project,
        "entry": entry,
        "show": can(context["request"].user, "change", project),
    }


@register.inclusion_tag("coordination/_raise_from_grid.html", takes_context=True)
def raise_from_grid(context, row, form=None):
    """One click from a row's 存在问题 field on the entry grid: the project and month come along.

    Who may raise is read once per page, so the rows add no queries.
    """
    request = context["request"]
    editable = getattr(request, "_raise_editable", False)
    if editable is False:
        editable = selectors.raisable_unit_ids(request.user)
        request._raise_editable = editable
    project = row.project
    has_text = bool(form is not None or (row.entry and row.entry.problems))
    return {
        "project": project,
        "grid": context["grid"],
        "field": form["problems"].html_name if form is not None else "",
        "show": has_text and (editable is None or project.unit_id in editable),
    }
