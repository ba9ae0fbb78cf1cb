"""Remove report files older than EXPORT_JOBS_KEEP_DAYS and take back jobs of stopped workers."""

from django.core.management.base import BaseCommand

from projects.services import export_jobs_expire, export_jobs_take_back


class Command(BaseCommand):
    help = (
        "Remove finished report-file jobs older than EXPORT_JOBS_KEEP_DAYS with their files, "
        "and requeue or fail running jobs whose worker stopped."
    )

    def handle(self, *args, **options):
        taken_back = export_jobs_take_back()
        removed = export_jobs_expire()
        self.stdout.write(
            f"{removed} old report files removed; {taken_back} stalled jobs taken back"
        )
