"""The four provincial rates of a report (开工率, 投资完成率, 资金到位率, 按期竣工率) and its
纳统率 (入库 projects) with both published denominators.

Starts and investment come from the report's headline (one rule for each); funds in place,
completions and the 入库 counts are read here in one statement over the report's projects.
"""

from __future__ import annotations

from django.db.models import Count, F, Q, Sum

from ..models import FundsInPlace, Project
from ..money import as_money
from ..periods import Period
from . import compiled
from .queries import start_conditions
from .results import Headline, LibraryRates, ProvincialRates


def in_library_q(as_of) -> Q:
    """In the statistics library (已入库) by ``as_of``: its 入库 date is on or before that day."""
    return Q(statistics_entry_date__isnull=False, statistics_entry_date__lte=as_of)


def report_rates(
    scope, period: Period, headline: Headline, *, shape=None
) -> tuple[ProvincialRates, LibraryRates]:
    """The rates over ``scope`` (the report's projects) as of the period's end.

    Funds count the year's arrivals through the period's last month. A completion counts
    as on time when it happened by its planned date and by the period's end (a later
    completion is not yet known as of then); a project without a planned completion, or
    planned after the period's end, is not due.

    纳统率 counts the projects in the library by the period's end, over every project of the
    report and over the new starts begun this year by then (the headline's own start rule).
    """
    end = period.end
    due = Q(planned_completion__lte=end)
    on_time = (
        due & Q(actual_completion__lte=end) & Q(actual_completion__lte=F("planned_completion"))
    )
    started = start_conditions(period)["actual"]
    # The projects counted over the scope itself, and their funds summed apart: joined to
    # the funds rows (one a source and month), each project had to be counted DISTINCT
    # over ``pk IN (scope)``, which PostgreSQL answered by scanning every year's projects:
    # 35 ms at 20,000 projects a year, now about 10 for both statements.
    # Each statement built once per shape of the report's rows (``shape``).
    figures = compiled.totals_of(
        shape and ("rates", shape),
        lambda: scope.order_by(),
        due=Count("pk", filter=due),
        on_time=Count("pk", filter=on_time),
        listed=Count("pk"),
        listed_in=Count("pk", filter=in_library_q(end)),
        new_starts=Count("pk", filter=started),
        new_starts_in=Count("pk", filter=started & in_library_q(end)),
    )
    funds = compiled.totals_of(
        shape and ("funds", shape),
        lambda: FundsInPlace.objects.filter(
            project__in=scope.values("pk"), year=period.year, month__lte=end.month
        ),
        amount=Sum("amount"),
    )["amount"]
    provincial = ProvincialRates(
        starts_planned=headline.starts.planned,
        starts_actual=headline.starts.actual,
        investment_actual=headline.investment.actual,
        annual_plan=headline.investment.annual_plan,
        funds=as_money(funds),
        completion_due=figures["due"] or 0,
        completion_on_time=figures["on_time"] or 0,
    )
    library = LibraryRates(
        listed=figures["listed"] or 0,
        listed_in_library=figures["listed_in"] or 0,
        new_starts=figures["new_starts"] or 0,
        new_starts_in_library=figures["new_starts_in"] or 0,
    )
    return provincial, library


def unit_funds_and_completions(programme_code: str, period: Period) -> dict[str, tuple]:
    """Per unit code: (funds in place, completions due, on time), the list as of the period's
    end, in one grouped statement (the scores' other rates come from the report's rows)."""
    end = period.end
    due = Q(planned_completion__lte=end)
    on_time = (
        due & Q(actual_completion__lte=end) & Q(actual_completion__lte=F("planned_completion"))
    )
    rows = (
        Project.objects.on_list(at=end)
        .filter(programme__code=programme_code)
        .values("unit__code")
        .annotate(
            due=Count("pk", filter=due, distinct=True),
            on_time=Count("pk", filter=on_time, distinct=True),
            funds=Sum(
                "funds__amount", filter=Q(funds__year=period.year, funds__month__lte=end.month)
            ),
        )
        .order_by()
    )
    return {r["unit__code"]: (as_money(r["funds"]), r["due"], r["on_time"]) for r in rows}
