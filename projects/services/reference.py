"""Reference lists: programmes, units, streets and categories named in imported ledgers;
the leaders in charge (包联领导) and the 专班 groups of tags, kept by managers."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from ..geo import read_outlines
from ..models import Leader, Street, TagGroup
from .checks import can_manage_all_units, set_history


@transaction.atomic
def create_named_entry(*, actor, model, name: str, year: int | None = None, reason: str = ""):
    """Managers only: add a programme, unit, street or category named in an imported ledger.

    The code is the name itself when it fits and is free, so the admin lists
    read naturally; otherwise a numbered code is chosen.
    """
    if not can_manage_all_units(actor):
        raise PermissionDenied(
            _("Only managers can add “%(name)s” as a new %(kind)s.")
            % {"name": name, "kind": model._meta.verbose_name}
        )
    max_length = model._meta.get_field("code").max_length
    code = name[:max_length]
    number = model.objects.count() + 1
    while model.objects.filter(code=code).exists():
        code = f"{name[: max_length - 6]}-{number:05d}"
        number += 1
    entry = model(code=code, name=name)
    if year is not None and hasattr(entry, "year"):
        entry.year = year
    entry.full_clean()
    set_history(entry, actor, reason)
    entry.save()
    return entry


@transaction.atomic
def load_street_boundaries(*, actor, text: str, reason: str = "") -> tuple[list, list]:
    """Managers only: store each street's outline from a GeoJSON file's text.

    A feature is matched to a street by its ``code`` property, else its ``name``. Returns
    (streets updated, names in the file that match no street); an unusable file changes
    nothing (``geo.GeoJSONError``).
    """
    if not can_manage_all_units(actor):
        raise PermissionDenied(_("Only managers can load street boundaries."))
    outlines = read_outlines(text)
    streets = {s.code: s for s in Street.objects.all()}
    by_name = {s.name: s for s in streets.values()}
    updated, unknown = [], []
    for outline in outlines:
        street = streets.get(outline.code) or by_name.get(outline.name)
        if street is None:
            unknown.append(outline.name or outline.code)
            continue
        street.boundary = outline.geometry
        set_history(street, actor, reason)
        street.save(update_fields=["boundary"])
        updated.append(street)
    return updated, unknown


def _ensure_manager(actor, message) -> None:
    # Leaders and task-force groups span units: only those who manage every unit keep them.
    if not can_manage_all_units(actor):
        raise PermissionDenied(message)


@transaction.atomic
def save_leader(*, actor, leader: Leader, reason: str = "") -> Leader:
    """Managers only: add or correct a leader in charge (包联领导); the code defaults to the
    name, as a named entry added from a file gets it."""
    _ensure_manager(actor, _("Only managers can change the leaders in charge."))
    if not leader.code:
        leader.code = leader.name[: Leader._meta.get_field("code").max_length]
    leader.full_clean()
    set_history(leader, actor, reason)
    leader.save()
    return leader


@transaction.atomic
def delete_leader(*, actor, leader: Leader, reason: str = "") -> None:
    """Managers only; a leader still on a project is kept (PROTECT): mark them not in post."""
    _ensure_manager(actor, _("Only managers can change the leaders in charge."))
    set_history(leader, actor, reason)
    leader.delete()


@transaction.atomic
def save_tag_group(*, actor, group: TagGroup, reason: str = "") -> TagGroup:
    """Managers only: add or rename a 专班 group (产业链专班, 攻势)."""
    _ensure_manager(actor, _("Only managers can change special campaigns."))
    group.full_clean()
    set_history(group, actor, reason)
    group.save()
    return group


@transaction.atomic
def delete_tag_group(*, actor, group: TagGroup) -> None:
    """Managers only; its tags stay, as campaigns without a group."""
    _ensure_manager(actor, _("Only managers can change special campaigns."))
    group.delete()
