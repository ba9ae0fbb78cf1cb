"""The project page's photo gallery and the entry grid's camera: one line each in a template."""

from django import template

from projects.permissions import can, editable_unit_ids

from ..selectors import latest_photos, month_photos

register = template.Library()
LATEST = 12


@register.inclusion_tag("attachments/_project_panel.html", takes_context=True)
def project_photos(context, project):
    """The latest photos; the caller has already checked the user may see the project."""
    return {
        "project": project,
        "photos": latest_photos(project, LATEST),
        "editable": can(context["request"].user, "change", project),
    }


def _entry_state(context) -> dict:
    """What every row of the entry grid needs, read once per page whatever the number of rows."""
    request = context["request"]
    state = getattr(request, "_entry_photos", None)
    if state is None:
        grid = context["grid"]
        state = {
            "photos": month_photos([r.project.pk for r in grid.rows], grid.year, grid.month),
            "editable": editable_unit_ids(request.user),
            "open": not grid.locked,
        }
        request._entry_photos = state
    return state


def _may_add(state, project) -> bool:
    editable = state["editable"]
    return state["open"] and (editable is None or project.unit_id in editable)


@register.inclusion_tag("attachments/_entry_photos.html", takes_context=True)
def entry_photos(context, row):
    """A row's photos of the month and its camera button; the form itself is outside the grid."""
    state = _entry_state(context)
    project = row.project
    return {
        "project": project,
        "summary": state["photos"].get(project.pk),
        "can_add": _may_add(state, project),
        "year": context["grid"].year,
        "month": context["grid"].month,
    }


@register.inclusion_tag("attachments/_entry_photo_forms.html", takes_context=True)
def entry_photo_forms(context):
    """One small upload form per row, after the grid's form (forms cannot nest)."""
    state = _entry_state(context)
    grid = context["grid"]
    unit = context.get("unit")
    return {
        "projects": [r.project for r in grid.rows if _may_add(state, r.project)],
        "year": grid.year,
        "month": grid.month,
        "unit": unit,
        "cumulative": context.get("cumulative"),
        "csrf_token": context.get("csrf_token"),
    }
