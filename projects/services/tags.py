"""Writes for special-campaign tags (专项): which projects a campaign groups."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import CampaignCount, Project, Tag
from .checks import (
    can_manage_all_units,
    ensure_months_unlocked,
    save_versioned,
)
from .period_guard import hold_months


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
def set_project_tags(*, actor, project: Project, names: Iterable[str]) -> list[Tag]:
    """Make a project's campaigns exactly ``names`` (the ledger's 标签 column).

    Tags not yet known are created; a project whose campaigns already match is left alone,
    so a unit's own re-import of its ledger is not refused for an unchanged 标签 cell.
    """
    wanted = sorted({name.strip() for name in names if name.strip()})
    current = sorted(project.tags.values_list("name", flat=True))
    if wanted == current:
        return list(project.tags.all())
    ensure_can_manage_tags(actor)
    tags = []
    for name in wanted:
        tag = Tag.objects.filter(name=name).first() or Tag(name=name)
        if tag.pk is None:
            tag.full_clean()
            tag.save()
        tags.append(tag)
    project.tags.set(tags)
    return tags


@transaction.atomic
def delete_tag(*, actor, tag: Tag) -> None:
    ensure_can_manage_tags(actor)
    tag.delete()


def record_campaign_counts(
    *,
    actor,
    tag: Tag,
    year: int,
    month: int,
    counts: dict[str, int],
    expected_version: int | None = None,
    reason: str = "",
) -> CampaignCount:
    """Store a campaign's counts by stage at a month's end: managers, the month's lock, a version.

    The counts are dated by their month, so that month's lock (reported upward) applies
    through the ledger's one lock rule, as it does to figures, indicators and nodes.
    """
    ensure_can_manage_tags(actor)
    with transaction.atomic():
        row = CampaignCount.objects.select_for_update().filter(
            tag=tag, year=year, month=month
        ).first() or CampaignCount(tag=tag, year=year, month=month)
        for stage, value in counts.items():
            setattr(row, stage, value)
        row.entered_by = actor
        row.full_clean()
        hold_months([(year, month)])
        ensure_months_unlocked(actor, [(year, month)], reason)
        save_versioned(row, actor, reason, expected_version)
    return row
