"""Benchmark the quarterly report at province scale on a scratch database.

Builds a throw-away copy of the schema (Django's test-database machinery, so
the real data is never touched), fills it with synthetic projects and monthly
rows, then times the report selector and the exports and records peak Python
memory. Targets are checked here, not in timed tests.
"""

import datetime as dt
import random
import statistics
import time
import tracemalloc
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext

from projects.exports import render_report
from projects.models import (
    Category,
    MonthlyProgress,
    Programme,
    Project,
    QuarterPlan,
    Street,
    Unit,
)
from projects.selectors import quarterly_report

BATCH = 5000


class Command(BaseCommand):
    help = "Time the quarterly report and exports on synthetic data in a scratch database."

    def add_arguments(self, parser):
        parser.add_argument("--projects", type=int, default=20_000)
        parser.add_argument(
            "--years", type=int, default=5, help="years of monthly rows per project (12 each)"
        )
        parser.add_argument("--runs", type=int, default=5)
        parser.add_argument(
            "--target-ms", type=float, default=300.0, help="median report time to stay under"
        )
        parser.add_argument(
            "--target-mb", type=float, default=256.0, help="peak Python memory to stay under"
        )

    def handle(self, *args, projects, years, runs, target_ms, target_mb, **options):
        if projects < 1 or years < 1 or runs < 1:
            raise CommandError("--projects, --years and --runs must be positive")
        old_name = connection.settings_dict["NAME"]
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            programme = self._fill(projects, years)
            results = self._measure(programme, runs)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
        self._print(results, projects, years, target_ms, target_mb)
        report_ms = results["report"][0]
        if report_ms > target_ms or results["peak_mb"] > target_mb:
            raise CommandError(
                f"over target: report {report_ms:.0f} ms (target {target_ms:.0f}), "
                f"peak memory {results['peak_mb']:.0f} MB (target {target_mb:.0f})"
            )

    def _fill(self, project_count: int, years: int) -> Programme:
        rng = random.Random(7)
        started = time.perf_counter()
        units = Unit.objects.bulk_create(
            Unit(code=f"U{i:03d}", name=f"单位{i:03d}") for i in range(120)
        )
        streets = Street.objects.bulk_create(
            Street(code=f"S{i:03d}", name=f"街道{i:03d}") for i in range(40)
        )
        categories = Category.objects.bulk_create(
            Category(code=f"C{i:02d}", name=f"类别{i:02d}") for i in range(10)
        )
        last_year = 2024
        first_year = last_year - years + 1
        previous = None
        for year in range(first_year, last_year + 1):
            previous = Programme.objects.create(
                code=f"B{year}", name=f"{year}年基准清单", year=year, previous=previous
            )
        programme = previous
        for start in range(0, project_count, BATCH):
            batch = []
            for i in range(start, min(start + BATCH, project_count)):
                new = i % 3 != 0
                planned = dt.date(last_year, rng.randint(1, 12), rng.randint(1, 28))
                batch.append(
                    Project(
                        code=f"B{i:06d}",
                        name=f"基准项目{i}",
                        programme=programme,
                        category=categories[i % len(categories)],
                        unit=units[i % len(units)],
                        street=streets[i % len(streets)],
                        kind=Project.Kind.NEW if new else Project.Kind.CONTINUING,
                        total_investment=Decimal(rng.randint(1000, 500000)),
                        planned_start=planned if new else None,
                        actual_start=planned if new and rng.random() < 0.7 else None,
                        joined_on=dt.date(last_year, 1, 1),
                    )
                )
            Project.objects.bulk_create(batch)
        project_ids = list(Project.objects.values_list("pk", flat=True))
        for start in range(0, len(project_ids), BATCH):
            QuarterPlan.objects.bulk_create(
                QuarterPlan(
                    project_id=pk,
                    year=last_year,
                    **{f"investment_q{q}": Decimal(rng.randint(0, 9000)) for q in (1, 2, 3, 4)},
                    **{f"inclusion_q{q}": Decimal(rng.randint(0, 7000)) for q in (1, 2, 3, 4)},
                )
                for pk in project_ids[start : start + BATCH]
            )
        rows = []
        for pk in project_ids:
            for year in range(first_year, last_year + 1):
                for month in range(1, 13):
                    rows.append(
                        MonthlyProgress(
                            project_id=pk,
                            year=year,
                            month=month,
                            investment=Decimal(rng.randint(0, 300000)) / 100,
                            inclusion=Decimal(rng.randint(0, 250000)) / 100,
                        )
                    )
                    if len(rows) >= BATCH:
                        MonthlyProgress.objects.bulk_create(rows)
                        rows = []
        MonthlyProgress.objects.bulk_create(rows)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # What autovacuum does to a settled table: fresh statistics and visibility map.
                cursor.execute("VACUUM ANALYZE")
        self.stdout.write(
            f"filled {project_count:,} projects and {len(project_ids) * years * 12:,} monthly "
            f"rows on {connection.vendor} in {time.perf_counter() - started:.1f} s"
        )
        return programme

    def _measure(self, programme: Programme, runs: int) -> dict:
        def timed(fn):
            fn()  # warm caches and connections
            samples = []
            for _ in range(runs):
                started = time.perf_counter()
                fn()
                samples.append((time.perf_counter() - started) * 1000)
            return statistics.median(samples), max(samples)

        def report():
            return quarterly_report(programme=programme, year=programme.year, quarter=4)

        results = {"report": timed(report)}
        with CaptureQueriesContext(connection) as queries:
            built = report()
        results["queries"] = len(queries)
        results["query_times"] = sorted(
            ((float(q["time"]) * 1000, q["sql"][:90]) for q in queries.captured_queries),
            reverse=True,
        )
        for fmt in ("csv", "json", "xlsx"):
            results[fmt] = timed(lambda fmt=fmt: render_report(built, fmt))
        reset_queries()
        tracemalloc.start()
        render_report(report(), "csv")
        results["peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        return results

    def _print(self, results, projects, years, target_ms, target_mb):
        self.stdout.write(f"quarterly report, Q4 of {projects:,} projects ({years} years of rows):")
        median, worst = results["report"]
        self.stdout.write(
            f"  report selector   median {median:8.1f} ms  max {worst:8.1f} ms  "
            f"({results['queries']} queries; target {target_ms:.0f} ms)"
        )
        for ms, sql in results["query_times"][:3]:
            self.stdout.write(f"    query {ms:8.1f} ms  {sql}")
        for fmt in ("csv", "json", "xlsx"):
            median, worst = results[fmt]
            self.stdout.write(f"  render {fmt:<10} median {median:8.1f} ms  max {worst:8.1f} ms")
        self.stdout.write(
            f"  peak Python memory, report + CSV: {results['peak_mb']:.1f} MB "
            f"(target {target_mb:.0f} MB)"
        )
