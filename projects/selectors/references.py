"""Suggestions for a reference filter (unit, street, category…), scoped like the report.

A long list is typed into rather than chosen from (``filters.ReferenceWidget``); these are
the entries the box offers: at most ``SUGGESTIONS`` whose code starts with or whose name
contains the text, case aside, among those the reader's report can hold.
"""

from dataclasses import dataclass

from django.db.models import Q

from ..filters import ProjectReportFilter, ReferenceFilter
from ..models import Project
from ..permissions import ALL, reach, restrict

SUGGESTIONS = 20


@dataclass(frozen=True)
class Suggestion:
    code: str
    name: str


def reference_filter(key: str) -> ReferenceFilter | None:
    """The report's reference filter of that name, or None (a state filter, or none)."""
    found = ProjectReportFilter.base_filters.get(key)
    return found if isinstance(found, ReferenceFilter) else None


def suggestions(user, found: ReferenceFilter, text: str) -> list[Suggestion]:
    """One query: the entries matching ``text`` that the user's report reaches.

    A reader who sees the whole list is offered the whole reference list; a reader who
    sees part of it (a street viewer) only the entries of projects they can see, so no
    other street's unit is ever named to them.
    """
    rows = found.extra["queryset"].all()
    if reach(user, "report") != ALL:
        reached = Project.objects.filter(restrict(user, "report")).values(found.field_name)
        rows = rows.filter(pk__in=reached)
    text = text.strip()
    if text:
        rows = rows.filter(Q(code__istartswith=text) | Q(name__icontains=text))
    return [Suggestion(code, name) for code, name in rows.values_list("code", "name")[:SUGGESTIONS]]
