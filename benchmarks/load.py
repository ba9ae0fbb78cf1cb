"""``make load``: 20 users for 60 s against ``make serve`` on PostgreSQL, then a count of edits.

    DATABASE_URL=postgres://…/tracker python -m benchmarks.load [--projects 2000 --years 5]

On a PostgreSQL database of its own (``<name>_load_<N>_<Y>`` beside the one DATABASE_URL
names, generated when missing), this starts ``make serve`` on loopback (plain HTTP,
``--workers`` workers of ``--threads`` threads, default 4 of 1), runs locust headless with
``--users`` users (default 20: managers reading report pages, CSV / JSON / XLSX and
project pages; clerks, each on a unit of their own, saving monthly entries through the
real /entry/ form) for ``--duration`` seconds, stops the server and checks that no edit
was lost: every save the load test saw succeed is in the database with its figures, and
the history holds exactly one row per successful save. Figures per request kind (count,
failures, median, p95) and the verdicts on the targets (no error, no lost edit, report page
p95 < 500 ms, project page p95 < 100 ms) are printed and written to
``benchmarks/results/load-…json``, with each target page's p95 ten seconds at a time from
when the users had all signed in (``by_window``), and each request kind's times inside the
server, from its access log (``server_times``): a user's time less the server's is the wait
for a worker.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import secrets
import shlex
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from benchmarks.cpu_use import CpuUse, describe, reference_loop_ms
from benchmarks.run import RESULTS, ROOT, create_postgres_database, git_commit, setup_django
from benchmarks.server_times import ACCESS_LOG_FORMAT
from benchmarks.server_times import read as read_server_times
from tracker.database import GUNICORN_THREADS

SERVER_LOG = RESULTS.parent / "data" / "load-server.log"

TARGETS = {
    "report page": 500.0,
    "report page, sorted": 500.0,
    "project page": 100.0,
}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=2000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--duration", type=int, default=60, help="seconds")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--month", type=int, default=12, help="month of the last year to edit")
    # The measure the targets are set for: four gthread workers on two cores, whatever
    # WEB_CONCURRENCY the machine's own server runs with, each with the threads the server
    # runs with by default (``tracker.database.GUNICORN_THREADS``: one, and why).
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=GUNICORN_THREADS, help="threads per worker")
    return parser.parse_args(argv)


def percentile(values: list[float], share: float) -> float | None:
    """The nearest-rank percentile: the smallest value at least ``share`` of them reach."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def server_figures(log: Path) -> dict[str, dict]:
    """Each request kind's count and percentiles as its workers timed it (``server_times``)."""
    if not log.exists():
        return {}
    with log.open(encoding="utf-8", errors="replace") as lines:
        times = read_server_times(lines)
    return {
        name: {
            "requests": len(values),
            "p50_ms": percentile(values, 0.5),
            "p95_ms": percentile(values, 0.95),
            "p99_ms": percentile(values, 0.99),
            "max_ms": max(values),
        }
        for name, values in sorted(times.items())
    }


def by_window(timeline: list, names, seconds: int = 10) -> dict[str, list[dict]]:
    """Each named request kind, ``seconds`` at a time from the start of work: count, p50, p95.

    Says where in the run a tail came from: the start (first pages of each worker) or
    throughout (processors shared)."""
    windows: dict[str, dict[int, list[float]]] = {name: {} for name in names}
    for offset, name, ms in timeline:
        if name in windows:
            windows[name].setdefault(int(offset // seconds) * seconds, []).append(ms)
    return {
        name: [
            {
                "from_s": start,
                "count": len(values),
                "p50_ms": percentile(values, 0.5),
                "p95_ms": percentile(values, 0.95),
            }
            for start, values in sorted(found.items())
        ]
        for name, found in windows.items()
    }


def load_database_url(args) -> str:
    import dj_database_url

    url = os.environ.get("LOAD_DATABASE_URL") or os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit(
            "The load test runs on PostgreSQL: set DATABASE_URL=postgres://…/name "
            "(a database <name>_load_… is made beside it)."
        )
    if os.environ.get("LOAD_DATABASE_URL"):
        return url
    name = dj_database_url.parse(url)["NAME"]
    base = url.rsplit("/", 1)[0]
    return f"{base}/{name}_load_{args.projects}_{args.years}"


def prepare(args, password: str) -> dict:
    """Data, passwords and clerks (one per clerk user, on the units with most projects)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import connection
    from django.db.models import Count

    from benchmarks.run import ensure_data, settle
    from projects import scale
    from projects.models import MonthlyProgress, Unit

    args.programmes, args.demo = 1, False
    programme = ensure_data(args)
    settle(connection)  # each run starts from the same settled tables, not the last run's
    units = list(
        Unit.objects.filter(projects__programme=programme)
        .annotate(n=Count("projects"))
        .order_by("-n", "code")
        .values_list("code", flat=True)[: args.users]
    )
    clerks = [
        scale.USERNAME_PREFIX + code.removeprefix(scale.CODE_PREFIX).lower() for code in units
    ]
    User = get_user_model()
    accounts = User.objects.filter(username__in=[scale.MANAGER_USERNAME, *clerks])
    accounts.update(password=make_password(password))
    history = MonthlyProgress.history.model.objects
    return {
        "programme": programme.code,
        "year": programme.year,
        "clerks": clerks,
        "history_ids_before": history.order_by("-history_id")
        .values_list("history_id", flat=True)
        .first()
        or 0,
    }


def gunicorn_args(callers: str) -> str:
    """``GUNICORN_CMD_ARGS`` for the server: each request's time inside its worker in the
    access log (read back by ``server_figures``), then the caller's own, which win."""
    return f"--access-logformat {shlex.quote(ACCESS_LOG_FORMAT)} {callers}".strip()


def serve(args, url: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "HOST": "127.0.0.1",
        "PORT": str(args.port),
        # Loopback without TLS: no redirect to HTTPS, cookies without the Secure flag.
        "DJANGO_SECURE_HTTPS": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "WEB_CONCURRENCY": str(args.workers),
        "GUNICORN_THREADS": str(args.threads),
        "GUNICORN_CMD_ARGS": gunicorn_args(os.environ.get("GUNICORN_CMD_ARGS", "")),
    }
    log = open(SERVER_LOG, "w")  # noqa: SIM115
    server = subprocess.Popen(
        ["make", "--no-print-directory", "serve"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.time() + 180
    while time.time() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"make serve stopped (see {log.name})")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{args.port}/healthz", timeout=2):
                return server
        except OSError:
            time.sleep(1)
    stop(server)
    raise SystemExit("make serve did not answer /healthz within 180 s")


def stop(server: subprocess.Popen) -> None:
    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(server.pid, signal.SIGKILL)


def run_locust(args, info: dict, password: str, out: Path) -> None:
    env = {
        **os.environ,
        "LOAD_PASSWORD": password,
        "LOAD_CLERKS": ",".join(info["clerks"]),
        "LOAD_YEAR": str(info["year"]),
        "LOAD_PROGRAMME": info["programme"],
        "LOAD_PROJECTS": str(args.projects),
        "LOAD_MONTH": str(args.month),
        "LOAD_USERS": str(args.users),
        "LOAD_OUT": str(out),
    }
    subprocess.run(
        [
            str(Path(sys.executable).with_name("locust")),
            "-f",
            str(ROOT / "benchmarks" / "locustfile.py"),
            "--headless",
            "--users",
            str(args.users),
            "--spawn-rate",
            str(args.users),
            "--run-time",
            f"{args.duration}s",
            "--stop-timeout",
            "30",
            "--host",
            f"http://127.0.0.1:{args.port}",
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
        check=False,
    )


def lost_edits(info: dict, saves: list[dict]) -> dict:
    """Each save the users saw succeed, against the database and its history."""
    from collections import Counter
    from decimal import Decimal

    from projects.models import MonthlyProgress

    last = {}
    for save in saves:  # in the order they succeeded; one clerk per unit, so no races
        last[(save["project"], save["month"])] = save
    stored = {
        (e.project_id, e.month): e
        for e in MonthlyProgress.objects.filter(
            year=info["year"], project_id__in={p for p, _m in last}
        )
    }
    missing = [
        key
        for key, save in last.items()
        if key not in stored
        or stored[key].investment != Decimal(save["investment"])
        or stored[key].inclusion != Decimal(save["inclusion"])
    ]
    history = MonthlyProgress.history.model.objects.filter(
        history_id__gt=info["history_ids_before"]
    )
    # Each save the users saw succeed must have its own history row with its figures: a
    # save that answered 302 and wrote nothing is named here, not only counted.
    written = Counter(
        history.values_list("project_id", "month", "investment", "inclusion").order_by()
    )
    expected = Counter(
        (s["project"], s["month"], Decimal(s["investment"]), Decimal(s["inclusion"])) for s in saves
    )
    without_history = sorted(expected - written)
    return {
        "successful_saves": len(saves),
        "history_rows_written": history.count(),
        "rows_not_as_saved": len(missing),
        "saves_without_history": [
            {"project": p, "month": m, "investment": str(i), "inclusion": str(c)}
            for p, m, i, c in without_history
        ],
        "lost": len(missing) + max(len(without_history), len(saves) - history.count(), 0),
    }


def main(argv=None) -> int:
    args = parse_args(argv)
    url = load_database_url(args)
    create_postgres_database(url)
    setup_django(url)
    from django.db import connection

    password = secrets.token_urlsafe(18)
    info = prepare(args, password)
    connection.close()
    (RESULTS.parent / "data").mkdir(exist_ok=True)
    loop_ms = reference_loop_ms()  # before the server starts: the machine idle
    server = serve(args, url)
    cpu = CpuUse()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "locust.json"
        try:
            cpu.start()
            run_locust(args, info, password, out)
            used = cpu.stop()
        finally:
            stop(server)
        if not out.exists():
            raise SystemExit("locust wrote no results")
        figures = json.loads(out.read_text())
    edits = lost_edits(info, figures["saves"])
    verdicts = {
        "no errors": figures["total"]["failures"] == 0,
        "no lost edit": edits["lost"] == 0,
    }
    for row in figures["requests"]:
        if row["name"] in TARGETS:
            verdicts[f"{row['name']} p95 < {TARGETS[row['name']]:.0f} ms"] = (
                row["p95_ms"] is not None and row["p95_ms"] < TARGETS[row["name"]]
            )
    print(
        f"\n{args.users} users for {args.duration} s, {args.projects:,} × {args.years} years, "
        f"{args.workers} workers × {args.threads} threads"
    )
    line = (
        f"{'request':<24} {'count':>7} {'fail':>5} {'p50 ms':>10} {'p95 ms':>8} "
        f"{'p99 ms':>8} {'max ms':>8}"
    )
    print(line + "\n" + "-" * len(line))
    for row in [*figures["requests"], figures["total"]]:
        print(
            f"{row['name']:<24} {row['requests']:>7} {row['failures']:>5} "
            f"{row['median_ms'] or 0:>10.0f} {row['p95_ms'] or 0:>8.0f} "
            f"{row.get('p99_ms') or 0:>8.0f} {row['max_ms'] or 0:>8.0f}"
        )
    inside = server_figures(SERVER_LOG)
    if inside:
        print("\ninside the server (its access log: each worker's own time, not the wait for it)")
        for name, row in inside.items():
            print(
                f"{name:<24} {row['requests']:>7} {'':>5} {row['p50_ms'] or 0:>10.0f} "
                f"{row['p95_ms'] or 0:>8.0f} {row['p99_ms'] or 0:>8.0f} {row['max_ms'] or 0:>8.0f}"
            )
    else:
        print(f"\nno request times in {SERVER_LOG.relative_to(ROOT)}: another log format was asked")
    windows = by_window(figures["timeline"], TARGETS)
    print("\np95 ms ten seconds at a time, from when all users had signed in:")
    for name, found in windows.items():
        cells = "  ".join(f"{w['from_s']:>2}s {w['p95_ms'] or 0:>5.0f}" for w in found)
        print(f"  {name:<22} {cells}")
    print(
        f"\nsaves that succeeded: {edits['successful_saves']}, history rows written: "
        f"{edits['history_rows_written']}, rows not as saved: {edits['rows_not_as_saved']}, "
        f"saves without their history row: {len(edits['saves_without_history'])}"
    )
    for save in edits["saves_without_history"]:
        print(f"  no history row for {save}")
    print(describe(used))
    print(f"this machine's reference loop (benchmarks.cpu_use): {loop_ms:.0f} ms")
    for name, met in verdicts.items():
        print(f"  {'met' if met else 'MISSED'}: {name}")
    result = {
        "database": "postgresql",
        "server_version": connection.cursor().connection.info.server_version,
        "projects_per_year": args.projects,
        "years": args.years,
        "users": args.users,
        "duration_s": args.duration,
        "workers": args.workers,
        "threads": args.threads,
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": git_commit(),
        "requests": figures["requests"],
        "total": figures["total"],
        "inside_server": inside,
        "by_ten_seconds": windows,
        "errors": figures["errors"],
        "edits": edits,
        "verdicts": verdicts,
        "reference_loop_ms": loop_ms,
        "cpu": used,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"load-postgresql-{args.projects}x{args.years}.json"
    path.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    print(f"\nwritten to {path.relative_to(ROOT)}")
    return 0 if all(verdicts.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
