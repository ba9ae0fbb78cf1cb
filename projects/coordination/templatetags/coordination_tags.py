"""Small hooks the ledger's pages include to show problem counts and a project's problems."""

from urllib.parse import quote

from django import template
from django.utils import timezone

from projects.permissions import editable_unit_ids

from .. import selectors
from ..models import DispatchSettings, Problem
from ..scope import ENTRY_PERMISSION, can_edit, is_manager

register = template.Library()


@register.inclusion_tag("coordination/_counts.html", takes_context=True)
def problem_counts(context, programme=None, unit=None):
    """Open / 临期 / 超期 for what the user may see, narrowed to a programme or a unit."""
    problems = selectors.visible_problems(context["request"].user)
    base = ""
    if programme is not None:
        problems = problems.filter(project__programme=programme)
        base = f"&programme={quote(programme.code)}"
    if unit is not None:
        problems = problems.filter(project__unit=unit)
        base += f"&unit={unit.pk}"
    days = DispatchSettings.current().due_soon_days
    return {
        "counts": selectors.counts(problems, timezone.localdate(), days),
        "base": base,
        "due_soon_days": days,
    }


@register.inclusion_tag("coordination/_project_problems.html", takes_context=True)
def project_problems(context, project):
    """The project's problems with their flags; the caller has already checked it may see them."""
    today = timezone.localdate()
    days = DispatchSettings.current().due_soon_days
    problems = list(
        Problem.objects.filter(project=project)
        .select_related("department")
        .order_by("-raised_on", "-id")
    )
    for problem in problems:
        problem.flag = selectors.flag(problem, today, days)
        problem.age = problem.age_days(today)
    return {
        "project": project,
        "problems": problems,
        "counts": selectors.counts(Problem.objects.filter(project=project), today, days),
        "base": f"&project={project.code}",
        "due_soon_days": days,
        "can_raise": can_edit(context["request"].user, project),
    }


@register.inclusion_tag("coordination/_raise_link.html", takes_context=True)
def raise_from_month(context, project, entry):
    """One click from a month's 存在问题 text to a problem in the log."""
    return {
        "project": project,
        "entry": entry,
        "show": can_edit(context["request"].user, project),
    }


@register.inclusion_tag("coordination/_raise_from_grid.html", takes_context=True)
def raise_from_grid(context, row, form=None):
    """One click from a row's 存在问题 field on the entry grid: the project and month come along.

    Who may raise is read once per page, so the rows add no queries.
    """
    request = context["request"]
    editable = getattr(request, "_raise_editable", False)
    if editable is False:
        user = request.user
        editable = (
            editable_unit_ids(user)
            if is_manager(user) or user.has_perm(ENTRY_PERMISSION)
            else set()
        )
        request._raise_editable = editable
    project = row.project
    has_text = bool(form is not None or (row.entry and row.entry.problems))
    return {
        "project": project,
        "grid": context["grid"],
        "field": form["problems"].html_name if form is not None else "",
        "show": has_text and (editable is None or project.unit_id in editable),
    }
