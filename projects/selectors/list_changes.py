"""Projects that joined the list after the year began, or withdrew, up to a period's end."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from ..models import Project
from ..periods import Period
from . import compiled
from .results import ListChange


def _reasons(ids, field: str) -> dict[int, str]:
    """Per project, the reason given with the change that set ``field`` to its value now."""
    reasons: dict[int, str] = {}
    previous: dict[int, object] = {}
    for pk, value, reason in (
        Project.history.filter(id__in=ids)
        .order_by("id", "history_date", "history_id")
        .values_list("id", field, "history_change_reason")
    ):
        if value != previous.get(pk, object()):
            reasons[pk] = (reason or "").strip()
        previous[pk] = value
    return reasons


def list_changes(
    projects: QuerySet[Project], period: Period, *, shape=None
) -> tuple[ListChange, ...]:
    """Joins after 1 January and withdrawals, dated up to the period's end, by date then code.

    Two queries: the projects, and their history for the reasons given. A project that
    joins after the period's end is not in this period's lists, nor in this list.
    """
    start, end = period.start, period.end
    fields = ("pk", "code", "name", "unit__name", "joined_on", "withdrawn_on")
    # Built once per ``shape`` of the report's projects (``compiled.rows_of``).
    found = compiled.rows_of(
        shape and ("list changes", shape),
        lambda: (
            projects.filter(Q(joined_on__gt=start, joined_on__lte=end) | Q(withdrawn_on__lte=end))
            .order_by("code")
            .values(*fields)
        ),
    )
    rows = [tuple(row[f] for f in fields) for row in found]
    if not rows:
        return ()
    ids = [r[0] for r in rows]
    joined_reasons = _reasons(ids, "joined_on")
    withdrawn_reasons = _reasons(ids, "withdrawn_on")
    changes = []
    for pk, code, name, unit, joined_on, withdrawn_on in rows:
        if joined_on and start < joined_on <= end:
            changes.append(
                ListChange(code, name, unit, True, joined_on, joined_reasons.get(pk, ""))
            )
        if withdrawn_on and withdrawn_on <= end:
            changes.append(
                ListChange(code, name, unit, False, withdrawn_on, withdrawn_reasons.get(pk, ""))
            )
    changes.sort(key=lambda c: (c.on, c.code))
    return tuple(changes)
