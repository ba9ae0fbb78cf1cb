"""Report-file jobs: asking for one, claiming it, and recording how it ended.

Claims lock the job's row (``SKIP LOCKED`` on PostgreSQL), so any number of
workers, threads or servers can poll the same table and each job runs once.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from ..models import ExportJob
from ..permissions import EXPORT_REPORTS


def export_job_request(*, actor, params: dict) -> ExportJob:
    """A queued job for ``actor``, who must be allowed to download report files."""
    if not actor.has_perm(EXPORT_REPORTS):
        raise PermissionError("may not download report files")
    return ExportJob.objects.create(requester=actor, params=params)


def export_job_claim(*, pk: int | None = None) -> ExportJob | None:
    """The oldest queued job (or job ``pk`` if still queued), marked running; None if none."""
    with transaction.atomic():
        queued = ExportJob.objects.select_for_update(skip_locked=True).filter(
            status=ExportJob.Status.QUEUED
        )
        if pk is not None:
            queued = queued.filter(pk=pk)
        job = queued.order_by("created_at", "pk").first()
        if job is None:
            return None
        job.status = ExportJob.Status.RUNNING
        job.started_at = timezone.now()
        job.save(update_fields=["status", "started_at"])
    return job


def export_job_finish(*, job: ExportJob, content: bytes, filename: str, content_type: str):
    """Keep the file in the exports storage and mark the job ready."""
    job.file.save(f"job-{job.pk}.{job.params.get('fmt', 'bin')}", ContentFile(content), save=False)
    job.filename, job.content_type = filename, content_type
    job.status, job.finished_at, job.error = ExportJob.Status.DONE, timezone.now(), ""
    job.save(update_fields=["file", "filename", "content_type", "status", "finished_at", "error"])


def export_job_fail(*, job: ExportJob, error: str):
    """Mark the job failed with the reason the requester will read."""
    job.status, job.finished_at, job.error = ExportJob.Status.FAILED, timezone.now(), error
    job.save(update_fields=["status", "finished_at", "error"])
