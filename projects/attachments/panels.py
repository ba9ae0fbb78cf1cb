"""Site photos on the ledger's pages (see ``projects.web.panels``)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from projects.permissions import can, editable_unit_ids
from projects.selectors.thresholds import dispatch_for
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


@register(
    "entry",
    name="photos",
    order=30,
    slots={
        "row_photos": "attachments/_entry_photos.html",
        "after_form": "attachments/_entry_photo_forms.html",
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
        # A row's fixed words, translated once for the page rather than once a row.
        "labels": {
            "count": _("photos this month: {count}"),
            "none": _("no photo this month"),
            "pick": _("Take or add a site photo"),
            "upload": _("Upload photo"),
        },
        "summaries": month_photos([r.project.pk for r in grid.rows], grid.year, grid.month),
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
