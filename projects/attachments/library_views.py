"""入库 pages: a project's material checklist (attach, replace, remove), its files, the due list.

Thin: the project comes through the access policy (another unit's is 404), every write is a
service with the person as actor, every figure a selector's.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from projects.exports.registry import exporter
from projects.exports.responses import download, export_download
from projects.models import DispatchSettings, PeriodLock
from projects.periods import parse_month
from projects.permissions import can, can_manage_all_units
from projects.selectors.thresholds import dispatch_for
from projects.web.form_errors import add_service_error

from . import library_selectors as selectors
from . import library_services as services
from .exports import LIBRARY, LibraryExporter
from .forms import LibraryDocumentForm
from .models import LibraryDocument
from .services import photo_month
from .views import _project


@login_required
def checklist(request, code: str):
    project = _project(request, code)
    editable = can(request.user, "change", project)
    manager = can_manage_all_units(request.user)
    form = LibraryDocumentForm(project=project, may_correct_locked=manager)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(_("You can change only your own unit's projects."))
        form = LibraryDocumentForm(
            request.POST, request.FILES, project=project, may_correct_locked=manager
        )
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.attach_library_document(
                    actor=request.user,
                    project=project,
                    kind=data["kind"],
                    photo=data["photo"],
                    upload=data["document"],
                    note=data["note"],
                    reason=data.get("reason", ""),
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("入库 material saved."))
                return redirect("library_checklist", code=project.code)
    state = selectors.library_state(
        project, timezone.localdate(), dispatch_for(project.programme_id)
    )
    locked = PeriodLock.objects.locked_months()
    rows = [
        (i, i.item is not None and photo_month(None, None, i.item.uploaded_at) in locked)
        for i in state.items
    ]
    context = {
        "project": project,
        "state": state,
        "rows": rows,
        "form": form,
        "editable": editable,
        "manager": manager,
    }
    return render(request, "attachments/library_checklist.html", context)


def _visible(request, token: str) -> LibraryDocument:
    # Missing, anonymous or another unit's: the same 404, so a link reveals nothing.
    item = (
        LibraryDocument.objects.restrict(request.user, "view")
        .select_related("project")
        .filter(token=token)
        .first()
    )
    if item is None:
        raise Http404(_("There is no such 入库 material."))
    return item


def document_file(request, token: str):
    """The uploaded file, only to users who may see its project; always a download."""
    item = _visible(request, token)
    if not item.document:
        raise Http404(_("There is no such 入库 material."))
    extension = item.document.name.rsplit(".", 1)[-1]
    name = f"{item.project.code}-{item.get_kind_display()}.{extension}"
    return download(item.document.open("rb"), content_type=item.content_type, filename=name)


@require_POST
@login_required
def remove(request, token: str):
    item = _visible(request, token)
    try:
        services.remove_library_document(
            actor=request.user, item=item, reason=request.POST.get("reason", "")[:100]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("入库 material removed."))
    return redirect("library_checklist", code=item.project.code)


def _due(request) -> selectors.DueList:
    today = timezone.localdate()
    year, month = today.year, today.month
    text = request.GET.get("month", "")
    if text:
        try:
            year, month = parse_month(text)
        except ValueError:
            messages.error(request, _("Give the month as YYYY-MM, e.g. 2024-03."))
    return selectors.due_for_library(request.user, year, month, DispatchSettings.current())


@login_required
def due_list(request):
    due = _due(request)
    return render(request, "attachments/library_due.html", {"due": due})


@login_required
def due_export(request, fmt: str):
    due = _due(request)
    # Importing ``LibraryExporter`` registered the formats the URL converter accepted.
    chosen: LibraryExporter = exporter(fmt, LIBRARY)
    return export_download(chosen.file(due))
