"""Whether a month's figures are plausible: the one rule every door that writes them obeys.

Two kinds of finding, both about the investment (完成投资) and inclusion (纳统) of one
project's month, read against the project's total investment (总投资) and its other months:

* **hard limits** refuse the row, whoever asks: a negative amount, a month's investment
  or inclusion above the total, or the project's cumulative investment over all years
  above the total (a project that truly overruns has its total raised by a manager first);
* **warnings** are figures that are allowed but usually typing mistakes: more than a
  share of the total in one month, many times the project's average month, a jump or
  fall against last month, year-to-date inclusion above investment, and 雷同 rows (the
  same figures as last month, or as another project of the unit that month). They are
  saved only once someone acknowledges them (已核实); the row keeps who, when and which.

``review`` reads everything a batch of rows is checked against in three queries, with
the batch's own rows in place of the stored ones, so a file with January to March of a
project checks March against the file's February. The grid, the admin forms, the imports
and the commands all reach it through ``record_progress`` / ``record_progress_batch``
(and call it directly only to show the findings before saving). A row whose figures
are unchanged is not reviewed again: editing its text never asks for a new tick.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import MonthlyProgress, ReportSettings
from ..money import ZERO, as_money
from ..periods import month_text, previous_month
from ..selectors import placed

# The hard limits' codes: a row with one of these is refused, acknowledged or not.
NEGATIVE = "negative"
MONTH_ABOVE_TOTAL = "month_above_total"
INCLUSION_ABOVE_TOTAL = "inclusion_above_total"
CUMULATIVE_ABOVE_TOTAL = "cumulative_above_total"
HARD_LIMITS = frozenset(
    {NEGATIVE, MONTH_ABOVE_TOTAL, INCLUSION_ABOVE_TOTAL, CUMULATIVE_ABOVE_TOTAL}
)
# The refusal of a row whose warnings nobody acknowledged.
UNACKNOWLEDGED = "unacknowledged"

# Short names of the warnings, for the confirmation pages and the history.
WARNING_LABELS = {
    "share_of_total": gettext_lazy("large share of total investment"),
    "times_average": gettext_lazy("many times the average month"),
    "jump": gettext_lazy("jump from last month"),
    "fall": gettext_lazy("fall from last month"),
    "inclusion_above_investment": gettext_lazy("inclusion above investment year to date"),
    "same_as_last_month": gettext_lazy("same as last month (雷同)"),
    "same_as_other_project": gettext_lazy("same as another project (雷同)"),
}


@dataclass(frozen=True)
class Finding:
    """One broken limit or one warning; ``code`` names the check for tests and styling."""

    code: str
    message: str


@dataclass(frozen=True)
class Review:
    """What one row of a batch trips: ``refusals`` (hard limits) and ``warnings``."""

    label: str
    refusals: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    # The stored figures again (a text-only edit): they were reviewed when entered.
    unchanged: bool = False

    @property
    def codes(self) -> list[str]:
        return [w.code for w in self.warnings]


class NeedsAcknowledgement(ValidationError):
    """A row whose warnings nobody acknowledged; ``warnings`` says which, for the screens."""

    def __init__(self, review: Review):
        self.review = review
        self.warnings = review.warnings
        super().__init__(
            _(
                "%(row)s looks unusual: %(warnings)s Check the figures and confirm them "
                "(已核实) to save them as they are."
            )
            % {"row": review.label, "warnings": " ".join(w.message for w in review.warnings)},
            code=UNACKNOWLEDGED,
        )


def row_label(project, year: int, month: int) -> str:
    return f"{project.code} {month_text(year, month)}"


def warning_names(codes: str) -> str:
    """The stored codes (``acknowledged_warnings``) as the short names people read."""
    return "、".join(str(WARNING_LABELS.get(code, code)) for code in codes.split(",") if code)


@dataclass
class _Context:
    """A batch's yardsticks: each project's months, and each unit's figures per month."""

    months: dict[int, dict[tuple[int, int], tuple[Decimal, Decimal]]]
    unit_rows: dict[tuple[int, int, int], dict[int, tuple[str, Decimal, Decimal]]]
    stored: dict[tuple[int, int, int], tuple[Decimal, Decimal]]


_AMOUNTS_OF = ("project_id", "year", "month", "investment", "inclusion")


def _unit_months_rows(*values):
    """Every row of the units' months ``values`` gives as (unit, year, month) in turn."""
    wanted = Q()
    for at in range(0, len(values), 3):
        unit_id, year, month = values[at : at + 3]
        wanted |= Q(project__unit_id=unit_id, year=year, month=month)
    return MonthlyProgress.objects.filter(wanted).values(
        "project__unit_id", "project__code", *_AMOUNTS_OF
    )


def _load_context(entries: Sequence) -> _Context:
    # A grid's save is one or a few rows: both reads are built once for every save of as
    # many projects and unit months (``placed``), their ids, years and months its values.
    months: dict[int, dict] = defaultdict(dict)
    stored = {}
    for row in placed.values_for(
        "plausibility: the projects' months",
        lambda *ids: MonthlyProgress.objects.filter(project_id__in=ids).values(*_AMOUNTS_OF),
        *sorted({e.project.pk for e in entries}),
    ):
        key = (row["project_id"], row["year"], row["month"])
        months[key[0]][key[1:]] = stored[key] = (row["investment"], row["inclusion"])
    unit_months = sorted({(e.project.unit_id, e.year, e.month) for e in entries})
    unit_rows: dict[tuple, dict] = defaultdict(dict)
    if unit_months:
        for row in placed.values_for(
            ("plausibility: the units' months", len(unit_months)),
            _unit_months_rows,
            *(value for unit_month in unit_months for value in unit_month),
        ):
            unit_rows[(row["project__unit_id"], row["year"], row["month"])][row["project_id"]] = (
                row["project__code"],
                row["investment"],
                row["inclusion"],
            )
    # The batch's own rows stand in for what is stored.
    for e in entries:
        months[e.project.pk][(e.year, e.month)] = (e.investment, e.inclusion)
        unit_rows[(e.project.unit_id, e.year, e.month)][e.project.pk] = (
            e.project.code,
            e.investment,
            e.inclusion,
        )
    return _Context(months=months, unit_rows=unit_rows, stored=stored)


def review(
    entries: Sequence, settings: ReportSettings | None = None, *, stored: bool = False
) -> list[Review]:
    """Each entry's findings, in order; entries have ``project``, ``year``, ``month``,
    ``investment`` and ``inclusion`` (``ProgressInput``, a grid row's values...).

    ``stored``: the entries are the stored rows themselves, read again for the
    confirmation pages, so unchanged figures are reviewed rather than passed over.
    """
    if not entries:
        return []
    settings = settings or ReportSettings.current()
    # A figure that is not an amount at all is the model validation's to refuse.
    readable = [e for e in entries if _amounts(e)]
    context = _load_context(readable)
    reviews = []
    for e in entries:
        label = row_label(e.project, e.year, e.month)
        if not _amounts(e):
            reviews.append(Review(label))
        elif not stored and context.stored.get((e.project.pk, e.year, e.month)) == (
            e.investment,
            e.inclusion,
        ):
            reviews.append(Review(label, unchanged=True))
            continue
        reviews.append(
            Review(
                label,
                refusals=_hard_limits(e, label, context),
                warnings=_warnings(e, context, settings),
            )
        )
    return reviews


def _amounts(e) -> bool:
    return isinstance(e.investment, Decimal) and isinstance(e.inclusion, Decimal)


def review_one(entry, settings: ReportSettings | None = None) -> Review:
    return review([entry], settings)[0]


def _hard_limits(e, label: str, context: _Context) -> list[Finding]:
    if e.investment < 0 or e.inclusion < 0:
        return [Finding(NEGATIVE, _("%(row)s: amounts cannot be negative.") % {"row": label})]
    total = e.project.total_investment or ZERO
    if total <= 0:
        return []  # no total recorded yet: nothing to measure against
    found = []
    if e.investment > total:
        found.append(
            Finding(
                MONTH_ABOVE_TOTAL,
                _(
                    "%(row)s: this month's completed investment %(amount)s 万元 is more than "
                    "the project's total investment %(total)s 万元, so it is not saved. If the "
                    "project really costs more, a manager raises its total investment first."
                )
                % {"row": label, "amount": e.investment, "total": total},
            )
        )
    if e.inclusion > total:
        found.append(
            Finding(
                INCLUSION_ABOVE_TOTAL,
                _(
                    "%(row)s: this month's inclusion in statistics %(amount)s 万元 is more than "
                    "the project's total investment %(total)s 万元, so it is not saved."
                )
                % {"row": label, "amount": e.inclusion, "total": total},
            )
        )
    cumulative = sum((inv for inv, _inc in context.months[e.project.pk].values()), ZERO)
    if not found and cumulative > total:
        found.append(
            Finding(
                CUMULATIVE_ABOVE_TOTAL,
                _(
                    "%(row)s: the project's completed investment over all years would come to "
                    "%(cumulative)s 万元, more than its total investment %(total)s 万元, so it "
                    "is not saved. If the project really costs more, a manager raises its total "
                    "investment first."
                )
                % {"row": label, "cumulative": as_money(cumulative), "total": total},
            )
        )
    return found


def _times(value) -> str:
    # 30.0 reads as 30; a fresh settings row still holds the plain defaults.
    return f"{Decimal(value).normalize():f}"


def _warnings(e, context: _Context, settings: ReportSettings) -> list[Finding]:
    months = context.months[e.project.pk]
    others = [fig for key, fig in months.items() if key != (e.year, e.month)]
    average = sum((inv for inv, _inc in others), ZERO) / len(others) if others else None
    last = months.get(previous_month(e.year, e.month))
    ytd = [fig for (y, m), fig in months.items() if y == e.year and m <= e.month]
    return [
        *_size_warnings(e, average, settings),
        *_change_warnings(e, last, settings),
        *_inclusion_warning(ytd),
        *_same_warnings(e, last, context),
    ]


def _size_warnings(e, average, settings) -> list[Finding]:
    found = []
    total = e.project.total_investment or ZERO
    share = settings.entry_share_of_total
    if total > 0 and e.investment * 100 > total * share:
        found.append(
            Finding(
                "share_of_total",
                _(
                    "This month's investment %(amount)s 万元 is more than %(share)s%% of the "
                    "project's total investment (%(total)s 万元)."
                )
                % {"amount": e.investment, "share": _times(share), "total": total},
            )
        )
    factor = settings.entry_times_average
    if average and average > 0 and e.investment > average * factor:
        found.append(
            Finding(
                "times_average",
                _(
                    "This month's investment %(amount)s 万元 is over %(factor)s times the "
                    "project's average month (%(average)s 万元)."
                )
                % {
                    "amount": e.investment,
                    "factor": _times(factor),
                    "average": average.quantize(Decimal("0.01")),
                },
            )
        )
    return found


def _change_warnings(e, last, settings) -> list[Finding]:
    if last is None or last[0] <= 0:
        return []
    change = settings.entry_change_factor
    values = {"amount": e.investment, "factor": _times(change), "last": last[0]}
    if e.investment > last[0] * change:
        message = _(
            "This month's investment %(amount)s 万元 is more than %(factor)s times "
            "last month's %(last)s 万元."
        )
        return [Finding("jump", message % values)]
    if e.investment * change < last[0]:
        message = _(
            "This month's investment %(amount)s 万元 is less than a %(factor)sth of "
            "last month's %(last)s 万元."
        )
        return [Finding("fall", message % values)]
    return []


def _inclusion_warning(ytd) -> list[Finding]:
    investment = sum((inv for inv, _inc in ytd), ZERO)
    inclusion = sum((inc for _inv, inc in ytd), ZERO)
    if inclusion <= investment:
        return []
    return [
        Finding(
            "inclusion_above_investment",
            _(
                "Year-to-date inclusion in statistics %(inclusion)s 万元 would exceed "
                "year-to-date completed investment %(investment)s 万元."
            )
            % {"inclusion": inclusion, "investment": investment},
        )
    ]


def _same_warnings(e, last, context: _Context) -> list[Finding]:
    # Two zero months are normal before works start; only repeated real figures look copied.
    figures = (e.investment, e.inclusion)
    if not (e.investment or e.inclusion):
        return []
    found = []
    if last == figures:
        found.append(
            Finding(
                "same_as_last_month",
                _(
                    "Both amounts are the same as last month's (雷同); "
                    "check they were not copied over."
                ),
            )
        )
    same = sorted(
        code
        for project_id, (code, investment, inclusion) in context.unit_rows[
            (e.project.unit_id, e.year, e.month)
        ].items()
        if project_id != e.project.pk and (investment, inclusion) == figures
    )
    if same:
        found.append(
            Finding(
                "same_as_other_project",
                _(
                    "Both amounts are the same as %(projects)s's for the month (雷同); "
                    "check they were not copied from another row."
                )
                % {"projects": "、".join(same[:3])},
            )
        )
    return found


def refusal(review: Review, acknowledge: bool) -> ValidationError | None:
    """Why the reviewed row may not be saved: a hard limit, or warnings nobody confirmed."""
    if review.refusals:
        return ValidationError([ValidationError(f.message, code=f.code) for f in review.refusals])
    if review.warnings and not acknowledge:
        return NeedsAcknowledgement(review)
    return None


def record_acknowledgement(entry: MonthlyProgress, review: Review, actor, now) -> None:
    """Keep who confirmed which warnings on the row; new figures that trip none clear it."""
    if review.unchanged:
        return
    if review.warnings:
        entry.acknowledged_warnings = ",".join(review.codes)[:200]
        entry.acknowledged_by = actor
        entry.acknowledged_at = now
    else:
        entry.acknowledged_warnings, entry.acknowledged_by, entry.acknowledged_at = "", None, None


def check_total(project) -> None:
    """A project's total investment never drops below what it has completed over all years.

    The same hard limit seen from the ledger's side: the admin's project form and the
    ledger import change 总投资 through ``save_project``, which asks this.
    """
    total = project.total_investment or ZERO
    if project.pk is None or total <= 0:
        return
    done = MonthlyProgress.objects.filter(project_id=project.pk).aggregate(s=Sum("investment"))["s"]
    if done is not None and done > total:
        raise ValidationError(
            {
                "total_investment": _(
                    "%(project)s has completed %(done)s 万元 over all years, more than the "
                    "total investment %(total)s 万元 given; the total cannot be lower than "
                    "what is done."
                )
                % {"project": project.code, "done": as_money(done), "total": total}
            },
            code=CUMULATIVE_ABOVE_TOTAL,
        )
