"""What the report page's tables and filters cost, as a share of the page (issue #26 item 5).

    python -m benchmarks.table_cost --demo                  # the 147-project demo
    python -m benchmarks.table_cost --projects 20000        # generated scale data, SQLite

The same database as ``benchmarks.run`` (generated or loaded when missing). The page is
fetched through Django's test client as a manager, once to warm up and then ``--runs``
times, each right after a write of the year (its data version bumped, as ``make bench``'s
computed page): read again with no write between, the page's sections are kept HTML
(``web.report_body``) and no table is drawn, so a read again would say the tables cost
nothing. Around each fetch, the time spent inside the table code (building the tables,
their headings, rows and footers) and inside the filter boxes' drawing is summed, outermost
calls only. The names wrapped are those of the code before the tables2 tables too
(``with_classes``, ``headers``…), so the script measures either side of that change.
"""

from __future__ import annotations

import statistics
import sys
import time

from benchmarks.run import (
    bench_database_url,
    create_postgres_database,
    ensure_accounts,
    ensure_data,
    parse_args,
    setup_django,
)

# (module, attribute, bucket): whatever of these exists is timed.
WRAPPED = (
    ("projects.web.reports", "with_classes", "tables"),
    ("projects.web.reports", "headers", "tables"),
    ("projects.web.reports", "print_only_outside", "tables"),
    ("projects.web.reports", "project_table", "tables"),
    ("projects.web.reports", "BreakdownTable", "tables"),
    ("projects.web.reports", "breakdown_footer", "tables"),
    # Where the page's sections are drawn now (``web.report_body``, when not kept). What
    # django-tables2 itself does, making each table (its columns copied and bound) and its
    # headings, is apart from the cells, which the page's own formatting functions write
    # (``html_rows``: amounts, rate bars, lights), as any table of these rows would.
    ("projects.web.report_body", "project_table", "tables2"),
    ("projects.web.report_body", "BreakdownTable", "tables2"),
    ("projects.web.page_tables.PageTable", "headers", "tables2"),
    ("projects.web.report_body", "breakdown_footer", "tables"),
    ("projects.web.report_body", "header_row", "tables"),
    ("projects.web.report_body", "filter_form", "filters"),
    ("projects.web.page_tables.PageTable", "html_rows", "tables"),
    ("projects.filters.ManyOptionsSelect", "render", "filters"),
    ("projects.filters.ReferenceWidget", "render", "filters"),
)


BUCKETS = ("tables", "tables2", "filters")


class Clock:
    def __init__(self):
        self.spent = dict.fromkeys(BUCKETS, 0.0)
        self.depth = 0

    def wrap(self, fn, bucket):
        def timed(*args, **kwargs):
            if self.depth:
                return fn(*args, **kwargs)
            self.depth += 1
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.spent[bucket] += time.perf_counter() - start
                self.depth -= 1

        return timed


def install(clock: Clock) -> list[str]:
    import importlib

    done = []
    for path, name, bucket in WRAPPED:
        module_path, _, owner_name = path.rpartition(".")
        try:
            owner = importlib.import_module(path)
        except ImportError:
            try:
                owner = getattr(importlib.import_module(module_path), owner_name, None)
            except ImportError:  # the other side of the change
                owner = None
        if owner is None or not hasattr(owner, name):
            continue
        setattr(owner, name, clock.wrap(getattr(owner, name), bucket))
        done.append(f"{path}.{name}")
    return done


def main(argv=None) -> int:
    args = parse_args(argv)
    url = bench_database_url(args)
    if url.startswith(("postgres://", "postgresql://")):
        create_postgres_database(url)
    setup_django(url)
    from django.test import Client
    from django.urls import reverse

    from projects.models import DataVersion

    programme = ensure_data(args)
    manager, _clerk, _unit = ensure_accounts(programme)
    clock = Clock()
    print("timing:", ", ".join(install(clock)))
    client = Client()
    client.force_login(manager)
    base = reverse("quarterly_report", kwargs={"year": programme.year, "quarter": args.quarter})
    pages = {
        "report page, first 50 rows": f"{base}?programme={programme.code}",
        "page sorted by rate, page 3 of 100": (
            f"{base}?programme={programme.code}&p-sort=-investment_rate&p-page=3&p-per_page=100"
        ),
    }
    print(
        f"{'page (computed after a write)':40} {'page ms':>9} {'tables ms':>10} {'share':>7} "
        f"{'of which tables2 ms':>20} {'share':>7} {'filters ms':>11}"
    )
    for name, address in pages.items():
        client.get(address, secure=True)
        page_ms, table_ms, own_ms, filter_ms = [], [], [], []
        for _run in range(args.runs):
            DataVersion.objects.bump(years=[programme.year])
            clock.spent = dict.fromkeys(BUCKETS, 0.0)
            start = time.perf_counter()
            response = client.get(address, secure=True)
            page_ms.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, response.status_code
            table_ms.append((clock.spent["tables"] + clock.spent["tables2"]) * 1000)
            own_ms.append(clock.spent["tables2"] * 1000)
            filter_ms.append(clock.spent["filters"] * 1000)
        page, tables, own, filters = (
            statistics.median(v) for v in (page_ms, table_ms, own_ms, filter_ms)
        )
        print(
            f"{name:40} {page:9.1f} {tables:10.1f} {tables / page:7.1%} "
            f"{own:20.1f} {own / page:7.1%} {filters:11.1f}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
