"""``make bench``: the report's operations timed beside the hand-written SQL floors.

    python -m benchmarks.run --projects 2000 --years 1           # SQLite, a file of its own
    DATABASE_URL=postgres://…/tracker python -m benchmarks.run --projects 20000 --years 5
    python -m benchmarks.run --demo                              # the 147-project demo

The data lives in a database of its own, never the one ``DATABASE_URL`` names: on
PostgreSQL ``<name>_bench_<N>x<Y>`` on the same server (created when missing), on SQLite
``benchmarks/data/bench-<N>x<Y>.sqlite3``; ``BENCH_DATABASE_URL`` names one outright. The
scale data is generated there (``generate_scale_data``) or the demo loaded when missing.

Each operation runs once to warm up, then ``--runs`` times (median reported); the query
count and the peak Python memory (tracemalloc, growth during the call) come from one
more run each. Pages and files go through Django's test client as a logged-in manager
(the entry page as a clerk of the biggest unit). The floors (``benchmarks/floors.py``)
are checked against the app's figures first; the run fails if they disagree. The table
is printed and written to ``benchmarks/results/<database>-<N>x<Y>.json``.

One module of some 700 lines, on purpose: the operations, what each run leaves behind and
takes out again (an edition, the node import's nodes), the targets and their verdicts are
read together when a figure looks wrong, and nothing else imports them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import secrets
import statistics
import subprocess
import sys
import time
import tracemalloc
from dataclasses import asdict, dataclass, field
from pathlib import Path

from benchmarks import photo_memory
from benchmarks.cpu_use import reference_loop_ms

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
DATA = ROOT / "benchmarks" / "data"

# Item 5 of the scale issue: what the report should cost at 20,000 × 5 on PostgreSQL.
TARGET_SCALE = (20_000, 5)
DEMO_PAGE_MS = 60.0


@dataclass
class Row:
    operation: str
    median_ms: float
    min_ms: float
    max_ms: float
    queries: int
    peak_mb: float
    floor: str = ""
    floor_ms: float | None = None
    ratio: float | None = None
    target: str = ""
    met: bool | None = None
    note: str = ""
    samples_ms: list[float] = field(default_factory=list)
    slowest_queries: list[dict] = field(default_factory=list)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=2000, help="projects on a year's list")
    parser.add_argument("--years", type=int, default=1, help="years of lists")
    parser.add_argument("--programmes", type=int, default=1, help="lists a year")
    parser.add_argument("--demo", action="store_true", help="the 147-project demo instead")
    parser.add_argument("--quarter", type=int, default=1, help="quarter of the last year")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per operation (≥ 5)")
    parser.add_argument("--output", type=Path, help="JSON file (default: benchmarks/results/)")
    parser.add_argument(
        "--only",
        default="",
        help="time only the operations whose names start with one of these (comma-separated), "
        'e.g. --only "published,plain SELECT"; the floors are always timed',
    )
    args = parser.parse_args(argv)
    if args.runs < 5:
        parser.error("--runs must be at least 5: a median of fewer says little.")
    if min(args.projects, args.years, args.programmes) < 1 or args.quarter not in (1, 2, 3, 4):
        parser.error("--projects, --years and --programmes must be positive, --quarter 1–4.")
    return args


def size_label(args) -> str:
    if args.demo:
        return "demo"
    label = f"{args.projects}x{args.years}"
    return label if args.programmes == 1 else f"{label}x{args.programmes}"


def bench_database_url(args) -> str:
    """The bench's own database: never the one the app runs on."""
    if os.environ.get("BENCH_DATABASE_URL"):
        return os.environ["BENCH_DATABASE_URL"]
    import dj_database_url

    url = os.environ.get("DATABASE_URL", "")
    label = size_label(args)
    if url and not url.startswith("sqlite"):
        config = dj_database_url.parse(url)
        base, _sep, _rest = url.rpartition("/")
        query = "?" + url.split("?", 1)[1] if "?" in url else ""
        return f"{base}/{config['NAME']}_bench_{label.replace('x', '_')}{query}"
    DATA.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DATA / f'bench-{label}.sqlite3'}"


def create_postgres_database(url: str) -> None:
    import dj_database_url
    import psycopg
    from psycopg import sql

    config = dj_database_url.parse(url)
    connect = {
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**{k: v for k, v in connect.items() if v is not None}) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (config["NAME"],)
        ).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
            print(f"created database {config['NAME']}")


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    # Production settings (DEBUG off); this process serves nothing, so any key will do.
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    # A report at scale may run longer than a request should; the bench waits for it.
    os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT", "0")
    import warnings

    import django

    # Pages are served from the source folders when collectstatic has not run; no matter here.
    warnings.filterwarnings("ignore", message="No directory at", module="django.core.handlers")
    django.setup()
    from django.conf import settings

    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS.append("testserver")


def ensure_data(args):
    """Migrate, and generate (or load the demo) unless the database already holds it."""
    from django.core.management import call_command

    from projects import demo, scale
    from projects.models import Programme, Project

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)  # the report cache (CACHE_URL)
    if args.demo:
        programme = Programme.objects.filter(code=demo.PROGRAMME_CODE).first()
        if programme is None or programme.projects.count() != demo.PROJECT_COUNT:
            print("loading the demo ledger …", flush=True)
            call_command("load_demo", verbosity=0)
            programme = Programme.objects.get(code=demo.PROGRAMME_CODE)
        return programme
    last_year = demo.YEAR
    generated = Programme.objects.filter(code__startswith=scale.CODE_PREFIX)
    first = generated.filter(code=f"{scale.CODE_PREFIX}{last_year}-1").first()
    ready = (
        first is not None
        and generated.count() == args.years * args.programmes
        and Project.objects.filter(programme__in=generated.filter(year=last_year)).count()
        == args.projects
    )
    if not ready:
        print(f"generating {args.projects:,} × {args.years} years of scale data …", flush=True)
        call_command(
            "generate_scale_data",
            projects=args.projects,
            years=args.years,
            programmes=args.programmes,
            last_year=last_year,
        )
        first = generated.get(code=f"{scale.CODE_PREFIX}{last_year}-1")
    return first


def settle(connection) -> None:
    """The database as autovacuum keeps a settled one: fresh planner statistics (a demo just
    loaded has none, and the planner then loops where it should hash) and, on PostgreSQL, no
    dead rows left by the last run's writes.

    A run's writes leave dead rows: its node import and undo about 160,000 in the nodes'
    table, its computed pages a cache entry each. On a server whose autovacuum is off, the
    next run's report statements scanned them: at 20,000 × 5 the JSON's ``SELECT`` took
    380 ms instead of 300 until they were vacuumed.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW autovacuum")
            if cursor.fetchone()[0] != "on":
                print("autovacuum is off on this server: the bench vacuums before it measures")
            cursor.execute("VACUUM ANALYZE")  # autocommit: VACUUM runs outside a transaction
        else:
            cursor.execute("ANALYZE")


def ensure_accounts(programme):
    """A manager and a clerk of the list's biggest unit, for the test client."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from projects.models import Unit
    from projects.permissions import MANAGER, UNIT_STAFF, setup_roles

    groups = setup_roles()
    User = get_user_model()
    manager, _created = User.objects.get_or_create(username="bench-manager")
    clerk, _created = User.objects.get_or_create(username="bench-clerk")
    for user, role in ((manager, MANAGER), (clerk, UNIT_STAFF)):
        user.set_unusable_password()
        user.is_staff = True
        user.save()
        user.groups.set([groups[role]])
    unit = (
        Unit.objects.filter(projects__programme=programme)
        .annotate(n=Count("projects"))
        .order_by("-n", "code")
        .first()
    )
    clerk.units.set([unit])
    return manager, clerk, unit


def count_queries(fn) -> tuple[int, list]:
    from django.db import connections
    from django.test.utils import CaptureQueriesContext

    contexts = [CaptureQueriesContext(connections[alias]) for alias in connections]
    for context in contexts:
        context.__enter__()
    try:
        fn()
    finally:
        for context in contexts:
            context.__exit__(None, None, None)
    captured = [q for context in contexts for q in context.captured_queries]
    slowest = sorted(captured, key=lambda q: float(q["time"]), reverse=True)[:3]
    return len(captured), [
        {"ms": round(float(q["time"]) * 1000, 1), "sql": q["sql"][:400]} for q in slowest
    ]


def peak_memory_mb(fn) -> float:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def measure(name: str, fn, runs: int) -> Row:
    fn()  # warm-up: connections, caches, imports
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    queries, slowest = count_queries(fn)
    return Row(
        operation=name,
        median_ms=statistics.median(samples),
        min_ms=min(samples),
        max_ms=max(samples),
        queries=queries,
        slowest_queries=slowest,
        peak_mb=peak_memory_mb(fn),
        samples_ms=[round(s, 1) for s in samples],
    )


def fresh(fn, year: int):
    """``fn`` after a write of the year: its data version moves, so the report is computed."""
    from projects.models import DataVersion

    def call():
        DataVersion.objects.bump(years=[year])
        result = fn()
        call.last_status = getattr(fn, "last_status", 200)  # a file sent to the background
        return result

    return call


def first_pages(client, urls: list[str], year: int):
    """``urls`` read in turn on a database connection just opened, after a write of their
    year (their light strips computed): a worker's connection is opened again every
    ``DATABASE_CONN_MAX_AGE`` seconds, and its first pages plan their statements there
    (``query_plans.planned_once``)."""
    from django.db import connections

    pages = [fetch(client, url) for url in urls]

    def call():
        connections.close_all()
        return sum(page() for page in pages)

    return fresh(call, year)


def fetch(client, url: str, expect=(200,)):
    """GET a page or file and read all of it, as a browser would; returns bytes read."""

    def call():
        response = client.get(url, secure=True)
        if response.status_code not in expect:
            raise SystemExit(f"{url} answered {response.status_code}")
        # 202 or a redirect: the file is being built in the background.
        call.last_status = response.status_code
        if response.streaming:
            size = sum(len(chunk) for chunk in response.streaming_content)
        else:
            size = len(response.content)
        response.close()
        return size

    return call


def operations(programme, quarter: int, manager, clerk, unit):
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from projects import selectors
    from projects.models import Project
    from projects.permissions import WHOLE_DISTRICT
    from projects.selectors import RowWindow

    # A large workbook is built by a thread of this very process; left on, the bench's
    # own jobs would share the interpreter with the pages timed after them. The XLSX
    # row times what the manager waits for: the answer that the file is on its way.
    settings.EXPORT_JOBS_IN_PROCESS = False
    year = programme.year
    client = Client()
    client.force_login(manager)
    clerk_client = Client()
    clerk_client.force_login(clerk)
    report = reverse("quarterly_report", kwargs={"year": year, "quarter": quarter})
    base = f"{report}?programme={programme.code}"
    count = Project.objects.filter(programme=programme).count()
    last_page = max(1, math.ceil(count / 50))

    def export(fmt: str) -> str:
        url = reverse("export_report", kwargs={"year": year, "quarter": quarter, "fmt": fmt})
        return f"{url}?programme={programme.code}"

    codes = list(
        Project.objects.filter(programme=programme).order_by("code").values_list("code", flat=True)
    )
    project = codes[len(codes) // 2]
    six = codes[:6]
    last_month = quarter * 3

    def selector(window=None):
        return selectors.quarterly_report(
            user=WHOLE_DISTRICT, programme=programme, year=year, quarter=quarter, window=window
        )

    return [
        # Computed: each run follows a write (a bumped data version), as after a save.
        ("report selector", fresh(selector, year)),
        ("report page, first 50 rows", fresh(fetch(client, base), year)),
        (
            f"page sorted by rate, last page ({last_page})",
            fresh(fetch(client, f"{base}&p-sort=investment_rate&p-page={last_page}"), year),
        ),
        # Read again with no write between: the figures come from the cache.
        # The page's figures: headline, breakdowns and one page of rows (every row of a list
        # longer than ``report_cache.ROWS_UP_TO`` is never kept).
        ("report selector, repeated", lambda: selector(RowWindow())),
        ("report page, repeated", fetch(client, base)),
        # After the page, at the same data version: the files read its kept figures (合计,
        # coverage, breakdowns) and compute their rows alone.
        ("CSV", fetch(client, export("csv"))),
        ("JSON", fetch(client, export("json"))),
        # Right after a write: the figures are computed with the file, as no page read them.
        ("CSV, after a write", fresh(fetch(client, export("csv")), year)),
        ("JSON, after a write", fresh(fetch(client, export("json")), year)),
        # A workbook is kept once built (``Exporter.kept``): read again, then built after a write.
        ("XLSX", fetch(client, export("xlsx"), expect=(200, 202, 302))),
        ("XLSX, after a write", fresh(fetch(client, export("xlsx"), expect=(200, 202, 302)), year)),
        ("project page", fetch(client, reverse("project_detail", kwargs={"code": project}))),
        (
            "six project pages, a new connection's first",
            first_pages(client, [reverse("project_detail", kwargs={"code": c}) for c in six], year),
        ),
        (
            f"entry page ({unit.code}, {year}-{last_month:02d})",
            fetch(clerk_client, f"{reverse('entry')}?ym={year}-{last_month}"),
        ),
        *node_import_operations(codes, manager),
    ]


# Issue 26's target for a report read again with no write between (the cache's hit).
REPEATED_MS = 20.0

# Issue 21's target: a published period's page reads its edition within 1.2× of a plain
# SELECT of the list's rows.
EDITION_RATIO = 1.2


def edition_operations(programme, quarter: int, manager):
    """The published page: lock the quarter (which publishes edition 1), then time its page
    beside a plain SELECT of the projects' rows. ``undo_edition`` puts the bench's database
    back, so the next run times the live page again."""
    from django.test import Client
    from django.urls import reverse

    from projects import services
    from projects.models import Project

    services.lock_quarter(
        actor=manager, year=programme.year, quarter=quarter, reason="性能测试：发布版本"
    )
    client = Client()
    client.force_login(manager)
    url = reverse("quarterly_report", kwargs={"year": programme.year, "quarter": quarter})
    fields = [f.attname for f in Project._meta.concrete_fields]

    def plain_select():
        return len(list(Project.objects.filter(programme=programme).values_list(*fields)))

    return [
        (
            "published report page, first 50 rows",
            fetch(client, f"{url}?programme={programme.code}"),
        ),
        ("plain SELECT of the list's project rows", plain_select),
    ]


def undo_edition(programme, quarter: int, manager) -> None:
    from projects import services
    from projects.models import PublishedEdition

    services.unlock_quarter(
        actor=manager, year=programme.year, quarter=quarter, reason="性能测试结束"
    )
    # Editions are never removed by the app; this is the bench's own throwaway database.
    PublishedEdition.objects.filter(programme=programme).delete()


# Issue 25's target for the node import: 20,000 rows previewed and applied in under 10 s.
NODE_IMPORT_MS = 10_000


# The bench's node files: ten nodes a project, up to the 20,000 rows a file may hold.
NODE_NAMES = tuple(f"节点{i + 1}" for i in range(10))
NODE_FILE_ROWS = 19_999


def undo_node_import(programme) -> None:
    """Take the bench's imported nodes out again, with their history.

    Left in place, every later run measured other data: their planned dates (May and June
    of the list's year) are past and not completed, so 1,999 projects turned red for a
    late node, and the pages and files computed and wrote those signals and reasons. A
    run on freshly generated data then had none and the next one all of them (20,000 × 5:
    the computed page 911 → 1,321 ms, the JSON 591 → 743 ms, the floors unchanged).
    """
    from django.db import connection

    from projects.milestones.models import Milestone

    bench_nodes = {"project__programme": programme, "name__in": NODE_NAMES}
    Milestone.objects.filter(**bench_nodes).delete()
    # After the nodes: deleting them writes a history row each. The history table was
    # analysed empty at the run's start and now holds some 60,000 rows a run: planned on
    # those statistics, the DELETE's semi-join scanned the table once per row (minutes).
    history = Milestone.history.model._meta.db_table
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f'ANALYZE "{history}"')
    Milestone.history.filter(**bench_nodes).delete()


def node_import_operations(codes: list[str], manager):
    """Preview and apply a node file of 10 nodes a project (at most the 20,000 rows allowed).

    The two files move every node's planned date, so each timed apply changes every row.
    """
    import csv
    import io

    from projects.milestones.imports import import_nodes

    codes = codes[: NODE_FILE_ROWS // len(NODE_NAMES)]

    def node_file(month: int) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["项目编号", "节点", "序号", "计划完成", "实际完成", "责任单位"])
        for code in codes:
            for i, name in enumerate(NODE_NAMES):
                writer.writerow([code, name, (i + 1) * 10, f"2024-{month:02d}-{i + 1:02d}"])
        return out.getvalue().encode("utf-8")

    files = [node_file(5), node_file(6)]
    turn = [0]

    def preview():
        result = import_nodes(actor=manager, content=files[0], filename="nodes.csv", dry_run=True)
        assert not result.errors, result.errors[:3]

    def apply():
        turn[0] += 1
        result = import_nodes(actor=manager, content=files[turn[0] % 2], filename="nodes.csv")
        assert not result.errors, result.errors[:3]

    rows = len(codes) * 10
    return [
        (f"node import preview ({rows:,} rows)", preview),
        (f"node import apply ({rows:,} rows)", apply),
    ]


def floor_window(programme, quarter: int):
    from benchmarks.floors import Window
    from projects.models import ReportSettings

    settings = ReportSettings.current()
    return Window(
        programme_id=programme.pk,
        previous_id=programme.previous_id,
        year=programme.year,
        quarter=quarter,
        yellow_below=settings.yellow_below,
        red_below=settings.red_below,
    )


# The files' rows, timed against floor d ("CSV" and "CSV, after a write" alike).
FILES = ("CSV", "JSON", "XLSX")


# Issue #26's page targets, in its words: "page ≤ 1.5× the full floor and ≤ 2.5× the
# headline+unit+project floor; any sorted page ≤ 2×" (of the full floor). The full floor is
# all four (a+b+c+d: the headline, the units, the projects' sums and every column of their
# rows). Until the eighth pass the bench judged the page by the earlier round's stricter
# "≤ 1.5 × a+b+c" and the sorted page by "≤ 2 × a+b+c"; the ratio shown stays the one to
# a+b+c, so the table reads as before.
PAGE_FULL_RATIO = 1.5
PAGE_ABC_RATIO = 2.5
SORTED_FULL_RATIO = 2.0


def judge(rows: list[Row], floors: dict[str, Row], args, vendor: str) -> None:
    """Ratios to the floors and the scale issue's targets, met or missed, per row."""
    abc = sum(floors[k].median_ms for k in "abc")
    d = floors["d"].median_ms
    full = abc + d
    at_scale = (args.projects, args.years) == TARGET_SCALE and not args.demo
    where = "" if at_scale and vendor == "postgresql" else " (set for 20,000 × 5 on PostgreSQL)"
    for row in rows:
        name = row.operation
        if name in ("report selector",) or name.startswith(("report page", "page sorted")):
            row.floor, row.floor_ms = "a+b+c", abc
        elif name.startswith(FILES):
            row.floor, row.floor_ms = "d", d
        if row.floor_ms:
            row.ratio = row.median_ms / row.floor_ms
        if name.endswith(", repeated"):
            row.target, row.met = f"≤ {REPEATED_MS:.0f} ms", row.median_ms <= REPEATED_MS
        elif name.startswith("report page"):
            if args.demo:
                row.target, row.met = (
                    f"< {DEMO_PAGE_MS:.0f} ms at the demo",
                    (row.median_ms < DEMO_PAGE_MS),
                )
            else:
                row.target = (
                    f"≤ {PAGE_ABC_RATIO} × a+b+c, ≤ {PAGE_FULL_RATIO} × a+b+c+d "
                    f"({row.median_ms / full:.1f}×)" + where
                )
                row.met = (
                    row.median_ms <= PAGE_ABC_RATIO * abc
                    and row.median_ms <= PAGE_FULL_RATIO * full
                )
        elif name.startswith("page sorted"):
            row.target = (
                f"≤ {SORTED_FULL_RATIO:.0f} × a+b+c+d ({row.median_ms / full:.1f}×)" + where
            )
            row.met = row.median_ms <= SORTED_FULL_RATIO * full
        elif name.startswith(("CSV", "JSON")):
            # Issue #26: the files formatted where the rows are, within 1.5 × floor d.
            row.target = "≤ 1.5 × floor, < 50 MB" + where
            row.met = row.ratio <= 1.5 and row.peak_mb < 50
        elif name.startswith("XLSX"):
            row.target = "≤ 2,000 ms or in the background" + where
            row.met = row.median_ms <= 2000 or bool(row.note)
        elif name.startswith("node import"):
            row.target = f"< {NODE_IMPORT_MS:,} ms"
            row.met = row.median_ms < NODE_IMPORT_MS
    published = {r.operation: r for r in rows}
    page = published.get("published report page, first 50 rows")
    select = published.get("plain SELECT of the list's project rows")
    if page and select:
        page.floor, page.floor_ms = "SELECT", select.median_ms
        page.ratio = page.median_ms / select.median_ms
        page.target, page.met = f"≤ {EDITION_RATIO} × SELECT", page.ratio <= EDITION_RATIO


def base_name(operation: str) -> str:
    """The operation without its size-dependent detail ("last page (40)" -> "last page")."""
    return operation.split(" (", 1)[0]


def query_counts_elsewhere(rows: list[Row], vendor: str, label: str) -> dict[str, list[str]]:
    """Operations whose query count differs in this database's other results (other sizes).

    Item 5 asks for fixed query counts: the same number of queries whatever the size.
    """
    ours = {base_name(row.operation): row.queries for row in rows}
    differ: dict[str, list[str]] = {}
    for path in sorted(RESULTS.glob(f"{vendor}-*.json")):
        if path.stem == f"{vendor}-{label}":
            continue
        try:
            other = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        if (other.get("data") == "demo") != (label == "demo"):
            continue  # the demo's ledger has problems, nodes and tags the generated one lacks
        for row in other.get("operations", []):
            name = base_name(row["operation"])
            if name in ours and row["queries"] != ours[name]:
                differ.setdefault(name, []).append(f"{row['queries']} at {other.get('data')}")
    return differ


def print_table(rows: list[Row], floors: dict[str, Row], header: str) -> None:
    print()
    print(header)
    line = (
        f"{'operation':<44} {'median ms':>10} {'queries':>8} {'peak MB':>8} {'× floor':>9}  target"
    )
    print(line)
    print("-" * (len(line) + 30))
    for row in rows:
        ratio = f"{row.ratio:.1f}× {row.floor}" if row.ratio is not None else ""
        verdict = "" if row.met is None else ("met" if row.met else "MISSED")
        target = f"{verdict}: {row.target}" if row.target else ""
        if row.note:
            target = f"{target} ({row.note})"
        print(
            f"{row.operation:<44} {row.median_ms:>10,.1f} {row.queries:>8} "
            f"{row.peak_mb:>8.1f} {ratio:>9}  {target}"
        )
    for key, row in floors.items():
        print(
            f"{'floor ' + key + ': ' + row.operation:<44} {row.median_ms:>10,.1f} "
            f"{row.queries:>8} {row.peak_mb:>8.1f}"
        )
    abc = sum(floors[k].median_ms for k in "abc")
    print(f"{'floor a+b+c':<44} {abc:>10,.1f} {3:>8}")
    full = abc + floors["d"].median_ms
    print(f"{'floor a+b+c+d (the full floor)':<44} {full:>10,.1f} {4:>8}")


def git_commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def main(argv=None) -> int:
    args = parse_args(argv)
    url = bench_database_url(args)
    if url.startswith(("postgres://", "postgresql://")):
        create_postgres_database(url)
    setup_django(url)

    from django.db import connection

    from benchmarks import floors as floor_sql
    from projects import selectors
    from projects.permissions import WHOLE_DISTRICT

    programme = ensure_data(args)
    manager, clerk, unit = ensure_accounts(programme)
    settle(connection)
    vendor = connection.vendor
    window = floor_window(programme, args.quarter)

    report = selectors.quarterly_report(
        user=WHOLE_DISTRICT, programme=programme, year=programme.year, quarter=args.quarter
    )
    problems = floor_sql.check_against_app(report, window)
    if problems:
        print("The floors and the app disagree:\n  " + "\n  ".join(problems))
        return 1
    print(
        f"floors agree with the app on {len(report.rows):,} projects "
        f"({programme.code}, {programme.year} Q{args.quarter})"
    )
    del report

    wanted = tuple(p.strip() for p in args.only.split(",") if p.strip())

    def chosen(name: str) -> bool:
        return not wanted or name.startswith(wanted)

    rows = []
    for name, fn in operations(programme, args.quarter, manager, clerk, unit):
        if not chosen(name):
            continue
        print(f"  timing {name} …", flush=True)
        row = measure(name, fn, args.runs)
        status = getattr(fn, "last_status", 200)
        if status != 200:
            row.note = f"answered {status}: built in the background"
        rows.append(row)
    undo_node_import(programme)
    try:
        for name, fn in edition_operations(programme, args.quarter, manager):
            if not chosen(name):
                continue
            print(f"  timing {name} …", flush=True)
            rows.append(measure(name, fn, args.runs))
    finally:
        undo_edition(programme, args.quarter, manager)
    floors = {}
    for key, (name, _sql) in floor_sql.FLOORS.items():
        floors[key] = measure(name, lambda key=key: floor_sql.run(key, window), args.runs)
    judge(rows, floors, args, vendor)

    server = connection.cursor().connection.info.server_version if vendor == "postgresql" else ""
    header = (
        f"{vendor} {server} · {size_label(args)} · {programme.code} {programme.year} "
        f"Q{args.quarter} · median of {args.runs} runs after a warm-up"
    )
    print_table(rows, floors, header)
    photos = photo_memory.measure(DATA / "photos")
    photo_memory.print_table(photos)
    differ = query_counts_elsewhere(rows, vendor, size_label(args))
    own = f"{vendor}-{size_label(args)}"
    compared = sorted(
        p.stem
        for p in RESULTS.glob(f"{vendor}-*.json")
        if p.stem != own and (p.stem.endswith("-demo") == own.endswith("-demo"))
    )
    if differ:
        for name, counts in differ.items():
            print(f"query count of {name} differs from other sizes: {', '.join(counts)}")
    elif compared:
        print(f"query counts the same as in {', '.join(compared)}")
    # A partial run (--only) never stands in for the full table of its size.
    suffix = "-partial" if wanted else ""
    output = args.output or RESULTS / f"{vendor}-{size_label(args)}{suffix}.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    result = {
        "database": vendor,
        "server_version": server,
        "data": size_label(args),
        "projects_per_year": None if args.demo else args.projects,
        "years": None if args.demo else args.years,
        "programme": programme.code,
        "period": f"{programme.year} Q{args.quarter}",
        "runs": args.runs,
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": git_commit(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        # The machine's Python speed, so runs on different machines can be told apart.
        "reference_loop_ms": reference_loop_ms(),
        "floors_agree_with_app": True,
        "query_counts_differing_from_other_sizes": differ,
        "operations": [asdict(row) for row in rows],
        "floors": {key: asdict(row) for key, row in floors.items()},
        "floor_abc_ms": sum(floors[k].median_ms for k in "abc"),
        "floor_full_ms": sum(floors[k].median_ms for k in "abcd"),
        "photo_upload_peak_mb": photos,
    }
    output.write_text(json.dumps(result, ensure_ascii=False, indent=2, default=str) + "\n")
    print(f"\nwritten to {output.relative_to(ROOT) if output.is_relative_to(ROOT) else output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
