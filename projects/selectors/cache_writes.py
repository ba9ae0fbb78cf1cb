"""The report cache's entries a request keeps, sent to the shared cache together.

A computed report page keeps nine entries (its figures, rows and long tables; the dispatch
panel's lists, the month states, the problem counts, the campaigns; the drawn body and
folds), each a statement and a commit of its own: at the demo's size 3.5 ms of the page on
SQLite and 8 on PostgreSQL, where each commit waits for the disk. Within
``writes_together`` (every request, ``projects.web.kept_writes``) they wait here and go out
in one ``cache.set_many`` a timeout (one statement on the database cache,
``tracker/db_cache.py``): when a figures' lock is let go, so its waiters find the figures
(``report_cache.one_computes`` calls :func:`send`), and when the request's response is
made. Read again in the same request, an entry is read from here. Outside (a command, a
test calling a selector, an export job's thread, a streamed file's rows after the response
has left) an entry is written at once.

``report_cache`` keeps and reads its entries through :func:`keep`, :func:`read`,
:func:`read_many` and :func:`drop`, never the cache beside them, or a read in the same
request would miss what waits. :func:`kept_here` tells it which keys this request kept:
what is derived from figures it computed itself is computed without a read, which would
miss.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.cache import cache

_waiting: ContextVar[dict[str, tuple[bytes, int]] | None] = ContextVar(
    "report_cache_waiting", default=None
)
# Every key kept within ``writes_together``, sent or waiting (``kept_here``).
_kept: ContextVar[set[str] | None] = ContextVar("report_cache_kept", default=None)


@contextmanager
def writes_together() -> Iterator[None]:
    """Within, the entries kept here are sent together (see above)."""
    token, kept_token = _waiting.set({}), _kept.set(set())
    try:
        yield
    finally:
        try:
            send()
        finally:
            _waiting.reset(token)
            _kept.reset(kept_token)


def send(*, release: str | None = None) -> None:
    """Send the entries waiting, if any: the longest-lived first, so a figures' long tables
    are never behind the figures that read them (``report_cache._kept_tables``).

    ``release``: a lock's key, deleted with the last of them, in their statement where the
    cache can (``tracker.db_cache``), else right after; deleted alone when nothing waits."""
    waiting = _waiting.get() or {}
    by_timeout: dict[int, dict[str, bytes]] = {}
    for key, (value, timeout) in waiting.items():
        by_timeout.setdefault(timeout, {})[key] = value
    waiting.clear()
    timeouts = sorted(by_timeout, reverse=True)
    released = release is None
    try:
        for n, timeout in enumerate(timeouts, start=1):
            if not released and n == len(timeouts):
                released = True
                _set_many_releasing(by_timeout[timeout], timeout, release)
            else:
                cache.set_many(by_timeout[timeout], timeout)
    finally:
        if not released:  # nothing waited, or an earlier write failed
            cache.delete(release)


def _set_many_releasing(data: dict[str, bytes], timeout: int, release: str) -> None:
    together = getattr(cache, "set_many_and_delete", None)
    if together is not None:
        together(data, timeout, release)
        return
    try:
        cache.set_many(data, timeout)
    finally:
        cache.delete(release)


def keep(key: str, value: bytes, timeout: int) -> None:
    kept = _kept.get()
    if kept is not None:
        kept.add(key)
    waiting = _waiting.get()
    if waiting is None:
        cache.set(key, value, timeout)
    else:
        waiting[key] = (value, timeout)


def kept_here(key: str) -> bool:
    """Whether this request kept ``key`` (within ``writes_together``; False outside)."""
    kept = _kept.get()
    return kept is not None and key in kept


def waiting(key: str):
    """The entry this request keeps under ``key`` and has not sent yet, or None: a read of
    what this request kept, without the cache."""
    kept = _waiting.get()
    return kept.get(key, (None,))[0] if kept else None


def read(key: str):
    waiting = _waiting.get()
    if waiting and key in waiting:
        return waiting[key][0]
    return cache.get(key)


def read_many(keys: list[str]) -> dict:
    waiting = _waiting.get() or {}
    found = {key: waiting[key][0] for key in keys if key in waiting}
    rest = [key for key in keys if key not in found]
    if rest:
        found.update(cache.get_many(rest))
    return found


def drop(key: str) -> None:
    waiting = _waiting.get()
    if waiting:
        waiting.pop(key, None)
    cache.delete(key)
