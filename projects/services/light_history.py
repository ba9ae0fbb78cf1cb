"""Keeping each locked month's lights (``LightRecord``), in the lock's own transaction.

Decision (issue #23): a month's record is written when the month is locked, beside the
month's edition 1, and a correction made after the lock does not move it — the light went
upward with that edition. Unlocking and locking again keeps the record, as it keeps the
edition. Publishing the month's next edition (1—M月, ``publish_edition``) rewrites the
month's records with that edition's lights; a quarter's edition does not (its month has an
edition series of its own). ``manage.py record_lights`` fills the months locked before
records were kept, and never overwrites one.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import LightRecord, PeriodLock, Programme
from ..periods import Period, check_month
from ..permissions import LOCK_PERIODS
from ..selectors.light_history import lights_at, reasons_json
from ..selectors.thresholds import thresholds_for
from . import versions


def _ensure_may_record(actor) -> None:
    # The records are what a lock sends upward: only whoever may lock writes them.
    if actor is None or not actor.has_perm(LOCK_PERIODS):
        raise PermissionDenied(_("Only managers keep the months' lights."))


@transaction.atomic
def record_lights(
    *,
    actor,
    year: int,
    months: Iterable[int],
    programme: Programme | None = None,
    edition: int = 1,
    rewrite: bool = False,
) -> int:
    """Keep the lights of 1—M月 for each month M, for every project on each list; returns
    how many records were written. One report query and one bulk insert per list and month.

    Existing records are kept unless ``rewrite`` (a republished edition of the month).
    """
    _ensure_may_record(actor)
    months = sorted(set(months))
    for month in months:
        check_month(month)
    programmes = [programme] if programme else list(Programme.objects.filter(year=year))
    written = 0
    for prog in programmes:
        settings, _dispatch = thresholds_for(prog)
        for month in months:
            lights = lights_at(prog, Period.through_month(year, month), settings=settings)
            kept = LightRecord.objects.filter(project__programme=prog, year=year, month=month)
            if rewrite:
                kept.delete()
                existing = set()
            else:
                existing = set(kept.values_list("project_id", flat=True))
            records = [
                LightRecord(
                    project_id=pk,
                    year=year,
                    month=month,
                    light=light,
                    reasons=reasons_json(reasons),
                    edition=edition,
                )
                for pk, (light, reasons) in lights.items()
                if pk not in existing
            ]
            LightRecord.objects.bulk_create(records, batch_size=2000)
            versions.touched(LightRecord, records)  # bulk_create sends no post_save
            written += len(records)
    return written


def record_locked_lights(*, actor, year: int, through: int = 12) -> int:
    """Backfill: keep the lights of every locked month of ``year`` up to ``through`` that has
    none yet (projects already kept are left as they are); running it again writes nothing."""
    _ensure_may_record(actor)
    check_month(through)
    months = [m for y, m in PeriodLock.objects.locked_months([year]) if y == year and m <= through]
    return record_lights(actor=actor, year=year, months=months)
