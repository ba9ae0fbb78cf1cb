"""The health check a load balancer or monitor polls."""

import logging
import threading

from django.conf import settings
from django.db import DatabaseError, connections
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

# A check still waiting on the database; while one waits, the next polls answer 503 at once
# instead of stacking up threads on a frozen server.
_waiting = threading.Lock()


def _ask_database(answer: dict) -> None:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            answer["ok"] = cursor.fetchone() == (1,)
    except DatabaseError:
        logger.exception("Health check: the database did not answer.")
    finally:
        # The thread's own connection: never left open for the next thread.
        connections["default"].close()
        _waiting.release()


def database_answers(within: float) -> bool:
    """Whether the database answers one trivial query within ``within`` seconds.

    A frozen server accepts the query into its socket and never replies: libpq has no
    client-side limit for that and the server's statement_timeout is frozen with it. So the
    query runs in a thread of its own and the check stops waiting after ``within`` seconds.
    """
    if not _waiting.acquire(blocking=False):
        return False
    answer: dict = {}
    worker = threading.Thread(target=_ask_database, args=(answer,), daemon=True)
    worker.start()
    worker.join(within)
    return bool(answer.get("ok"))


@never_cache
@require_safe
def healthz(request):
    """200 "ok" when the database answers one trivial query in time, 503 when it does not."""
    if not database_answers(settings.HEALTHZ_TIMEOUT):
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")
