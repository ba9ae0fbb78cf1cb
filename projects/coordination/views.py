"""Problem pages: the list with its filters and agenda files, one problem, raising a new one."""

from typing import NamedTuple

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.exports.registry import AGENDA, exporter, formats
from projects.exports.responses import export_download
from projects.models import DispatchSettings, MonthlyProgress, Project
from projects.periods import month_from_parts
from projects.permissions import can, can_manage_all_units
from projects.selectors.project import project_in_reach
from projects.web.form_errors import add_service_error

from . import forms, selectors, services
from .exports import AgendaExporter
from .filters import ProblemFilter
from .models import Problem
from .tables import ProblemTable

PAGE_SIZE = 50


def _filtered(request):
    today = timezone.localdate()
    # Always bound, so a list opened without filters is filtered too (open problems only).
    filterset = ProblemFilter(
        request.GET, queryset=selectors.visible_problems(request.user), today=today
    )
    return today, filterset, filterset.qs


@login_required
def problem_list(request):
    today, filterset, problems = _filtered(request)
    days = DispatchSettings.current().due_soon_days
    page = Paginator(problems, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filterset": filterset,
        "page": page,
        # The page's problems only: the database filtered and paged them.
        "table": ProblemTable(page, request=request, today=today, due_soon_days=days),
        "counts": selectors.counts(selectors.visible_problems(request.user), today, days),
        "query": query.urlencode(),
        "due_soon_days": days,
        "today": today,
        "agenda_formats": formats(AGENDA).values(),
    }
    return render(request, "coordination/problem_list.html", context)


@login_required
def agenda_export(request, fmt: str):
    today, filterset, problems = _filtered(request)
    if not filterset.is_valid():
        messages.error(request, _("The filters are not valid, so no file was made."))
        return redirect("problem_list")
    days = DispatchSettings.current().due_soon_days
    groups = selectors.agenda(problems, today, days)
    # Importing ``AgendaExporter`` registered the formats the URL converter accepted.
    chosen: AgendaExporter = exporter(fmt, AGENDA)
    return export_download(chosen.file(groups, today))


def _visible_problem(request, pk: int) -> Problem:
    # Another unit's problem reads as missing: its existence is not the user's business.
    problem = (
        Problem.objects.restrict(request.user, "view")
        .select_related("project__unit", "department")
        .filter(pk=pk)
        .first()
    )
    if problem is None:
        raise Http404(_("There is no problem #%(id)s you can see.") % {"id": pk})
    return problem


ACTIONS = {
    "comment": forms.CommentForm,
    "assign": forms.AssignForm,
    "escalate": forms.EscalateForm,
    "resolve": forms.ResolveForm,
    "reopen": forms.ReopenForm,
    "reclassify": forms.ReclassifyForm,
}


def _act(request, problem: Problem, action: str, data: dict) -> None:
    actor = request.user
    version = data.get("version")
    if action == "comment":
        services.comment_on_problem(actor=actor, problem=problem, comment=data["comment"])
    elif action == "assign":
        services.assign_problem(
            actor=actor,
            problem=problem,
            department=data["department"],
            deadline=data["deadline"],
            leader=data["leader"],
            comment=data["comment"],
            version=version,
            reason=data["reason"],
        )
    elif action == "escalate":
        services.escalate_problem(
            actor=actor,
            problem=problem,
            comment=data["comment"],
            leader=data["leader"],
            version=version,
        )
    elif action == "resolve":
        services.resolve_problem(
            actor=actor,
            problem=problem,
            resolution=data["resolution"],
            resolved_on=data["resolved_on"],
            version=version,
            reason=data["reason"],
        )
    elif action == "reclassify":
        services.reclassify_problem(
            actor=actor,
            problem=problem,
            kind=data["kind"],
            comment=data["comment"],
            version=version,
        )
    else:
        services.reopen_problem(
            actor=actor,
            problem=problem,
            comment=data["comment"],
            version=version,
            reason=data["reason"],
        )


@login_required
def problem_detail(request, pk: int):
    problem = _visible_problem(request, pk)
    initial = {"version": problem.version}
    bound = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in ACTIONS:
            raise Http404(_("Unknown action."))
        form = ACTIONS[action](request.POST, initial=initial)
        bound[action] = form
        if form.is_valid():
            try:
                _act(request, problem, action, form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("problem_detail", pk=problem.pk)
    today = timezone.localdate()
    problem.flag = selectors.flag(problem, today, DispatchSettings.current().due_soon_days)
    problem.age = problem.age_days(today)
    manager = can_manage_all_units(request.user)
    assign_initial = {
        **initial,
        "department": problem.department_id,
        "leader": problem.leader or problem.project.leader_name,
        "deadline": problem.deadline,
    }
    context = {
        "problem": problem,
        "steps": problem.steps.select_related("actor"),
        "can_comment": can(request.user, "change", problem.project),
        "manager": manager,
        "comment_form": bound.get("comment") or forms.CommentForm(),
        "assign_form": bound.get("assign") or forms.AssignForm(initial=assign_initial),
        "escalate_form": bound.get("escalate") or forms.EscalateForm(initial=initial),
        "resolve_form": bound.get("resolve") or forms.ResolveForm(initial=initial),
        "reopen_form": bound.get("reopen") or forms.ReopenForm(initial=initial),
        "reclassify_form": bound.get("reclassify")
        or forms.ReclassifyForm(initial={**initial, "kind": problem.kind}),
    }
    return render(request, "coordination/problem_detail.html", context)


class SourceMonth(NamedTuple):
    """The month a problem is raised from, and the 存在问题 text stored for it (maybe none yet)."""

    year: int
    month: int
    problems: str


def _source_month(request, project: Project) -> SourceMonth | None:
    """The month whose 存在问题 text the new problem starts from, if the link named one.

    The entry grid names a month that may not be saved yet, so the month is kept
    even when nothing is stored for it.
    """
    parsed = month_from_parts(request.GET.get("year", ""), request.GET.get("month", ""))
    if parsed is None:
        return None
    year, month = parsed
    stored = (
        MonthlyProgress.objects.filter(project=project, year=year, month=month)
        .values_list("problems", flat=True)
        .first()
    )
    return SourceMonth(year, month, stored or "")


def _starting_text(request, source: SourceMonth | None) -> str:
    """What the description starts as: the text typed in the grid, else the month's stored text."""
    typed = request.GET.get("description", "").strip()
    if typed:
        return typed[:2000]
    return source.problems if source else ""


@login_required
def problem_new(request, code: str):
    # Fetched through the policy: a project out of reach is as missing as an unknown code.
    project = project_in_reach(request.user, code)
    if project is None:
        raise Http404(_("There is no project with code %(code)s.") % {"code": code})
    if not can(request.user, "change", project):
        raise PermissionDenied(_("You can raise problems only for your own unit's projects."))
    source = _source_month(request, project)
    if request.method == "POST":
        form = forms.RaiseForm(request.POST)
        if form.is_valid():
            try:
                problem = services.raise_problem(
                    actor=request.user,
                    project=project,
                    description=form.cleaned_data["description"],
                    kind=form.cleaned_data["kind"],
                    source_year=source.year if source else None,
                    source_month=source.month if source else None,
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Problem raised; managers will assign it."))
                return redirect("problem_detail", pk=problem.pk)
    else:
        form = forms.RaiseForm(initial={"description": _starting_text(request, source)})
    # The project's open problems, so the clerk adds a note to one rather than raising it again.
    open_problems = Problem.objects.filter(
        project=project, status__in=Problem.OPEN_STATUSES
    ).order_by("kind")
    context = {"form": form, "project": project, "source": source, "open_problems": open_problems}
    return render(request, "coordination/problem_new.html", context)
