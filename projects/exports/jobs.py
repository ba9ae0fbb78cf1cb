"""Making a requested report file outside the request: the worker's half of an export job.

The web process queues a job (``services.export_job_request``); a worker claims
it, renders the file through the same registry as a direct download and keeps it
in the exports storage. The worker is ``manage.py run_export_jobs`` (any number,
on any server) or, for a single server, a thread the view starts after the
job's row is committed. No broker: the job table is the queue.
"""

from __future__ import annotations

import logging
import os
import socket
import threading

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils.translation import gettext as _

from ..models import ExportJob, Programme
from ..services.exports import (
    export_job_beat,
    export_job_claim,
    export_job_fail,
    export_job_finish,
)
from . import export_report_file

log = logging.getLogger(__name__)


def worker_name() -> str:
    """Who holds a lease: the machine, the process and the thread."""
    return f"{socket.gethostname()}:{os.getpid()}:{threading.current_thread().name}"


class Heartbeat:
    """Renews a job's lease from a thread of its own while the file is being made."""

    def __init__(self, job: ExportJob):
        self.job = job
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._beat, name=f"beat-{job.pk}", daemon=True)

    def _beat(self):
        every = settings.EXPORT_JOB_LEASE_SECONDS / 3
        try:
            while not self.stopped.wait(every):
                export_job_beat(job=self.job)
        finally:
            connection.close()

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopped.set()
        self.thread.join()


def run_job(job: ExportJob) -> ExportJob:
    """Render a claimed job's file and record the outcome; a failure is kept, not raised."""
    with Heartbeat(job):
        return _run(job)


def _run(job: ExportJob) -> ExportJob:
    params = job.params
    try:
        programme = Programme.objects.filter(year=params["year"], code=params["programme"]).first()
        if programme is None:
            raise LookupError(
                _("the list %(code)s for %(year)s no longer exists")
                % {"code": params["programme"], "year": params["year"]}
            )
        export = export_report_file(
            # The file holds what its requester may read, as the page would have.
            user=job.requester,
            programme=programme,
            year=params["year"],
            quarter=params.get("quarter"),
            month=params.get("month"),
            fmt=params["fmt"],
            table=params.get("table", "projects"),
            filters=params.get("filters") or None,
        )
    except Exception as exc:  # the requester reads why; the log keeps the trace
        log.exception("export job %s failed", job.pk)
        reason = str(exc) if isinstance(exc, LookupError) else exc.__class__.__name__
        export_job_fail(
            job=job,
            error=_("The file could not be made: %(reason)s. Ask for it again or tell the office.")
            % {"reason": reason},
        )
        return job
    export_job_finish(
        job=job, content=export.content, filename=export.filename, content_type=export.content_type
    )
    return job


def run_next(pk: int | None = None) -> ExportJob | None:
    """Claim and run one queued job (job ``pk`` only, if given); None when there was none."""
    job = export_job_claim(worker=worker_name(), pk=pk)
    return None if job is None else run_job(job)


def start_in_thread(pk: int) -> threading.Thread:
    """Run job ``pk`` in a thread of this process (single-server setups)."""

    def work():
        close_old_connections()
        try:
            run_next(pk)
        finally:
            connection.close()

    thread = threading.Thread(target=work, name=f"export-job-{pk}", daemon=True)
    thread.start()
    return thread
