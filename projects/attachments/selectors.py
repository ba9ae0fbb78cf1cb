"""Reads of site photos for the ledger's pages."""

from collections.abc import Iterable
from dataclasses import dataclass

from projects.selectors import placed

from .models import Photo


@dataclass(frozen=True)
class MonthPhotos:
    """A project's photos of one month, as the entry grid shows them: how many and the latest."""

    count: int
    latest_token: str
    latest_caption: str


def month_photos(projects: Iterable, year: int, month: int) -> dict[int, MonthPhotos]:
    """Each project's photos of the month, in one query however many projects there are.

    Read by the projects' units, not their ids: a unit's thirty projects are more values
    than a kept statement takes (``placed.MOST_VALUES``), its units one or a few, so the
    statement is built once (units, year and month its values). Photos of the units' other
    projects are read and passed over."""
    wanted = {p.pk: p.unit_id for p in projects}
    if not wanted:
        return {}
    rows = placed.values_for(
        "month photos of units",
        lambda y, m, *units: (
            Photo.objects.filter(project__unit_id__in=units, year=y, month=m)
            .order_by("project_id", "-uploaded_at", "-id")
            .values("project_id", "token", "caption")
        ),
        year,
        month,
        *sorted(set(wanted.values())),
    )
    found: dict[int, MonthPhotos] = {}
    for row in rows:
        project_id, token, caption = row["project_id"], row["token"], row["caption"]
        if project_id not in wanted:
            continue
        seen = found.get(project_id)
        if seen is None:
            found[project_id] = MonthPhotos(1, token, caption)
        else:
            found[project_id] = MonthPhotos(seen.count + 1, seen.latest_token, seen.latest_caption)
    return found


def latest_site_photos(user, programme, limit: int) -> list[Photo]:
    """The list's newest photos that ``user`` may open: the photo views' own rule (``view``)."""
    return list(
        Photo.objects.restrict(user, "view")
        .filter(project__programme=programme)
        .select_related("project", "milestone")
        .order_by("-uploaded_at", "-id")[:limit]
    )


def latest_photos(project, limit: int) -> list[Photo]:
    """A project's newest photos for its page; the caller fetched the project through the policy."""
    return placed.objects_of(
        ("project page: photos", limit),
        lambda pid: Photo.objects.filter(project_id=pid).select_related("milestone")[:limit],
        project.pk,
    )
