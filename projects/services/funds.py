"""Recording funds in place (到位资金): the one write, whoever enters it."""

from decimal import Decimal

from django.db import transaction

from ..models import FundsInPlace, Project
from .checks import (
    ensure_can_edit,
    ensure_month_writable,
    save_versioned,
)


def record_funds(
    *,
    actor,
    project: Project,
    year: int,
    month: int,
    source: str,
    amount: Decimal,
    expected_version: int | None = None,
    reason: str = "",
) -> FundsInPlace:
    """Store one month's arrivals from one source for a project.

    The month rules are the ledger's own (``ensure_month_writable``): a locked month only
    by a manager with a reason, a unit's submitted or approved month not by its staff.
    """
    ensure_can_edit(actor, project)
    with transaction.atomic():
        row = FundsInPlace.objects.select_for_update().filter(
            project=project, year=year, month=month, source=source
        ).first() or FundsInPlace(project=project, year=year, month=month, source=source)
        row.amount, row.updated_by = amount, actor
        row.full_clean()
        ensure_month_writable(actor, project, year, month, reason)
        save_versioned(row, actor, reason, expected_version)
    return row
