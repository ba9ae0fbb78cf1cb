"""Report-file jobs: asking for one, claiming it under a lease, and recording how it ended.

Claims lock the job's row (``SKIP LOCKED`` on PostgreSQL), so any number of
workers, threads or servers can poll the same table and each job runs once. A
claim is a lease: the worker beats while it renders, and a running job whose
beat stopped (its worker was killed, its server restarted) is taken back by the
next claim or by the page that polls it, queued again or failed, never left
"running" for ever.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..late_storage import save_file
from ..models import ExportJob
from ..permissions import EXPORT_REPORTS

log = logging.getLogger(__name__)


def export_job_request(*, actor, params: dict) -> ExportJob:
    """A queued job for ``actor``, who must be allowed to download report files."""
    if not actor.has_perm(EXPORT_REPORTS):
        raise PermissionError("may not download report files")
    return ExportJob.objects.create(requester=actor, params=params)


def export_job_retry(*, actor, job: ExportJob) -> ExportJob:
    """A new job asking for the same file as ``job`` (the requester's own, failed or not)."""
    if job.requester_id != actor.pk:
        raise PermissionError("not this person's job")
    return export_job_request(actor=actor, params=job.params)


def _lease_ended_before() -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=settings.EXPORT_JOB_LEASE_SECONDS)


def export_jobs_take_back() -> int:
    """Running jobs whose worker stopped beating: queued again, or failed after the last try.

    Returns how many were taken back. Safe to call from any worker or page at any time.
    """
    stale = ExportJob.objects.filter(
        status=ExportJob.Status.RUNNING, heartbeat_at__lt=_lease_ended_before()
    )
    failed = stale.filter(attempts__gte=settings.EXPORT_JOB_ATTEMPTS).update(
        status=ExportJob.Status.FAILED,
        finished_at=timezone.now(),
        worker="",
        error=_(
            "The file could not be made: the process making it stopped (%(tries)s tries). "
            "Ask for it again or tell the office."
        )
        % {"tries": settings.EXPORT_JOB_ATTEMPTS},
    )
    queued = stale.filter(attempts__lt=settings.EXPORT_JOB_ATTEMPTS).update(
        status=ExportJob.Status.QUEUED, worker=""
    )
    if failed or queued:
        log.warning(
            "export jobs taken back from stopped workers: %s requeued, %s failed", queued, failed
        )
    return failed + queued


def export_job_claim(*, worker: str, pk: int | None = None) -> ExportJob | None:
    """The oldest queued job (or job ``pk`` if still queued), leased to ``worker``; None if none."""
    export_jobs_take_back()
    with transaction.atomic():
        queued = ExportJob.objects.select_for_update(skip_locked=True).filter(
            status=ExportJob.Status.QUEUED
        )
        if pk is not None:
            queued = queued.filter(pk=pk)
        job = queued.order_by("created_at", "pk").first()
        if job is None:
            return None
        now = timezone.now()
        job.status = ExportJob.Status.RUNNING
        job.started_at = job.heartbeat_at = now
        job.worker = worker[:100]
        job.attempts += 1
        job.save(update_fields=["status", "started_at", "heartbeat_at", "worker", "attempts"])
    return job


def export_job_beat(*, job: ExportJob) -> bool:
    """Renew ``job``'s lease; False when the job is no longer this worker's to finish."""
    return bool(
        ExportJob.objects.filter(
            pk=job.pk, status=ExportJob.Status.RUNNING, worker=job.worker
        ).update(heartbeat_at=timezone.now())
    )


def export_job_finish(*, job: ExportJob, content: bytes, filename: str, content_type: str):
    """Keep the file in the exports storage and mark the job ready.

    A storage that refuses the file (a full disk) fails the job with a reason instead of
    leaving it running; a file cut short is removed.
    """
    name = f"job-{job.pk}.{job.params.get('fmt', 'bin')}"
    try:
        save_file(job.file, name, content)
    except OSError:
        log.exception("export job %s: the exports storage refused the file", job.pk)
        export_job_fail(
            job=job,
            error=_(
                "The file could not be stored (the server's storage is full or unavailable). "
                "Ask for it again later or tell the office."
            ),
        )
        return
    job.filename, job.content_type = filename, content_type
    job.status, job.finished_at, job.error = ExportJob.Status.DONE, timezone.now(), ""
    job.save(update_fields=["file", "filename", "content_type", "status", "finished_at", "error"])


def export_job_fail(*, job: ExportJob, error: str):
    """Mark the job failed with the reason the requester will read."""
    job.status, job.finished_at, job.error = ExportJob.Status.FAILED, timezone.now(), error
    job.save(update_fields=["status", "finished_at", "error"])


def export_jobs_expire(*, now: dt.datetime | None = None) -> int:
    """Remove finished jobs (and their files) older than EXPORT_JOBS_KEEP_DAYS; how many."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.EXPORT_JOBS_KEEP_DAYS)
    old = ExportJob.objects.filter(
        status__in=(ExportJob.Status.DONE, ExportJob.Status.FAILED), finished_at__lt=cutoff
    )
    count = 0
    for job in old.iterator():
        if job.file:
            job.file.delete(save=False)
        job.delete()
        count += 1
    return count
