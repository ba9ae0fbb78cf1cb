"""Small hooks the ledger's pages include to show problem counts and a project's problems."""

from django import template
from django.utils import timezone

from .. import selectors
from ..models import DispatchSettings, Problem
from ..scope import can_edit

register = template.Library()


@register.inclusion_tag("coordination/_counts.html", takes_context=True)
def problem_counts(context, programme=None, unit=None):
    """Open / 临期 / 超期 for what the user may see, narrowed to a programme or a unit."""
    problems = selectors.visible_problems(context["request"].user)
    base = ""
    if programme is not None:
        problems = problems.filter(project__programme=programme)
    if unit is not None:
        problems = problems.filter(project__unit=unit)
        base = f"&unit={unit.pk}"
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
