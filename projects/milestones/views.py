"""Node plan pages: a project's timeline with its approvals, late nodes, applying templates."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.exports.registry import NODES, exporter, formats
from projects.exports.responses import export_download
from projects.models import DispatchSettings, Project, Unit
from projects.permissions import can, can_manage_all_units
from projects.selectors.project import project_in_reach
from projects.web.form_errors import add_service_error

from . import selectors, services
from .exports import NodeExporter
from .forms import ApplyTemplatesForm, ApprovalFormSet, NodeFormSet
from .models import Milestone


def _project(request, code: str) -> Project:
    # Fetched through the policy: a project out of reach is as missing as an unknown code.
    project = project_in_reach(request.user, code)
    if project is None:
        raise Http404(_("There is no project with code %(code)s.") % {"code": code})
    return project


class _Abort(Exception):
    """Roll the whole form back when one row is refused."""


def _save_nodes(request, project, formset) -> bool:
    nodes = {n.pk: n for n in Milestone.objects.filter(project=project)}
    # A manager's reason for nodes dated in a locked month; the service asks for it.
    reason = request.POST.get("reason", "").strip()[:100]
    try:
        with transaction.atomic():
            for form in formset:
                data = form.cleaned_data
                node = nodes.get(data.get("id"))
                try:
                    if data.get("remove"):
                        if node is not None:
                            services.delete_milestone(
                                actor=request.user, milestone=node, reason=reason
                            )
                    elif data.get("name"):
                        services.save_milestone(
                            actor=request.user,
                            project=project,
                            name=data["name"],
                            planned_date=data["planned_date"],
                            actual_date=data["actual_date"],
                            unit=data["unit"],
                            note=data["note"],
                            version=data.get("version") if node else None,
                            reason=reason,
                        )
                except ValidationError as error:
                    add_service_error(form, error)
                    raise _Abort from error
    except _Abort:
        return False
    return True


def _save_approvals(request, project, formset) -> bool:
    try:
        with transaction.atomic():
            for form in formset:
                data = form.cleaned_data
                try:
                    services.save_approval(
                        actor=request.user,
                        project=project,
                        kind=data["kind"],
                        status=data["status"],
                        date=data["date"],
                        document_number=data["document_number"],
                    )
                except ValidationError as error:
                    add_service_error(form, error)
                    raise _Abort from error
    except _Abort:
        return False
    return True


def _node_initial(nodes):
    return [
        {
            "id": n.pk,
            "version": n.version,
            "name": n.name,
            "planned_date": n.planned_date,
            "actual_date": n.actual_date,
            "unit": n.unit_id,
            "note": n.note,
        }
        for n in nodes
    ]


@login_required
def project_plan(request, code: str):
    """The project's node timeline, approvals and 入库 status, editable by its unit."""
    project = _project(request, code)
    today = timezone.localdate()
    settings = DispatchSettings.current()
    nodes = selectors.timeline(project, today, settings.node_warning_days)
    approvals = selectors.approvals_of(project)
    editable = can(request.user, "change", project)
    node_formset = NodeFormSet(initial=_node_initial(nodes), prefix="nodes")
    approval_formset = ApprovalFormSet(
        initial=[
            {
                "kind": a["kind"],
                "status": a["approval"].status if a["approval"] else "not_started",
                "date": a["approval"].date if a["approval"] else None,
                "document_number": a["approval"].document_number if a["approval"] else "",
            }
            for a in approvals
        ],
        prefix="approvals",
    )
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(_("You can change only your own unit's projects."))
        if request.POST.get("action") == "approvals":
            approval_formset = ApprovalFormSet(request.POST, prefix="approvals")
            saved = approval_formset.is_valid() and _save_approvals(
                request, project, approval_formset
            )
        else:
            node_formset = NodeFormSet(request.POST, prefix="nodes")
            saved = node_formset.is_valid() and _save_nodes(request, project, node_formset)
        if saved:
            messages.success(request, _("Saved."))
            return redirect("project_plan", code=project.code)
    context = {
        "project": project,
        "nodes": nodes,
        "approvals": approvals,
        "library": selectors.library_status(project, today, settings),
        "editable": editable,
        "manager": can_manage_all_units(request.user),
        "node_formset": node_formset,
        "approval_formset": approval_formset,
        "approval_rows": list(zip(approval_formset, [a["label"] for a in approvals], strict=False)),
        "warning_days": settings.node_warning_days,
    }
    return render(request, "milestones/project_plan.html", context)


def _as_of(request) -> dt.date:
    """The day the flags are read for: the report's date when it links here, else today."""
    today = timezone.localdate()
    try:
        return min(today, dt.date.fromisoformat(request.GET.get("as_of", "")))
    except ValueError:
        return today


def _flagged(request):
    today = _as_of(request)
    days = DispatchSettings.current().node_warning_days
    which = request.GET.get("flag") or selectors.LATE
    if which not in (selectors.LATE, selectors.DUE_SOON, ALL):
        which = selectors.LATE
    projects = Project.objects.restrict(request.user, "view")
    unit = request.GET.get("unit", "")
    if unit.isdigit():
        projects = projects.filter(unit_id=int(unit))
    programme = request.GET.get("programme", "")
    if programme:
        projects = projects.filter(programme__code=programme)
    return which, days, today, selectors.flagged_nodes(projects, today, days, which)


@login_required
def node_list(request):
    which, days, as_of, nodes = _flagged(request)
    context = {
        "which": which,
        "as_of": as_of,
        "nodes": nodes,
        "warning_days": days,
        "units": Unit.objects.all(),
        "unit": request.GET.get("unit", ""),
        "query": request.GET.urlencode(),
        "node_formats": formats(NODES).values(),
    }
    return render(request, "milestones/node_list.html", context)


ALL = "all"


@login_required
def node_export(request, fmt: str):
    which, _days, as_of, nodes = _flagged(request)
    label = {selectors.LATE: "滞后", selectors.DUE_SOON: "临期"}.get(which, "计划")
    # Importing ``NodeExporter`` registered the formats the URL converter accepted.
    chosen: NodeExporter = exporter(fmt, NODES)
    return export_download(chosen.file(nodes, f"节点{label}-{as_of:%Y%m%d}"))


@login_required
def apply_templates(request):
    if not can_manage_all_units(request.user):
        raise PermissionDenied(_("Only managers apply node templates."))
    form = ApplyTemplatesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            added = services.apply_templates(
                actor=request.user,
                projects=Project.objects.filter(programme=form.cleaned_data["programme"]),
                kind=form.cleaned_data["kind"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("%(count)s nodes added.") % {"count": added})
            return redirect("apply_node_templates")
    return render(request, "milestones/apply_templates.html", {"form": form})
