"""The four provincial rates of a report: 开工率, 投资完成率, 资金到位率, 按期竣工率.

Starts and investment come from the report's headline (one rule for each); funds in place
and completions are read here in one statement over the report's projects.
"""

from __future__ import annotations

from django.db.models import Count, F, Q, Sum

from ..models import Project
from ..money import as_money
from ..periods import Period
from .results import Headline, ProvincialRates


def provincial_rates(scope, period: Period, headline: Headline) -> ProvincialRates:
    """The rates over ``scope`` (the report's projects) as of the period's end.

    Funds count the year's arrivals through the period's last month. A completion counts
    as on time when it happened by its planned date and by the period's end (a later
    completion is not yet known as of then); a project without a planned completion, or
    planned after the period's end, is not due.
    """
    end = period.end
    due = Q(planned_completion__lte=end)
    on_time = (
        due & Q(actual_completion__lte=end) & Q(actual_completion__lte=F("planned_completion"))
    )
    figures = Project.objects.filter(pk__in=scope.values("pk")).aggregate(
        # Distinct: the join with the funds rows repeats each project once per row.
        due=Count("pk", filter=due, distinct=True),
        on_time=Count("pk", filter=on_time, distinct=True),
        funds=Sum("funds__amount", filter=Q(funds__year=period.year, funds__month__lte=end.month)),
    )
    return ProvincialRates(
        starts_planned=headline.starts.planned,
        starts_actual=headline.starts.actual,
        investment_actual=headline.investment.actual,
        annual_plan=headline.investment.annual_plan,
        funds=as_money(figures["funds"]),
        completion_due=figures["due"] or 0,
        completion_on_time=figures["on_time"] or 0,
    )


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
