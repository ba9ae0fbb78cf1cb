"""The admin's node import: upload -> preview -> confirm, beside the ledger and progress imports.

The file is read by the ledger's guarded reader (size, rows, columns, zip bombs) and
waits between preview and confirm the way the ledger's uploads do; the confirm
checks it all again, so what is saved is never older than what was shown.
"""

from pathlib import Path

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from projects.admin.imports import PREVIEW_ROWS, UploadForm
from projects.imports import ImportFileError, pending
from projects.permissions import can_manage_all_units

from .imports import import_nodes

KIND = "nodes"


class NodeUploadForm(UploadForm):
    # The reason field is the ledger's: nodes dated in a locked month need one too.
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "CSV (UTF-8 or GBK) or Excel .xlsx with the node export's headers: "
            "项目编号, 节点, 序号, 计划完成, 实际完成, 责任单位."
        ),
    )


def _context(request) -> dict:
    return {
        **admin.site.each_context(request),
        "title": _("Import nodes"),
        "changelist_url": reverse("admin:milestones_milestone_changelist"),
        "export_url": reverse("node_export", kwargs={"fmt": "xlsx"}) + "?flag=all",
    }


def node_import_view(request):
    if not can_manage_all_units(request.user):
        raise PermissionDenied(_("Only managers import nodes."))
    context = _context(request)
    if request.method == "POST" and "token" in request.POST:
        return _confirm(request, context)
    form = (
        NodeUploadForm(request.POST, request.FILES)
        if request.method == "POST"
        else NodeUploadForm()
    )
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data["file"]
        filename = Path(upload.name).name
        content = upload.read()
        reason = form.cleaned_data["reason"]
        try:
            result = import_nodes(
                actor=request.user,
                content=content,
                filename=filename,
                dry_run=True,
                reason=reason,
            )
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            try:
                token = (
                    ""
                    if result.errors
                    else pending.store(
                        request.session, KIND, filename, content, reason, result.versions
                    )
                )
            except ImportFileError as exc:
                form.add_error("file", str(exc))
            else:
                return _preview(request, context, result, token, filename, reason)
    return render(request, "milestones/admin_node_import.html", {**context, "form": form})


def _preview(request, context, result, token: str, filename: str, reason: str):
    return render(
        request,
        "milestones/admin_node_preview.html",
        {
            **context,
            "result": result,
            "rows": result.rows[:PREVIEW_ROWS],
            "more": max(0, len(result.rows) - PREVIEW_ROWS),
            "token": token,
            "filename": filename,
            "reason": reason,
        },
    )


def _confirm(request, context):
    token = request.POST["token"]
    taken = pending.take(request.session, KIND, token)
    if taken is None:
        messages.error(request, _("That upload has expired or was already imported; upload again."))
        return redirect("node_import")
    # The reason is the one shown in the preview, kept server-side with the file, and the
    # versions the preview showed: a node saved since is refused, not overwritten.
    filename, content, reason, versions = taken
    try:
        result = import_nodes(
            actor=request.user,
            content=content,
            filename=filename,
            reason=reason,
            pinned=versions,
        )
    except ImportFileError as exc:  # pragma: no cover - the preview read the same bytes
        pending.forget(request.session, token)
        messages.error(request, str(exc))
        return redirect("node_import")
    pending.forget(request.session, token)
    if result.errors:
        # Something changed since the preview (a project moved unit, say): nothing was saved.
        return _preview(request, context, result, "", filename, reason)
    messages.success(
        request,
        _("Imported %(filename)s: %(new)s new nodes, %(changed)s changed.")
        % {"filename": filename, "new": result.new, "changed": result.changed},
    )
    return redirect(context["changelist_url"])
