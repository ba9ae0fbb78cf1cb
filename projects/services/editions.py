"""Publishing a locked period: its outputs stored as they stood, numbered edition by edition.

Locking a month publishes edition 1 of January to that month; locking the last of a
quarter's months publishes edition 1 of the quarter (``publish_locked_periods``,
called by the lock service in the same transaction). A later correction does not
move an edition; a manager publishes the next one with a reason
(``publish_edition``). Editions are never changed or deleted: each records what
was sent.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import PeriodLock, Programme, PublishedEdition, period_key
from ..periods import Period, quarter_of_month
from ..permissions import LOCK_PERIODS, WHOLE_DISTRICT
from ..selectors.briefing import build_briefing
from ..selectors.editions import EDITION_PARAMETER, LIVE
from ..selectors.snapshot import encode
from .light_history import record_lights

REASON_MAX_LENGTH = 200


def _snapshot(programme: Programme, period: Period) -> dict:
    """The period's briefing and report on the live rows, for the whole list, as JSON."""
    briefing = build_briefing(
        user=WHOLE_DISTRICT,
        programme=programme,
        year=period.year,
        quarter=None if period.is_month else period.quarter,
        month=period.month,
        filters={EDITION_PARAMETER: LIVE},
        issued_on=timezone.localdate(),
    )
    return encode(briefing)


def _write(actor, programme: Programme, period: Period, number: int, reason: str):
    return PublishedEdition.objects.create(
        programme=programme,
        year=period.year,
        period=period_key(period),
        number=number,
        published_by=actor,
        reason=reason,
        content=_snapshot(programme, period),
    )


@transaction.atomic
def publish_edition(
    *, actor, programme: Programme, period: Period, reason: str
) -> PublishedEdition:
    """The next edition of a locked period, with the reason it is published again."""
    if actor is None or not actor.has_perm(LOCK_PERIODS):
        raise PermissionDenied(_("Only managers publish a period's figures."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            _("Say why a new edition is published: the earlier one was sent upward."),
            code="no_reason",
        )
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            _("Keep the reason to %(limit)s characters or fewer.") % {"limit": REASON_MAX_LENGTH},
            code="reason_too_long",
        )
    locked = PeriodLock.objects.locked_months([period.year])
    if any((period.year, m) not in locked for m in period.alone_months):
        raise ValidationError(
            _("Lock %(period)s before publishing it: an edition is of a closed period.")
            % {"period": period.label_zh},
            code="not_locked",
        )
    # The list's row serialises publishers of the same list, so numbers never clash.
    Programme.objects.select_for_update().filter(pk=programme.pk).first()
    last = PublishedEdition.objects.filter(
        programme=programme, period=period_key(period)
    ).aggregate(n=Max("number"))["n"]
    if last is None:
        raise ValidationError(
            _("%(period)s has no first edition: it is published when it is locked.")
            % {"period": period.label_zh},
            code="no_first_edition",
        )
    if period.is_month:
        # The month's lights go upward with its edition: the records follow the new one.
        record_lights(
            actor=actor,
            year=period.year,
            months=[period.month],
            programme=programme,
            edition=last + 1,
            rewrite=True,
        )
    return _write(actor, programme, period, last + 1, reason)


def periods_closed_by(year: int, months: Iterable[int], locked: set[tuple[int, int]]):
    """The periods the newly locked ``months`` close: January to each month, and each quarter
    whose three months are now all locked."""
    periods = []
    for month in sorted(set(months)):
        periods.append(Period.through_month(year, month))
        quarter = quarter_of_month(month)
        quarter_months = range(quarter * 3 - 2, quarter * 3 + 1)
        if all((year, m) in locked for m in quarter_months) and month == max(
            m for m in quarter_months if m in set(months)
        ):
            periods.append(Period(year, quarter))
    return periods


def publish_locked_periods(*, actor, year: int, months: Iterable[int]) -> list[PublishedEdition]:
    """Edition 1 of every period the lock of ``months`` closes, for each list of the year.

    A period already published keeps its editions (a month unlocked and locked again
    publishes nothing new: the manager decides whether the change deserves edition 2).
    """
    months = list(months)
    locked = PeriodLock.objects.locked_months([year])
    published = []
    for programme in Programme.objects.filter(year=year).order_by("code"):
        existing = set(
            PublishedEdition.objects.filter(programme=programme).values_list("period", flat=True)
        )
        for period in periods_closed_by(year, months, locked):
            if period_key(period) not in existing:
                published.append(_write(actor, programme, period, 1, ""))
    return published
