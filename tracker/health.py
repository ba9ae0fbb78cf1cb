"""The health check a load balancer or monitor polls."""

import logging
import threading
import time

from django.conf import settings
from django.db import DatabaseError, connections
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


class _Check:
    """One question to the database, asked in a thread of its own; polls that come while it
    is out share its answer."""

    def __init__(self):
        self.started = time.monotonic()
        self.answered = threading.Event()
        self.ok = False


# The check out now, if any. A poll that comes while it is out waits for its answer (up to
# the check's own deadline) rather than asking again, so a frozen server never gathers a
# thread a poll; one that comes after that deadline, with the check still out, is answered
# 503 at once. Answering 503 at once to every poll that met a check out, as before, told
# a load balancer that a healthy server was down: in a ``make load`` run with a poll added
# beside every project page, 7 polls of 241 met one and were answered 503 (none since).
_current: _Check | None = None
_current_lock = threading.Lock()


def _ask_database(check: _Check) -> None:
    global _current
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            check.ok = cursor.fetchone() == (1,)
    except DatabaseError:
        logger.exception("Health check: the database did not answer.")
    finally:
        # The thread's own connection: never left open for the next thread.
        connections["default"].close()
        check.answered.set()
        with _current_lock:
            if _current is check:
                _current = None


def checking() -> bool:
    """Whether a check is out, still waiting for the database."""
    return _current is not None


def database_answers(within: float) -> bool:
    """Whether the database answers one trivial query within ``within`` seconds of the
    check that asks it: this poll's own, or the one out when this poll came.

    A frozen server accepts the query into its socket and never replies: libpq has no
    client-side limit for that and the server's statement_timeout is frozen with it. So the
    query runs in a thread of its own and the check stops waiting after ``within`` seconds.
    """
    global _current
    with _current_lock:
        check = _current
        if check is None:
            check = _current = _Check()
            threading.Thread(target=_ask_database, args=(check,), daemon=True).start()
    return check.answered.wait(max(0.0, check.started + within - time.monotonic())) and check.ok


@never_cache
@require_safe
def healthz(request):
    """200 "ok" when the database answers one trivial query in time, 503 when it does not."""
    if not database_answers(settings.HEALTHZ_TIMEOUT):
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")
