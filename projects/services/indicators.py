"""Entering a district indicator's figure (区级指标): the one write, whoever enters it."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from .. import permissions
from ..models import Indicator, IndicatorValue
from .checks import (
    ensure_months_unlocked,
    require_actor,
    save_versioned,
)
from .period_guard import hold_months


def ensure_can_enter(actor, indicator: Indicator) -> None:
    """The access policy's ``change`` reach over the owning unit: its staff and managers."""
    require_actor(actor)
    if not permissions.reaches_unit(actor, "change", indicator.unit_id):
        raise PermissionDenied(
            _("%(indicator)s is entered by %(unit)s; you can only enter your own unit's figures.")
            % {"indicator": indicator.name, "unit": indicator.unit}
        )


def record_indicator_value(
    *,
    actor,
    indicator: Indicator,
    year: int,
    period: int,
    value: Decimal,
    target: Decimal | None = None,
    expected_version: int | None = None,
    reason: str = "",
) -> IndicatorValue:
    """Store an indicator's figure for one period: who may, the lock, the values, the version.

    The figure stands at its period's last month, so that month's lock (reported upward)
    applies as it does to every dated thing.
    """
    ensure_can_enter(actor, indicator)
    with transaction.atomic():
        row = IndicatorValue.objects.select_for_update().filter(
            indicator=indicator, year=year, period=period
        ).first() or IndicatorValue(indicator=indicator, year=year, period=period)
        row.value, row.target, row.entered_by = value, target, actor
        row.full_clean()
        month = (year, row.last_month)
        hold_months([month])
        ensure_months_unlocked(actor, [month], reason)
        save_versioned(row, actor, reason, expected_version)
    return row
