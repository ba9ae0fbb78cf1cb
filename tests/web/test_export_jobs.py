"""A workbook of more rows than EXPORT_BACKGROUND_ROWS is made in the background.

The request queues a job and sends the requester to its page; a worker
(``run_export_jobs`` or a thread) makes the file into the exports storage; the
page then offers the download. Only the requester sees the job or its file.
"""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from projects import services
from projects.exports import jobs
from projects.models import ExportJob
from tests.factories import ProgrammeFactory
from tests.full_storage import full
from tests.reporting import bulk_projects

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_threshold(settings, tmp_path):
    settings.EXPORT_BACKGROUND_ROWS = 5
    settings.EXPORT_JOBS_IN_PROCESS = False
    settings.STORAGES = {
        **settings.STORAGES,
        "exports": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "exports")},
        },
    }


def test_a_large_workbook_is_queued_made_by_the_worker_and_downloaded(manager_client):
    programme, _ = bulk_projects(12, programme=ProgrammeFactory(year=2024))
    response = manager_client.get("/reports/2024/q1.xlsx?kind=new")
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/exports/{job.pk}/"
    assert job.params["filters"] == {"kind": "new"} and job.params["programme"] == programme.code
    page = manager_client.get(f"/exports/{job.pk}/").content.decode()
    assert "后台生成" in page and 'http-equiv="refresh"' in page
    # Not ready yet: the download link leads back to the page.
    assert manager_client.get(f"/exports/{job.pk}/download/").status_code == 302

    call_command("run_export_jobs", "--once", stdout=io.StringIO())
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE and job.filename.endswith(".xlsx")
    page = manager_client.get(f"/exports/{job.pk}/").content.decode()
    assert "文件已生成" in page and 'http-equiv="refresh"' not in page
    download = manager_client.get(f"/exports/{job.pk}/download/")
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    assert download["Cache-Control"] == "private, no-store"
    workbook = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    projects = workbook["项目明细"]
    codes = [row[0] for row in projects.iter_rows(min_row=2, values_only=True)][:-1]
    assert len(codes) == 6  # the new-start half of the twelve, as filtered


def test_a_small_workbook_is_sent_at_once(manager_client):
    bulk_projects(3, programme=ProgrammeFactory(year=2024))
    response = manager_client.get("/reports/2024/q1.xlsx")
    assert response.status_code == 200
    assert not ExportJob.objects.exists()


def test_only_the_requester_sees_the_job_and_its_file(
    manager_client, viewer_client, staff_a_client
):
    bulk_projects(8, programme=ProgrammeFactory(year=2024))
    manager_client.get("/reports/2024/q1.xlsx")
    job = ExportJob.objects.get()
    jobs.run_next()
    assert viewer_client.get(f"/exports/{job.pk}/").status_code == 404
    assert viewer_client.get(f"/exports/{job.pk}/download/").status_code == 404
    assert staff_a_client.get(f"/exports/{job.pk}/download/").status_code == 403


def test_a_failed_job_says_why(manager_client, monkeypatch):
    bulk_projects(8, programme=ProgrammeFactory(year=2024))
    manager_client.get("/reports/2024/q1.xlsx")
    job = ExportJob.objects.get()

    def broken(**kwargs):
        raise MemoryError

    monkeypatch.setattr(jobs, "export_report_file", broken)
    jobs.run_next()
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED
    page = manager_client.get(f"/exports/{job.pk}/").content.decode()
    assert "文件未能生成" in page and "MemoryError" in page


def test_a_job_runs_once_however_many_workers_poll():
    assert jobs.run_next() is None


def test_the_job_flow_uses_the_same_number_of_queries_for_10_and_300_projects(manager_client):
    counts = []
    for n, prefix, year in ((10, "S", 2024), (300, "L", 2025)):
        bulk_projects(n, programme=ProgrammeFactory(year=year), prefix=prefix)
        manager_client.get(f"/reports/{year}/q1/")  # warm the session and the settings row
        with CaptureQueriesContext(connection) as request:
            response = manager_client.get(f"/reports/{year}/q1.xlsx")
        job = ExportJob.objects.get(pk=response["Location"].split("/")[-2])
        with CaptureQueriesContext(connection) as work:
            jobs.run_next(job.pk)
        with CaptureQueriesContext(connection) as download:
            b"".join(manager_client.get(f"/exports/{job.pk}/download/").streaming_content)
        counts.append((len(request), len(work), len(download)))
    assert counts[0] == counts[1]


def test_a_single_server_starts_the_job_in_a_thread_once_the_row_is_committed(
    manager_client, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.EXPORT_JOBS_IN_PROCESS = True
    started = []
    monkeypatch.setattr("projects.web.reports.start_in_thread", started.append)
    bulk_projects(8, programme=ProgrammeFactory(year=2024))
    with django_capture_on_commit_callbacks(execute=True):
        manager_client.get("/reports/2024/q1.xlsx")
    assert started == [ExportJob.objects.get().pk]


def test_the_thread_runs_the_job_it_was_given(monkeypatch):
    ran = []
    monkeypatch.setattr(jobs, "run_next", ran.append)
    monkeypatch.setattr(jobs.connection, "close", lambda: None)
    jobs.start_in_thread(41).join(timeout=5)
    assert ran == [41]


# ------------------------------------------------------------ leases, faults, retention


def _queued_job(manager_client):
    bulk_projects(8, programme=ProgrammeFactory(year=2024))
    manager_client.get("/reports/2024/q1.xlsx")
    return ExportJob.objects.get()


def _worker_killed_mid_job(job, settings):
    """What a killed worker leaves: the job running, its last beat a lease and more ago."""
    claimed = services.export_job_claim(worker="app1:4242:MainThread", pk=job.pk)
    ExportJob.objects.filter(pk=claimed.pk).update(
        heartbeat_at=timezone.now() - dt.timedelta(seconds=settings.EXPORT_JOB_LEASE_SECONDS + 1)
    )


def test_a_job_whose_worker_was_killed_is_run_again_by_the_next_worker(manager_client, settings):
    job = _queued_job(manager_client)
    _worker_killed_mid_job(job, settings)
    assert jobs.run_next() is not None
    job.refresh_from_db()
    assert (job.status, job.attempts) == (ExportJob.Status.DONE, 2)


def test_a_job_that_keeps_losing_its_worker_fails_with_a_reason_and_a_retry_button(
    manager_client, settings
):
    settings.EXPORT_JOB_ATTEMPTS = 1
    job = _queued_job(manager_client)
    _worker_killed_mid_job(job, settings)
    # The page that polls notices it: no "being made" for ever.
    page = manager_client.get(f"/exports/{job.pk}/").content.decode()
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED
    assert "生成文件的进程已中断" in page and 'http-equiv="refresh"' not in page
    assert "重新生成文件" in page
    again = manager_client.post(f"/exports/{job.pk}/retry/")
    new = ExportJob.objects.exclude(pk=job.pk).get()
    assert again["Location"] == f"/exports/{new.pk}/"
    assert (new.status, new.params) == (ExportJob.Status.QUEUED, job.params)


def test_a_live_worker_keeps_its_lease_by_beating(manager_client, settings):
    job = _queued_job(manager_client)
    claimed = services.export_job_claim(worker="app1:1:MainThread", pk=job.pk)
    ExportJob.objects.filter(pk=job.pk).update(
        heartbeat_at=timezone.now() - dt.timedelta(seconds=settings.EXPORT_JOB_LEASE_SECONDS - 1)
    )
    assert services.export_job_beat(job=claimed) is True
    assert services.export_jobs_take_back() == 0
    job.refresh_from_db()
    assert job.status == ExportJob.Status.RUNNING and job.worker == "app1:1:MainThread"


def test_only_the_requester_can_ask_again(manager_client, viewer_client):
    job = _queued_job(manager_client)
    assert viewer_client.post(f"/exports/{job.pk}/retry/").status_code == 404
    assert ExportJob.objects.count() == 1


def test_a_full_disk_fails_the_job_with_a_reason_and_leaves_no_file(
    manager_client, settings, tmp_path
):
    settings.STORAGES = {
        **settings.STORAGES,
        "exports": full(tmp_path),
    }
    job = _queued_job(manager_client)
    jobs.run_next()
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED and "存储空间已满" in job.error
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_files_older_than_the_retention_are_removed_with_their_jobs(manager_client, settings):
    job = _queued_job(manager_client)
    jobs.run_next()
    job.refresh_from_db()
    storage, name = job.file.storage, job.file.name
    assert storage.exists(name)
    ExportJob.objects.filter(pk=job.pk).update(
        finished_at=timezone.now() - dt.timedelta(days=settings.EXPORT_JOBS_KEEP_DAYS, seconds=1)
    )
    out = io.StringIO()
    call_command("clean_export_jobs", stdout=out)
    assert "1 old report files removed" in out.getvalue()
    assert not ExportJob.objects.exists() and not storage.exists(name)
