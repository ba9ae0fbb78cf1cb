"""gunicorn's settings for ``make serve``, read by gunicorn from the folder it starts in.

The request threads a worker serves with are read here from the same place as the
database pool's size (``tracker.database.request_threads``), so the server and its pool
never disagree, and a ``GUNICORN_THREADS`` that is not a whole number of at least one
stops the server with that sentence instead of reaching gunicorn. The rest of the command
(address, workers, timeout, log) is on ``make serve``'s line; a setting given there wins.
"""

from django.core.exceptions import ImproperlyConfigured

from tracker.database import request_threads

# gthread: a worker's requests are served by its threads, and a kept-alive connection
# waits in the worker's poller rather than holding a thread.
worker_class = "gthread"
try:
    threads = request_threads()
except ImproperlyConfigured as exc:
    raise SystemExit(str(exc)) from None
