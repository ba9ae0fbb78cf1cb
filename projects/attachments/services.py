"""Every write of site photos: upload (checked, re-encoded, stored) and removal, with history."""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.late_storage import discard, save_file
from projects.milestones.models import Milestone
from projects.models import Project
from projects.periods import current_month, is_future_month
from projects.services.checks import ensure_can_edit, ensure_months_unlocked, set_history
from projects.services.ledger import save_project

from . import images
from .models import LibraryDocument, Photo

logger = logging.getLogger(__name__)


def upload_photo(
    *,
    actor,
    project: Project,
    upload,
    caption: str = "",
    year: int | None = None,
    month: int | None = None,
    milestone: Milestone | None = None,
    reason: str = "",
    use_location: bool = False,
) -> Photo:
    """Check and store one photo of the project; the checks run before anything is written.

    A photo belongs to its month, or to the month it is added in when it shows a
    node: a month not yet begun takes none, a locked one only a manager's with a
    ``reason`` (kept in the history).
    """
    ensure_can_edit(actor, project)
    if year is not None and month is not None:
        ensure_month_begun(year, month)
    ensure_months_unlocked(actor, [photo_month(year, month, None)], reason)
    processed = images.process(
        upload,
        max_bytes=settings.PHOTOS_MAX_BYTES,
        max_pixels=settings.PHOTOS_MAX_PIXELS,
        max_side=settings.PHOTOS_MAX_SIDE,
        keep_location=settings.PHOTOS_KEEP_LOCATION,
        read_location=use_location,
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
    if use_location and processed.location is None:
        raise ValidationError(
            {
                "use_location": _(
                    "This photo carries no location (GPS); untick “use the photo's "
                    "location” or choose a photo taken with location on."
                )
            }
        )
    # The token names the files: nothing in a name says which project or who took it.
    _store_files(photo, processed)
    try:
        with transaction.atomic():
            set_history(photo, actor, reason.strip() or "photo uploaded")
            photo.save()
            if use_location:
                _place_project(actor, project, processed.location)
    except Exception:
        _remove_files(photo.image.name, photo.thumbnail.name)
        raise
    return photo


def _place_project(actor, project: Project, location) -> None:
    """The project's coordinates from the photo, through the ledger's own write and rules.

    A point outside the district (the ledger's one range rule) refuses the upload with the
    reason, so the uploader can untick the box rather than find the map wrong later.
    """
    fresh = Project.objects.get(pk=project.pk)
    fresh.longitude, fresh.latitude = location
    try:
        save_project(
            actor=actor,
            project=fresh,
            expected_version=fresh.version,
            reason=_("location from a site photo"),
        )
    except ValidationError as exc:
        messages = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        raise ValidationError(
            {"use_location": [m for key in messages for m in messages[key]]}
        ) from None


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


def photo_month(year: int | None, month: int | None, uploaded_at) -> tuple[int, int]:
    """The month a photo is dated in: the month it shows, else the month it was added."""
    if year is not None and month is not None:
        return year, month
    if uploaded_at is None:
        return current_month()
    day = timezone.localdate(uploaded_at, timezone=timezone.get_default_timezone())
    return day.year, day.month


def ensure_month_begun(year: int, month: int) -> None:
    """A month not yet begun has no works to show: a photo dated in it is a mistake."""
    if is_future_month(year, month):
        this_year, this_month = current_month()
        raise ValidationError(
            {
                "month": _(
                    "%(year)s-%(month)02d has not begun yet: photos can be added for months "
                    "up to the current one (%(this_year)s-%(this_month)02d)."
                )
                % {"year": year, "month": month, "this_year": this_year, "this_month": this_month}
            },
            code="future_month",
        )


def _remove_files(*names: str) -> None:
    discard(Photo._meta.get_field("image").storage, *names)


@transaction.atomic
def delete_photo(*, actor, photo: Photo, reason: str = "") -> None:
    """Remove a photo; one of a locked month goes only by a manager, with a ``reason``."""
    ensure_can_edit(actor, photo.project)
    # A 入库 checklist item showing the photo goes with it: its month is checked too.
    items = list(LibraryDocument.objects.filter(photo=photo))
    months = [photo_month(photo.year, photo.month, photo.uploaded_at)]
    months += [photo_month(None, None, item.uploaded_at) for item in items]
    ensure_months_unlocked(actor, months, reason)
    for item in items:
        set_history(item, actor, reason.strip() or "照片已删除，入库材料随之删除")
        item.delete()
    names = (photo.image.name, photo.thumbnail.name)
    set_history(photo, actor, reason.strip() or "photo removed")
    photo.delete()
    # Files go only once the row is gone for good.
    transaction.on_commit(lambda: _remove_files(*names))
