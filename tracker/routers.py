"""Report reads from a streaming replica (``DATABASE_REPLICA_URL``), all else from the primary.

The rule is narrow on purpose, so that nobody reads their own write from a replica that
has not caught up yet:

- only GET and HEAD requests to the report pages and files (``REPORT_VIEWS``) read from the
  replica, and only the ledger's tables (app ``projects``); sessions, accounts, login
  lockouts and permissions always come from the primary;
- a browser that has just written anything (any POST, PUT, PATCH or DELETE answered below
  400) reads from the primary for ``DATABASE_REPLICA_PIN_SECONDS`` (10 s) afterwards, told by
  a cookie, so it works whichever app server answers next;
- every write goes to the primary, also for rows read from the replica;
- commands, the entry grid, the admin and every other page never touch the replica.

A streamed file keeps reading from the replica while it streams.
"""

import time
from contextvars import ContextVar

from django.conf import settings

REPLICA = "replica"
PRIMARY = "default"
# The ledger; django.contrib's tables (sessions, users, groups) stay on the primary.
REPLICA_APPS = {"projects"}
REPORT_VIEWS = {
    "home",
    "quarterly_report",
    "monthly_report",
    "export_report",
    "export_monthly_report",
    "report_print",
    "monthly_print",
    "briefing",
    "monthly_briefing",
    "briefing_docx",
    "monthly_briefing_docx",
}
PIN_COOKIE = "tracker_primary_until"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}

_report_reads: ContextVar[bool] = ContextVar("tracker_report_reads", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


class ReportReplicaRouter:
    """Ledger reads of a report request go to the replica; all else to the primary."""

    def db_for_read(self, model, **hints):
        if _report_reads.get() and model._meta.app_label in REPLICA_APPS:
            return REPLICA
        # Explicitly the primary: Django would otherwise follow a row read from the replica.
        return PRIMARY

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same data on both

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


def pinned(request) -> bool:
    """Whether this browser wrote recently enough to read its own write from the primary."""
    try:
        return float(request.COOKIES.get(PIN_COOKIE, "0")) > time.time()
    except ValueError:
        return False


class ReportReplicaMiddleware:
    """Marks a report request's ledger reads for the replica; pins browsers that write."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        token = request.__dict__.pop("_replica_token", None)
        if token is not None:
            _report_reads.reset(token)
            if response.streaming:
                response.streaming_content = _on_replica(response.streaming_content)
        elif (
            replica_configured()
            and request.method not in SAFE_METHODS
            and response.status_code < 400
        ):
            seconds = settings.DATABASE_REPLICA_PIN_SECONDS
            response.set_cookie(
                PIN_COOKIE,
                f"{time.time() + seconds:.0f}",
                max_age=seconds,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if (
            replica_configured()
            and request.method in ("GET", "HEAD")
            and match is not None
            and match.url_name in REPORT_VIEWS
            and not pinned(request)
        ):
            request._replica_token = _report_reads.set(True)
        return None


def _on_replica(content):
    """The streamed chunks, each produced with the report's reads on the replica."""
    iterator = iter(content)
    while True:
        token = _report_reads.set(True)
        try:
            chunk = next(iterator)
        except StopIteration:
            return
        finally:
            _report_reads.reset(token)
        yield chunk
