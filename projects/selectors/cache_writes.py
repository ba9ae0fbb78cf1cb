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

Reads are learned and read ahead, too. A report page read again read five entries one
statement at a time (its figures and rows, its drawn sections, the month states and two
panels'), where the figures' alone were meant to cost the read. So a request named by its
``reader`` (a GET's address and session, ``projects.web.kept_writes``) notes the keys it
read, and the next request of that name asks for all of them with its first read, in one
statement, when its first key is the one read first last time (the same data versions:
after a write, the entries read last time are not fetched for nothing). What a read ahead
finds is what a read would have found later: an entry's key names its content (its data
versions, parts, language and code), so it never changes under it. What it does not find
is read again when asked for, since another reader may keep it in between; and a lock's
key, which does change, is read with ``fresh``, never ahead.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.cache import cache

_waiting: ContextVar[dict[str, tuple[bytes, int]] | None] = ContextVar(
    "report_cache_waiting", default=None
)
# Every key kept within ``writes_together``, sent or waiting (``kept_here``).
_kept: ContextVar[set[str] | None] = ContextVar("report_cache_kept", default=None)

# The keys the last request of each reader read, most recent last (see above). Per process,
# bounded: a reader forgotten reads one entry at a time again, no more.
LEARNED_READERS = 1000
# A request reading more than this many entries (a page of many lists) is learned no further.
LEARNED_KEYS = 32
_learned: OrderedDict[str, tuple[str, ...]] = OrderedDict()
_learned_lock = threading.Lock()


class _Ahead:
    """One request's reads: what it read, and what its read ahead found."""

    def __init__(self, reader: str):
        self.reader = reader
        self.read: dict[str, None] = {}  # in the order first read
        self.found: dict[str, bytes] | None = None  # None: nothing read ahead yet

    def note(self, keys) -> None:
        for key in keys:
            if len(self.read) < LEARNED_KEYS:
                self.read.setdefault(key)

    def first(self, keys: list[str]) -> dict:
        """The first read of the request: ``keys``, with those its reader read last time
        when it begins as that did. A first key of its own (a report's figures, a project's
        strip) names the data versions read: another one means a write came in between,
        and what was read then names entries no longer asked for."""
        with _learned_lock:
            learned = _learned.get(self.reader, ())
        if not learned or learned[0] != keys[0]:
            learned = ()
        asked = list(dict.fromkeys([*keys, *learned]))
        self.found = cache.get_many(asked)
        return {key: self.found[key] for key in keys if key in self.found}


_ahead: ContextVar[_Ahead | None] = ContextVar("report_cache_ahead", default=None)


@contextmanager
def writes_together(reader: str | None = None) -> Iterator[None]:
    """Within, the entries kept here are sent together, and with a ``reader`` the reads are
    learned and read ahead (see above)."""
    token, kept_token = _waiting.set({}), _kept.set(set())
    ahead_token = _ahead.set(_Ahead(reader) if reader else None)
    try:
        yield
    finally:
        try:
            send()
        finally:
            _learn(_ahead.get())
            _waiting.reset(token)
            _kept.reset(kept_token)
            _ahead.reset(ahead_token)


def _learn(ahead: _Ahead | None) -> None:
    if ahead is None or not ahead.read:
        return
    with _learned_lock:
        _learned[ahead.reader] = tuple(ahead.read)
        _learned.move_to_end(ahead.reader)
        while len(_learned) > LEARNED_READERS:
            _learned.popitem(last=False)


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
    return read_many([key]).get(key)


def read_many(keys: list[str], *, fresh: bool = False) -> dict:
    """The entries kept under ``keys`` that are there: waiting in this request, found by
    its read ahead, or read now in one statement. ``fresh``: never from the read ahead, nor
    learned (a lock's key, and the figures read again while waiting for it)."""
    waiting = _waiting.get() or {}
    found = {key: waiting[key][0] for key in keys if key in waiting}
    rest = [key for key in keys if key not in found]
    ahead = None if fresh else _ahead.get()
    if ahead is not None:
        ahead.note(keys)
        if rest and ahead.found is None:
            found.update(ahead.first(rest))
            return found
        if rest:
            found.update({key: ahead.found[key] for key in rest if key in ahead.found})
            rest = [key for key in rest if key not in found]
    if rest:
        found.update(cache.get_many(rest))
    return found


def drop(key: str) -> None:
    waiting = _waiting.get()
    if waiting:
        waiting.pop(key, None)
    ahead = _ahead.get()
    if ahead is not None and ahead.found:
        ahead.found.pop(key, None)
    cache.delete(key)
