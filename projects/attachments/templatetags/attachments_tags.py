"""The project page's dated photo gallery, included by one line in the ledger's template."""

from django import template

from projects.coordination.scope import can_edit

from ..models import Photo

register = template.Library()
LATEST = 12


@register.inclusion_tag("attachments/_project_panel.html", takes_context=True)
def project_photos(context, project):
    """The latest photos; the caller has already checked the user may see the project."""
    photos = list(Photo.objects.filter(project=project).select_related("milestone")[:LATEST])
    return {
        "project": project,
        "photos": photos,
        "editable": can_edit(context["request"].user, project),
    }
