"""The entry grid's rules: year-to-date figures turned into months, and checks that need a tick.

Hard errors (negative, text, future or closed months) stay with the forms and
``record_progress``; these are figures that are allowed but often typing
mistakes, so the person entering them confirms each one before it is saved.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Project, ReportSettings
from ..periods import month_end
from .cycle import submit_month


@dataclass(frozen=True)
class EntryWarning:
    """A figure that looks wrong; ``code`` names the check for tests and styling."""

    code: str
    message: str


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


def _times(value) -> str:
    # 30.0 reads as 30; a fresh settings row still holds the plain defaults.
    return f"{Decimal(value).normalize():f}"


def entry_warnings(
    *,
    row,
    investment: Decimal,
    inclusion: Decimal,
    settings: ReportSettings,
) -> list[EntryWarning]:
    """The checks a row's new month trips; ``row`` is a ``selectors.entry.EntryRow``."""
    warnings = []
    total = row.project.total_investment or Decimal(0)
    share = settings.entry_share_of_total
    if total > 0 and investment * 100 > total * share:
        warnings.append(
            EntryWarning(
                "share_of_total",
                _(
                    "This month's investment %(amount)s 万元 is more than %(share)s%% of the "
                    "project's total investment (%(total)s 万元)."
                )
                % {"amount": investment, "share": _times(share), "total": total},
            )
        )
    average = row.average_investment
    factor = settings.entry_times_average
    if average and average > 0 and investment > average * factor:
        warnings.append(
            EntryWarning(
                "times_average",
                _(
                    "This month's investment %(amount)s 万元 is over %(factor)s times the "
                    "project's average month (%(average)s 万元)."
                )
                % {"amount": investment, "factor": _times(factor), "average": average},
            )
        )
    ytd_investment = row.ytd_before_investment + investment
    ytd_inclusion = row.ytd_before_inclusion + inclusion
    if ytd_inclusion > ytd_investment:
        warnings.append(
            EntryWarning(
                "inclusion_above_investment",
                _(
                    "Year-to-date inclusion in statistics %(inclusion)s 万元 would exceed "
                    "year-to-date completed investment %(investment)s 万元."
                )
                % {"inclusion": ytd_inclusion, "investment": ytd_investment},
            )
        )
    last = row.last
    change = settings.entry_change_factor
    if last is not None and last.investment > 0:
        if investment > last.investment * change:
            warnings.append(
                EntryWarning(
                    "jump",
                    _(
                        "This month's investment %(amount)s 万元 is more than %(factor)s times "
                        "last month's %(last)s 万元."
                    )
                    % {"amount": investment, "factor": _times(change), "last": last.investment},
                )
            )
        elif investment * change < last.investment:
            warnings.append(
                EntryWarning(
                    "fall",
                    _(
                        "This month's investment %(amount)s 万元 is less than a %(factor)sth of "
                        "last month's %(last)s 万元."
                    )
                    % {"amount": investment, "factor": _times(change), "last": last.investment},
                )
            )
    # Two zero months are normal before works start; only repeated real figures look copied.
    if (
        last is not None
        and (investment, inclusion) == (last.investment, last.inclusion)
        and (investment or inclusion)
    ):
        warnings.append(
            EntryWarning(
                "same_as_last_month",
                _(
                    "Both amounts are the same as last month's (雷同); "
                    "check they were not copied over."
                ),
            )
        )
    return warnings


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
