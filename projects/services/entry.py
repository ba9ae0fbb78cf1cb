"""The entry grid's rules: year-to-date figures turned into months, and submitting a month.

Whether figures are plausible (hard limits, and warnings that need a tick) is
``services.plausibility``, which every door shares through ``record_progress``.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Project, ReportSettings
from ..periods import month_end
from .cycle import submit_month


def month_from_cumulative(
    *, cumulative: Decimal, before: Decimal, label: str, last_month: int
) -> Decimal:
    """按累计填报: the month's amount is the year to date less the total to last month."""
    amount = cumulative - before
    if amount < 0:
        raise ValidationError(
            _(
                "The year-to-date %(label)s %(cumulative)s 万元 is less than the %(before)s 万元 "
                "already reported through month %(last)s, which would make this month negative. "
                "Check the year-to-date figure, or switch to entering this month's amount."
            )
            % {"label": label, "cumulative": cumulative, "before": before, "last": last_month},
            code="cumulative_below_reported",
        )
    return amount


def missing_projects(*, unit, year: int, month: int) -> list[Project]:
    """The unit's projects on the month's list with no entry for it."""
    return list(
        Project.objects.on_list(at=month_end(year, month))
        .filter(unit=unit)
        .exclude(progress__year=year, progress__month=month)
        .order_by("code")
    )


@transaction.atomic
def submit_month_checked(*, actor, unit, year: int, month: int, missing_confirmed: bool):
    """提交 with the list in view: projects without an entry are confirmed, or refused.

    Whether a unit may hand in a month with projects missing is the district's
    choice (``ReportSettings.submit_with_missing``); either way nobody submits
    an incomplete month without having been told which projects are missing.
    """
    missing = missing_projects(unit=unit, year=year, month=month)
    if missing:
        names = "、".join(f"{p.code} {p.name}" for p in missing[:20])
        if not ReportSettings.current().submit_with_missing:
            raise ValidationError(
                _(
                    "%(count)s projects have no entry for the month (%(names)s); "
                    "enter them before submitting."
                )
                % {"count": len(missing), "names": names},
                code="missing_refused",
            )
        if not missing_confirmed:
            raise ValidationError(
                _(
                    "%(count)s projects have no entry for the month (%(names)s); "
                    "confirm that the month is to be submitted without them."
                )
                % {"count": len(missing), "names": names},
                code="missing_unconfirmed",
            )
    return submit_month(actor=actor, unit=unit, year=year, month=month)
