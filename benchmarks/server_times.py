"""The load test's requests as the server timed them: gunicorn's access log, read per page.

locust times a request from when a user sends it to when the answer is read. That includes
the wait for a worker: a kept-alive connection belongs to the worker that accepted it, and a
worker of one thread serves one request at a time, so a project page sent while its worker
builds a report waits for it. The access log's ``%(M)s`` is the time inside the worker alone.
Both side by side tell a slow page from a queue (twenty-third pass of docs/performance.md).

``make load`` asks ``make serve`` for this log format (``ACCESS_LOG_FORMAT``) through
``GUNICORN_CMD_ARGS``, and names each request as ``benchmarks/locustfile.py`` does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import parse_qs, urlsplit

# One line a request: a mark to find it among the server's other lines, the worker's pid,
# the milliseconds inside the worker, the status, the method and the path with its query.
ACCESS_LOG_FORMAT = 'load-request %(p)s %(M)s %(s)s "%(m)s %(U)s?%(q)s"'
_LINE = re.compile(r'^load-request <(\d+)> (\d+) (\d{3}) "([A-Z]+) ([^?"]*)\?([^"]*)"$')


def request_name(method: str, path: str, query: str) -> str | None:
    """The locustfile's name for a request, or ``None`` for one it does not make (health)."""
    if path == "/accounts/login/":
        return "login" if method == "POST" else "login page"
    if path == "/entry/":
        return "entry save" if method == "POST" else "entry page"
    if path.startswith("/projects/"):
        return "project page"
    if path.startswith("/reports/"):
        for suffix, name in ((".csv", "CSV"), (".json", "JSON"), (".xlsx", "XLSX")):
            if path.endswith(suffix):
                return name
        return "report page, sorted" if "p-sort" in parse_qs(query) else "report page"
    return None


def read(lines: Iterable[str]) -> dict[str, list[int]]:
    """Each named request kind's times inside the server, in milliseconds, in log order."""
    times: dict[str, list[int]] = {}
    for line in lines:
        found = _LINE.match(line.rstrip("\n"))
        if found is None:
            continue
        _pid, ms, _status, method, path, query = found.groups()
        name = request_name(method, urlsplit(path).path, query)
        if name is not None:
            times.setdefault(name, []).append(int(ms))
    return times
