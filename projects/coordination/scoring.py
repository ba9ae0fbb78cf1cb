"""What the problem log adds to the unit scores (考核): overdue problems by unit."""

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone

from projects.periods import Period

from .models import Problem


def overdue_at_q(day: dt.date) -> Q:
    """Problems overdue at the end of ``day``, as they stood then: raised by that day, their
    deadline passed before it, and still open at its end (open now, or closed after it)."""
    return (
        Q(raised_on__lte=day)
        & Q(deadline__lt=day)
        & (Q(status__in=Problem.OPEN_STATUSES) | Q(resolved_on__gt=day))
    )


def overdue_problems_by_unit(programme_code: str, period: Period) -> dict[str, int]:
    """Problems overdue at the period's end (or today, if earlier), by unit, in one statement.

    A problem closed since still counts for that period; one raised after it does not. The
    deadline read is today's: the log keeps its history, but a moved deadline is a decision
    of the office (提级协调) and is taken as it stands now.
    """
    day = min(period.end, timezone.localdate())
    rows = (
        Problem.objects.filter(project__programme__code=programme_code)
        .filter(overdue_at_q(day))
        .values("project__unit__code")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {r["project__unit__code"]: r["n"] for r in rows}
