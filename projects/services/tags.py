"""Writes for special-campaign tags (专项): which projects a campaign groups."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Project, Tag
from .checks import can_manage_all_units


def ensure_can_manage_tags(actor) -> None:
    # A campaign spans units, so only those who manage every unit may shape it.
    if not can_manage_all_units(actor):
        raise PermissionDenied(_("Only managers can change special campaigns."))


@transaction.atomic
def save_tag(*, actor, tag: Tag, projects: Iterable[Project] | None = None) -> Tag:
    """Create or rename a campaign tag and, when ``projects`` is given, set its projects."""
    ensure_can_manage_tags(actor)
    tag.full_clean()
    tag.save()
    if projects is not None:
        tag.projects.set(projects)
    return tag


@transaction.atomic
def add_project_tags(*, actor, project: Project, names: Iterable[str]) -> list[Tag]:
    """Put a project into the named campaigns, creating tags that do not exist yet."""
    ensure_can_manage_tags(actor)
    tags = []
    for name in names:
        tag, _created = Tag.objects.get_or_create(name=name.strip())
        tag.projects.add(project)
        tags.append(tag)
    return tags


@transaction.atomic
def delete_tag(*, actor, tag: Tag) -> None:
    ensure_can_manage_tags(actor)
    tag.delete()
