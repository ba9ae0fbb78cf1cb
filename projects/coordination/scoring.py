"""What the problem log adds to the unit scores (考核): overdue open problems by unit."""

from django.db.models import Count
from django.utils import timezone

from projects.periods import Period

from .models import Problem
from .selectors import overdue_q


def overdue_problems_by_unit(programme_code: str, period: Period) -> dict[str, int]:
    """Open problems whose deadline passed before the period's end (or today, if earlier).

    Status is today's: a problem closed since is not counted, an open one is (the log keeps
    no status by date).
    """
    day = min(period.end, timezone.localdate())
    rows = (
        Problem.objects.filter(project__programme__code=programme_code)
        .filter(overdue_q(day))
        .values("project__unit__code")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {r["project__unit__code"]: r["n"] for r in rows}
