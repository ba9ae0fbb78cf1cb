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


def month_photos(project_ids: Iterable[int], year: int, month: int) -> dict[int, MonthPhotos]:
    """Each project's photos of the month, in one query however many projects there are."""
    ids = list(project_ids)
    if not ids:
        return {}
    rows = (
        Photo.objects.filter(project_id__in=ids, year=year, month=month)
        .order_by("project_id", "-uploaded_at", "-id")
        .values_list("project_id", "token", "caption")
    )
    found: dict[int, MonthPhotos] = {}
    for project_id, token, caption in rows:
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
