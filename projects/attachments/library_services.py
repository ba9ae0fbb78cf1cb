"""Every write of a project's 入库 material checklist: attach (or replace) an item, remove one.

Each item is dated by the month it was attached in, as a node's photo is: that month locked
(reported upward), the item is changed only by a manager giving a reason, which the history
keeps. The rule is asked again inside the write's transaction holding the months' locks
(``period_guard``), so a lock committed between the check and the save refuses the save.
Attaching again replaces the item in place, so its history reads as one item's story.
"""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.late_storage import discard, save_file
from projects.models import Project
from projects.services.checks import ensure_can_edit, ensure_months_unlocked, set_history
from projects.services.period_guard import locked_months_for_write

from . import documents
from .models import LibraryDocument, Photo, new_token
from .services import photo_month

logger = logging.getLogger(__name__)


def attach_library_document(
    *,
    actor,
    project: Project,
    kind: str,
    photo: Photo | None = None,
    upload=None,
    note: str = "",
    reason: str = "",
) -> LibraryDocument:
    """Attach one checklist item from the project's photos or an uploaded PDF or picture.

    Who may, then the month (the one it is attached in, and a replaced item's own), then the
    item and the file are checked before anything is written; a refusal leaves no file behind.
    """
    ensure_can_edit(actor, project)
    if kind not in LibraryDocument.Kind.values:
        raise ValidationError({"kind": _("Choose one of the four 入库 materials.")})
    if (photo is None) == (upload is None):
        raise ValidationError(
            {"photo": _("Choose one of the project's photos or upload a file, not both.")}
        )
    existing = LibraryDocument.objects.filter(project=project, kind=kind).first()
    months = [photo_month(None, None, None)]
    if existing is not None:
        months.append(photo_month(None, None, existing.uploaded_at))
    ensure_months_unlocked(actor, months, reason)  # before any file is read or written
    item = existing or LibraryDocument(project=project, kind=kind)
    old_file = item.document.name if existing is not None else ""
    item.photo = photo
    item.document = ""
    item.content_type, item.size = "", 0
    item.note = note.strip()
    item.uploaded_by, item.uploaded_at = actor, timezone.now()
    if existing is not None:
        item.token = new_token()  # a replaced file is not reached through the old link
    item.full_clean(exclude=["document"])
    if upload is not None:
        checked = documents.check(upload)
        _store(item, checked)
    try:
        with transaction.atomic():
            # Asked again holding the months' locks, so a lock committed meanwhile refuses it.
            locked = locked_months_for_write(months)
            ensure_months_unlocked(actor, months, reason, locked=locked)
            set_history(item, actor, reason.strip() or "入库材料已上传")
            item.save()
    except Exception:
        _discard(item.document.name)
        raise
    if old_file:
        transaction.on_commit(lambda: _discard(old_file))
    return item


def _store(item: LibraryDocument, checked: documents.CheckedDocument) -> None:
    """The file under the item's unguessable token; a full disk is a refusal, not a 500."""
    try:
        save_file(item.document, f"doc-{item.token}.{checked.extension}", checked.content)
    except OSError:
        logger.exception("入库 document not stored: the storage refused the file.")
        raise ValidationError(
            {
                "document": _(
                    "The file could not be stored (the server's storage is full or "
                    "unavailable); nothing was saved. Try again later or tell the office."
                )
            },
            code="storage",
        ) from None
    item.content_type, item.size = checked.content_type, len(checked.content)


def _discard(*names: str) -> None:
    discard(LibraryDocument._meta.get_field("document").storage, *[n for n in names if n])


@transaction.atomic
def remove_library_document(*, actor, item: LibraryDocument, reason: str = "") -> None:
    """Remove one checklist item; one attached in a locked month only by a manager's reason."""
    ensure_can_edit(actor, item.project)
    months = [photo_month(None, None, item.uploaded_at)]
    ensure_months_unlocked(actor, months, reason, locked=locked_months_for_write(months))
    name = item.document.name
    set_history(item, actor, reason.strip() or "入库材料已删除")
    item.delete()
    transaction.on_commit(lambda: _discard(name))
