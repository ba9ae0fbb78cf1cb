"""Reference lists named in imported ledgers: programmes, units, streets and categories."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

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
