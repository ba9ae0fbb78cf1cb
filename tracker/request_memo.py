"""Values a request reads once however many of its parts ask: the data versions, the
settings rows, a list's thresholds, the reader's unread notices, the report's validated
filters, a project's months (its page's tables and its 入库 panel read them).

A report page asks for the versions of its year four or five times (its figures, its month
states, each kept panel), one statement each, about a millisecond of a page read again
that should take twenty. Within a request the answer is kept here, from the first reader
on (``RequestMemoMiddleware`` opens and closes it); outside one (a command, a test calling
a selector, a streamed file's rows after the response has left) nothing is kept.

It never serves a value older than the request's own writes: ``forget`` empties it on
every bump (``DataVersion.objects.bump``: the settings rows are versioned sources, so
their saves bump) and whenever a notice is sent or read (``notifications.services``), and
a transaction that has bumped reads no versions at all (``bumped_here``). Another
request's commit during this one is seen by the next request, as if this one had read
every version at its first read: what it keeps under those versions is then computed
from rows at least as new as they name.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")

_memo: ContextVar[dict | None] = ContextVar("request_memo", default=None)


def memo() -> dict | None:
    """This request's memo, or None outside a request."""
    return _memo.get()


def remembered(key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``'s value, once per request under ``key``; every time outside one."""
    kept = _memo.get()
    if kept is None:
        return compute()
    try:
        return kept[key]
    except KeyError:
        value = kept[key] = compute()
        return value


def forget() -> None:
    """Empty this request's memo (a write moved what it holds)."""
    kept = _memo.get()
    if kept is not None:
        kept.clear()


class RequestMemoMiddleware:
    """Open a memo for the request and close it when the response is made."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _memo.set({})
        try:
            return self.get_response(request)
        finally:
            _memo.reset(token)
