"""Benchmark the quarterly report at province scale on a scratch database.

Builds a throw-away copy of the schema (Django's test-database machinery, so
the real data is never touched), fills it with synthetic projects and monthly
rows, then times the report selector and the exports and records peak Python
memory. Targets are checked here, not in timed tests.
"""

import statistics
import time
import tracemalloc

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext

from projects import scale
from projects.exports import render_report
from projects.models import Programme
from projects.selectors import quarterly_report


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
        call_command("generate_scale_data", projects=project_count, years=years, stdout=self.stdout)
        return (
            Programme.objects.filter(code__startswith=scale.CODE_PREFIX).order_by("-year").first()
        )

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
