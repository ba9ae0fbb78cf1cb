"""Files waiting between an import's preview and its confirm (ledger, progress and nodes).

The previewed file waits in the imports storage under a random name known only to the
uploader's session, so any app server may take the confirm, and the confirm checks it all
again: what is written is never older than what was shown. Nothing here knows HTTP; it is
handed the session (a mapping) of the person importing.
"""

import datetime as dt
import logging
import secrets
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.utils import timezone
from django.utils.translation import gettext as _

from ..late_storage import save_to
from .reading import ImportFileError

log = logging.getLogger(__name__)
SESSION_KEY = "pending_imports"
IMPORTS_STORAGE = "imports"
UPLOAD_LIFETIME_SECONDS = 24 * 60 * 60


def uploads():
    """Where a previewed file waits for its confirm: any app server may get the confirm.

    The file system under MEDIA_ROOT by default (shared when MEDIA_ROOT is, as for photos);
    DJANGO_IMPORTS_STORAGE_BACKEND names any Django storage for servers that share nothing.
    """
    if IMPORTS_STORAGE in settings.STORAGES:
        return storages[IMPORTS_STORAGE]
    return FileSystemStorage(location=Path(settings.MEDIA_ROOT) / "import-uploads")


def _forget_old(storage) -> None:
    """Previews nobody confirmed would otherwise pile up."""
    cutoff = timezone.now() - dt.timedelta(seconds=UPLOAD_LIFETIME_SECONDS)
    try:
        _folders, names = storage.listdir("")
    except FileNotFoundError:
        names = []
    for old in names:
        try:
            if storage.get_modified_time(old) < cutoff:
                storage.delete(old)
        except FileNotFoundError:
            continue  # another server removed it first


def store(session, kind: str, filename: str, content: bytes, reason: str, versions: dict) -> str:
    """Keep a previewed file for its confirm; the token the confirm form carries.

    A storage that cannot take the file (a full disk) is an ImportFileError with a message
    for the person importing, and leaves no file cut short behind.
    """
    token = secrets.token_urlsafe(16)
    storage = uploads()
    _forget_old(storage)
    try:
        stored = save_to(storage, token, content)
    except OSError:
        log.exception("Import upload not kept: the imports storage refused the file.")
        raise ImportFileError(
            _(
                "The file could not be kept for the import (the server's storage is full or "
                "unavailable); nothing was imported. Try again later or tell the office."
            )
        ) from None
    pending = session.get(SESSION_KEY, {})
    pending[token] = {
        "kind": kind,
        "filename": filename,
        "stored": stored,
        "reason": reason,
        # What the preview showed as stored; the confirm refuses rows changed since.
        "versions": versions,
    }
    session[SESSION_KEY] = pending
    return token


def take(session, kind: str, token: str) -> tuple[str, bytes, str, dict] | None:
    """The file a confirm names (filename, content, reason, versions), or None if gone."""
    entry = session.get(SESSION_KEY, {}).get(token)
    if entry is None or entry["kind"] != kind:
        return None
    try:
        with uploads().open(entry.get("stored", token), "rb") as file:
            content = file.read()
    except FileNotFoundError:
        return None
    return entry["filename"], content, entry.get("reason", ""), entry["versions"]


def forget(session, token: str) -> None:
    pending = session.get(SESSION_KEY, {})
    entry = pending.pop(token, None)
    if entry is not None:
        session[SESSION_KEY] = pending
    uploads().delete((entry or {}).get("stored", token))
