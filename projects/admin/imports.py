"""Admin screens for importing ledgers and progress: upload -> preview -> confirm.

The views sit beside the model admins (wired in tracker/urls.py under
/admin/imports/) so that the model admins stay untouched; the changelists
link here through their templates. Parsing, checking and writing all happen
in ``projects.imports``; these views only move the file and show the plan.

Between preview and confirm the uploaded file waits in ``projects.imports.pending``
under a random name known only to the uploader's session, and the confirm step
checks it all again, so what is written is never older than what was shown.
"""

from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ..exports.responses import download
from ..imports import CHANGED, NEW, ImportFileError, pending, run_import
from ..imports.ledger_files import XLSX_CONTENT_TYPE, ledger_xlsx, template_xlsx
from ..imports.xlsx_guard import megabytes
from ..models import Project

# Long files are summarised in the preview; the counts and every error are always shown.
PREVIEW_ROWS = 300

KINDS = {
    "ledger": {
        "title": gettext_lazy("Import project ledger"),
        "perms": ("projects.add_project", "projects.change_project"),
        "changelist": "admin:projects_project_changelist",
        "template_name": "ledger-template.xlsx",
    },
    "progress": {
        "title": gettext_lazy("Import monthly progress"),
        "perms": ("projects.add_monthlyprogress", "projects.change_monthlyprogress"),
        "changelist": "admin:projects_monthlyprogress_changelist",
        "template_name": "progress-template.xlsx",
    },
}


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("CSV (UTF-8 or GBK) or Excel .xlsx, with the template's headers."),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason for changing locked months"),
        required=False,
        max_length=80,
        help_text=gettext_lazy(
            "Only needed when the file changes a locked month; kept in the change history."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Refused from its size alone, before a byte of it is read into memory.
        if upload.size > settings.IMPORT_MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB; split it and import the parts.")
                % {"size": megabytes(settings.IMPORT_MAX_FILE_BYTES)}
            )
        return upload


def _kind_or_404(kind: str) -> dict:
    if kind not in KINDS:
        raise Http404(_("There is no import of that kind."))
    return KINDS[kind]


def _check_perms(request, config: dict) -> None:
    if not any(request.user.has_perm(perm) for perm in config["perms"]):
        raise PermissionDenied


def import_view(request, kind: str):
    config = _kind_or_404(kind)
    _check_perms(request, config)
    context = {
        **admin.site.each_context(request),
        "title": config["title"],
        "kind": kind,
        "changelist_url": reverse(config["changelist"]),
        "template_url": reverse("imports:template", args=[kind]),
    }
    if request.method == "POST" and "token" in request.POST:
        return _confirm(request, kind, config, context)
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data["file"]
        filename = Path(upload.name).name
        content = upload.read()
        reason = form.cleaned_data["reason"]
        try:
            result = run_import(
                kind, content, filename=filename, actor=request.user, dry_run=True, reason=reason
            )
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            try:
                token = (
                    pending.store(request.session, kind, filename, content, reason, result.versions)
                    if not result.errors
                    else ""
                )
            except ImportFileError as exc:
                form.add_error("file", str(exc))
                return render(
                    request, "admin/projects/import_upload.html", {**context, "form": form}
                )
            return render(
                request,
                "admin/projects/import_preview.html",
                {**context, **_preview_context(result), "token": token},
            )
    return render(request, "admin/projects/import_upload.html", {**context, "form": form})


def _confirm(request, kind: str, config: dict, context: dict):
    token = request.POST["token"]
    taken = pending.take(request.session, kind, token)
    if taken is None:
        messages.error(request, _("That upload has expired or was already imported; upload again."))
        return redirect("imports:import", kind=kind)
    # The reason is the one shown in the preview, kept server-side with the file.
    filename, content, reason, versions = taken
    acknowledged = {int(v) for v in request.POST.getlist("ack") if v.isascii() and v.isdigit()}
    try:
        result = run_import(
            kind,
            content,
            filename=filename,
            actor=request.user,
            reason=reason,
            pinned=versions,
            acknowledged_rows=acknowledged,
        )
    except ImportFileError as exc:  # pragma: no cover - the preview read the same bytes
        pending.forget(request.session, token)
        messages.error(request, str(exc))
        return redirect("imports:import", kind=kind)
    pending.forget(request.session, token)
    if result.unacknowledged and not result.errors:
        # Nothing written: the same file waits again with the rows still to tick.
        messages.error(
            request,
            _(
                "Nothing was imported yet: %(count)s rows look unusual. Check each one and "
                "tick it to import it as it is."
            )
            % {"count": len(result.unacknowledged)},
        )
        try:
            token = pending.store(request.session, kind, filename, content, reason, result.versions)
        except ImportFileError as exc:
            messages.error(request, str(exc))
            return redirect("imports:import", kind=kind)
        return render(
            request,
            "admin/projects/import_preview.html",
            {**context, **_preview_context(result), "token": token},
        )
    if result.errors:
        # Something changed since the preview (a month was locked, say): show why, write nothing.
        return render(
            request,
            "admin/projects/import_preview.html",
            {**context, **_preview_context(result), "token": ""},
        )
    counts = result.counts
    messages.success(
        request,
        _("Imported %(filename)s: %(new)s new, %(changed)s changed, %(unchanged)s unchanged.")
        % {"filename": filename, **counts},
    )
    if result.plan.example_rows:
        messages.info(
            request,
            ngettext(
                "Skipped %(count)s example row (项目编号 starting with 示例).",
                "Skipped %(count)s example rows (项目编号 starting with 示例).",
                len(result.plan.example_rows),
            )
            % {"count": len(result.plan.example_rows)},
        )
    return redirect(config["changelist"])


def _preview_context(result) -> dict:
    plan = result.plan
    new_rows = plan.with_status(NEW)
    changed_rows = plan.with_status(CHANGED)
    return {
        "result": result,
        "plan": plan,
        "counts": result.counts,
        "errors": result.errors,
        "flagged": result.flagged,
        "new_lookups": plan.new_lookups,
        "new_rows": new_rows[:PREVIEW_ROWS],
        "new_more": max(0, len(new_rows) - PREVIEW_ROWS),
        "changed_rows": changed_rows[:PREVIEW_ROWS],
        "changed_more": max(0, len(changed_rows) - PREVIEW_ROWS),
    }


def template_view(request, kind: str):
    config = _kind_or_404(kind)
    _check_perms(request, config)
    return download(
        template_xlsx(kind), content_type=XLSX_CONTENT_TYPE, filename=config["template_name"]
    )


def export_ledger_view(request):
    if not request.user.has_perm("projects.view_project"):
        raise PermissionDenied
    projects = Project.objects.restrict(request.user, "change")
    programme = request.GET.get("programme", "")
    if programme.isdigit():
        projects = projects.filter(programme_id=int(programme))
    return download(ledger_xlsx(projects), content_type=XLSX_CONTENT_TYPE, filename="ledger.xlsx")


app_name = "imports"
urlpatterns = [
    path("export/ledger/", admin.site.admin_view(export_ledger_view), name="export-ledger"),
    path("<slug:kind>/", admin.site.admin_view(import_view), name="import"),
    path("<slug:kind>/template/", admin.site.admin_view(template_view), name="template"),
]
