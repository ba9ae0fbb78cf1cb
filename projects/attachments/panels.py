"""Site photos on the ledger's pages (see ``projects.web.panels``)."""

from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from projects.permissions import can, editable_unit_ids
from projects.selectors.thresholds import dispatch_for
from projects.web.drawn_widgets import escaped
from projects.web.panels import register

from .library_selectors import library_state
from .selectors import latest_photos, latest_site_photos, month_photos

LATEST = 12


@register("project", name="photos", order=30, slots={"panels": "attachments/_project_panel.html"})
def project_photos(request, *, project):
    """The latest photos; the view fetched the project through the policy."""
    return {
        "project": project,
        "photos": latest_photos(project, LATEST),
        "editable": can(request.user, "change", project),
    }


def draw_entry_photos(data: dict, *, row, grid) -> str:
    """A row of the entry grid: the month's photos and the camera. The upload form is outside
    the grid's form (the ``after_form`` slot): forms cannot nest."""
    project, labels = row.project, data["labels"]
    gallery = escaped(reverse("photo_gallery", kwargs={"code": project.code}))
    name = escaped(project.name)
    summary = data["summaries"].get(project.pk)
    if summary:
        thumb = escaped(reverse("photo_thumb", kwargs={"token": summary.latest_token}))
        alt = escaped(summary.latest_caption) if summary.latest_caption else name
        latest = (
            f'<a class="entry-photo-latest" href="{gallery}"><img src="{thumb}" alt="{alt}" '
            'width="48" height="36" loading="lazy"></a>'
        )
        count = escaped(_("photos this month: %(count)s") % {"count": summary.count})
    else:
        latest = (
            f'<a class="entry-photo-latest" hidden href="{gallery}"><img alt="{name}" '
            'width="48" height="36"></a>'
        )
        count = labels["none"]
    camera = ""
    if project.pk in data["can_add"]:
        form = f"photo-{project.pk}"
        camera = (
            f'\n  <label class="entry-photo-pick">{labels["pick"]}<input type="file" name="image" '
            f'accept="image/*" capture="environment" form="{form}"></label>\n'
            f'  <button type="submit" class="entry-photo-send" form="{form}">{labels["upload"]}'
            "</button>\n"
            '  <span class="entry-photo-status" role="status" aria-live="polite"></span>'
        )
    return (
        f'<div class="entry-photos" data-msg-count="{labels["count"]}">\n  {latest}\n'
        f'  <span class="entry-photo-count muted">{count}</span>{camera}\n</div>'
    )


# The upload forms' words, marked where ``make messages`` reads them (not inside an
# f-string), translated when drawn.
UPLOADING = gettext_noop("Uploading…")
UPLOAD_FAILED = gettext_noop("The photo was not uploaded; try again.")


def draw_photo_forms(data: dict, *, csrf_token: str, cumulative: bool) -> str:
    """After the grid's form: one small upload form a row that may add a photo (forms
    cannot nest; the rows' buttons point at them by id), and their script. Drawn, not a
    template loop (some 40 µs a row through the engine); ids, years and months are
    written as stored, the words as ``{% translate %}`` writes a literal's translation."""
    projects, unit = data["projects"], data["unit"]
    opening = (
        'class="entry-photo-form" method="post" enctype="multipart/form-data" '
        f'action="{escaped(reverse("photo_entry_upload"))}"\n'
        f'  data-msg-sending="{_(UPLOADING)}" data-msg-failed="{_(UPLOAD_FAILED)}">\n'
        f'  <input type="hidden" name="csrfmiddlewaretoken" value="{escaped(csrf_token)}">\n'
    )
    period = (
        f'<input type="hidden" name="year" value="{data["year"]}">'
        f'<input type="hidden" name="month" value="{data["month"]}">\n  '
        + (f'<input type="hidden" name="unit" value="{unit.pk}">' if unit else "")
        + ('<input type="hidden" name="cumulative" value="1">' if cumulative else "")
        + "\n</form>"
    )
    forms = "".join(
        f'<form id="photo-{project.pk}" {opening}'
        f'  <input type="hidden" name="project" value="{escaped(project.code)}">{period}'
        for project in projects
    )
    script = (
        f'<script src="{escaped(static("attachments/entry_photos.js"))}" defer></script>'
        if projects
        else ""
    )
    return f"\n\n{forms}\n{script}\n"


@register(
    "entry",
    name="photos",
    order=30,
    slots={
        "row_photos": draw_entry_photos,
        "after_form": draw_photo_forms,
    },
)
def entry_photos(request, *, grid, unit):
    """Each row's photos of the month and whether it may add one, read once for the page.

    The rows' camera buttons read ``summaries`` and ``can_add``; the slot after the grid's form
    holds one small upload form per row that may add (forms cannot nest).
    """
    editable = editable_unit_ids(request.user)
    can_add = {
        row.project.pk
        for row in grid.rows
        if not grid.locked and (editable is None or row.project.unit_id in editable)
    }
    return {
        # A row's fixed words, translated (and escaped) once for the page, not once a row.
        "labels": {
            "count": escaped(_("photos this month: {count}")),
            "none": escaped(_("no photo this month")),
            "pick": escaped(_("Take or add a site photo")),
            "upload": escaped(_("Upload photo")),
        },
        "summaries": month_photos([r.project for r in grid.rows], grid.year, grid.month),
        "can_add": can_add,
        "projects": [r.project for r in grid.rows if r.project.pk in can_add],
        "year": grid.year,
        "month": grid.month,
        "unit": unit,
    }


@register(
    "dashboard", name="photos", order=30, slots={"photos": "attachments/_dashboard_photos.html"}
)
def dashboard_photos(request, *, programme, limit):
    """The list's latest site photos, only those whose project the reader may open."""
    return {"photos": latest_site_photos(request.user, programme, limit)}


@register("project", name="library", order=25, slots={"panels": "attachments/_library_panel.html"})
def project_library(request, *, project):
    """已入库 / 待入库 with the checklist / 不需入库, today; the view fetched the project."""
    return {
        "project": project,
        "state": library_state(project, timezone.localdate(), dispatch_for(project.programme_id)),
        "editable": can(request.user, "change", project),
    }
