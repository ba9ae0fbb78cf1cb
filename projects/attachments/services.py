"""Every write of site photos: upload (checked, re-encoded, stored) and removal, with history."""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.late_storage import discard, save_file
from projects.milestones.models import Milestone
from projects.models import PeriodLock, Project
from projects.services.checks import ensure_can_edit

from . import images
from .models import Photo

logger = logging.getLogger(__name__)


def _history(photo: Photo, actor, reason: str) -> None:
    photo._change_reason = reason
    if actor is not None:
        photo._history_user = actor


def upload_photo(
    *,
    actor,
    project: Project,
    upload,
    caption: str = "",
    year: int | None = None,
    month: int | None = None,
    milestone: Milestone | None = None,
) -> Photo:
    """Check and store one photo of the project; the checks run before anything is written."""
    ensure_can_edit(actor, project)
    if year is not None and month is not None:
        ensure_month_open(year, month)
    processed = images.process(
        upload,
        max_bytes=settings.PHOTOS_MAX_BYTES,
        max_pixels=settings.PHOTOS_MAX_PIXELS,
        max_side=settings.PHOTOS_MAX_SIDE,
        keep_location=settings.PHOTOS_KEEP_LOCATION,
        max_source_side=settings.PHOTOS_MAX_SOURCE_SIDE,
        max_decoded_bytes=settings.PHOTOS_MAX_DECODED_BYTES,
    )
    photo = Photo(
        project=project,
        year=year,
        month=month,
        milestone=milestone,
        caption=caption.strip(),
        content_type=processed.content_type,
        width=processed.width,
        height=processed.height,
        size=len(processed.content),
        taken_at=(
            timezone.make_aware(processed.taken_at) if processed.taken_at is not None else None
        ),
        uploaded_by=actor,
    )
    photo.full_clean(exclude=["image", "thumbnail"])
    # The token names the files: nothing in a name says which project or who took it.
    _store_files(photo, processed)
    try:
        with transaction.atomic():
            _history(photo, actor, "photo uploaded")
            photo.save()
    except Exception:
        _remove_files(photo.image.name, photo.thumbnail.name)
        raise
    return photo


def _store_files(photo: Photo, processed: images.Processed) -> None:
    """Write the photo's two files, or neither: a full disk leaves no stray file behind."""
    try:
        save_file(photo.image, f"{photo.token}.{processed.extension}", processed.content)
        save_file(photo.thumbnail, f"{photo.token}-thumb.jpg", processed.thumbnail)
    except OSError:
        logger.exception("Photo not stored: the photo storage refused the file.")
        _remove_files(photo.image.name)  # the picture, when only its thumbnail failed
        raise ValidationError(
            {
                "image": _(
                    "The photo could not be stored (the server's storage is full or "
                    "unavailable); nothing was saved. Try again later or tell the office."
                )
            },
            code="storage",
        ) from None


def ensure_month_open(year: int, month: int) -> None:
    """A locked month has been reported upward: its record, photos included, stays as it was."""
    if PeriodLock.objects.locked(year, month):
        raise ValidationError(
            {
                "month": _(
                    "%(year)s-%(month)02d has been reported upward and is locked; "
                    "photos can no longer be added to it."
                )
                % {"year": year, "month": month}
            },
            code="locked",
        )


def _remove_files(*names: str) -> None:
    discard(Photo._meta.get_field("image").storage, *names)


@transaction.atomic
def delete_photo(*, actor, photo: Photo) -> None:
    ensure_can_edit(actor, photo.project)
    names = (photo.image.name, photo.thumbnail.name)
    _history(photo, actor, "photo removed")
    photo.delete()
    # Files go only once the row is gone for good.
    transaction.on_commit(lambda: _remove_files(*names))
