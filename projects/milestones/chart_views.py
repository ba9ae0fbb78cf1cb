"""挂图作战 pages (a project's and a unit's node charts), choosing template sets for a project,
and 重排后续节点 (re-planning the nodes after a late one). Thin: services write, selectors read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.models import Project, Unit
from projects.permissions import can, can_manage_all_units, reaches_unit
from projects.web.form_errors import add_service_error

from . import chart, selectors, services
from .forms import ApplySetsForm, ReplanForm, pin_versions
from .models import Milestone
from .views import _project


@login_required
def project_chart(request, code: str):
    project = _project(request, code)
    context = {
        "chart": chart.project_chart(project, timezone.localdate()),
        "editable": can(request.user, "change", project),
        "manager": can_manage_all_units(request.user),
        "sets_form": ApplySetsForm(),
    }
    return render(request, "milestones/project_chart.html", context)


def _unit(request, pk: int) -> tuple[Unit, object]:
    # A unit is in reach when the person reaches all its projects or can see some of them;
    # otherwise it is as missing as an unknown one.
    unit = Unit.objects.filter(pk=pk).first()
    projects = Project.objects.restrict(request.user, "view")
    if unit is None or not (
        reaches_unit(request.user, "view", pk) or projects.filter(unit=unit).exists()
    ):
        raise Http404(_("There is no such unit."))
    return unit, projects


@login_required
def unit_chart(request, pk: int):
    unit, projects = _unit(request, pk)
    result = chart.unit_chart(projects, unit, timezone.localdate())
    return render(request, "milestones/unit_chart.html", {"chart": result})


@login_required
def chart_units(request):
    """The units whose charts the person may open, to choose one."""
    projects = Project.objects.restrict(request.user, "view")
    units = Unit.objects.filter(pk__in=projects.values("unit"))
    return render(request, "milestones/chart_units.html", {"units": units})


@login_required
def apply_sets(request, code: str):
    project = _project(request, code)
    if request.method != "POST":
        return redirect("project_chart", code=project.code)
    if not can_manage_all_units(request.user):
        raise PermissionDenied(_("Only managers apply node templates."))
    form = ApplySetsForm(request.POST)
    if form.is_valid():
        try:
            added = services.apply_template_sets(
                actor=request.user,
                projects=Project.objects.filter(pk=project.pk),
                template_sets=form.cleaned_data["template_sets"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("%(count)s nodes added.") % {"count": added})
            return redirect("project_chart", code=project.code)
    context = {
        "chart": chart.project_chart(project, timezone.localdate()),
        "editable": can(request.user, "change", project),
        "manager": True,
        "sets_form": form,
    }
    return render(request, "milestones/project_chart.html", context, status=400)


def _late_node(project, node_id: int) -> Milestone:
    node = Milestone.objects.filter(project=project, pk=node_id).first()
    if node is None:
        raise Http404(_("There is no such node."))
    return node


@login_required
def replan(request, code: str, node_id: int):
    """Preview the following nodes' new dates (GET); move them with a reason (POST)."""
    project = _project(request, code)
    node = _late_node(project, node_id)
    if not can(request.user, "change", project):
        raise PermissionDenied(_("You can change only your own unit's projects."))
    today = timezone.localdate()
    form = ReplanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            moved = services.replan_following(
                actor=request.user,
                milestone=node,
                reason=form.cleaned_data["reason"],
                versions=form.cleaned_data["versions"],
                today=today,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("%(count)s nodes re-planned.") % {"count": len(moved)})
            return redirect("project_chart", code=project.code)
    late, moves = selectors.replan_preview(node, today)
    if request.method == "GET":
        form = ReplanForm(initial={"versions": pin_versions(moves)})
    else:
        # A refused confirm shows the preview as it is now, pinned anew.
        form.data = form.data.copy()
        form.data["versions"] = pin_versions(moves)
    context = {"project": project, "node": node, "late": late, "moves": moves, "form": form}
    return render(
        request, "milestones/replan.html", context, status=400 if request.method == "POST" else 200
    )
