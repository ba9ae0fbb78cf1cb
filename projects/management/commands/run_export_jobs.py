"""Make queued report files (large workbooks): the worker of the export jobs."""

import time

from django.core.management.base import BaseCommand

from projects.exports.jobs import run_next
from projects.services import export_jobs_expire


class Command(BaseCommand):
    help = "Make queued report files; runs until stopped, or once with --once."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run the queued jobs, then stop.")
        parser.add_argument(
            "--poll", type=float, default=2.0, help="Seconds to wait when the queue is empty."
        )

    def handle(self, *args, once, poll, **options):
        # Files past EXPORT_JOBS_KEEP_DAYS go first; jobs of stopped workers are taken back
        # by every claim.
        expired = export_jobs_expire()
        if expired:
            self.stdout.write(f"{expired} old report files removed")
        while True:
            job = run_next()
            if job is not None:
                self.stdout.write(f"job {job.pk}: {job.status}")
                continue
            if once:
                return
            time.sleep(poll)
