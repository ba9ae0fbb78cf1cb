"""A worker killed mid-job and a full media folder: nothing hangs, nothing is half-written."""

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from PIL import Image

from projects import services
from projects.attachments import services as photos
from projects.attachments.models import Photo
from projects.exports import jobs
from projects.models import ExportJob
from tests.factories import ProgrammeFactory, ProjectFactory, UnitFactory, user_with_role
from tests.reporting import bulk_projects

pytestmark = pytest.mark.faults
ROOT = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _worker(*args, lease: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DJANGO_DEBUG": "true",
        "EXPORT_JOB_LEASE_SECONDS": str(lease),
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "run_export_jobs", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _status(pk: int) -> str:
    return ExportJob.objects.values_list("status", flat=True).get(pk=pk)


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_job_leaves_the_job_to_the_next_worker(settings):
    programme, _ = bulk_projects(8, programme=ProgrammeFactory(year=2024))
    manager = user_with_role("manager")
    job = services.export_job_request(
        actor=manager,
        params={"programme": programme.code, "year": 2024, "quarter": 1, "fmt": "xlsx"},
    )
    # Hold the worker after its claim: the file's first read waits on this lock.
    blocker = psycopg.connect(_database_url().replace("postgres://", "postgresql://"))
    blocker.execute("LOCK TABLE projects_programme IN ACCESS EXCLUSIVE MODE")
    first = _worker(lease=3)
    try:
        deadline = time.monotonic() + 30
        while _status(job.pk) != ExportJob.Status.RUNNING and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _status(job.pk) == ExportJob.Status.RUNNING
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    finally:
        blocker.rollback()
        blocker.close()
    assert _status(job.pk) == ExportJob.Status.RUNNING  # what a killed worker leaves
    time.sleep(3.5)  # the lease runs out: nobody beats for it
    second = _worker("--once", lease=3)
    out, err = second.communicate(timeout=60)
    assert second.returncode == 0, err
    job.refresh_from_db()
    assert (job.status, job.attempts) == (ExportJob.Status.DONE, 2), out + err


def _jpeg(side=1600) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.effect_noise((side, side), 80).convert("RGB").save(out, "JPEG", quality=95)
    return SimpleUploadedFile("site.jpg", out.getvalue(), content_type="image/jpeg")


@pytest.mark.django_db
def test_a_full_photo_disk_refuses_the_photo_and_leaves_neither_file_nor_row(tiny_disk, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "photos": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tiny_disk)},
        },
    }
    unit = UnitFactory()
    project = ProjectFactory(unit=unit)
    clerk = user_with_role("unit_staff", unit)
    with pytest.raises(ValidationError, match="照片未能保存"):
        photos.upload_photo(actor=clerk, project=project, upload=_jpeg(), year=2024, month=3)
    assert Photo.objects.count() == 0
    assert [p for p in tiny_disk.rglob("*") if p.is_file()] == []


@pytest.mark.django_db
def test_a_full_exports_disk_fails_the_job_with_a_reason(tiny_disk, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "exports": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tiny_disk)},
        },
    }
    filler = tiny_disk / "filler.bin"
    filler.write_bytes(b"\0" * 60 * 1024)  # what the other files left: 4 KB
    programme, _ = bulk_projects(40, programme=ProgrammeFactory(year=2024))
    job = services.export_job_request(
        actor=user_with_role("manager"),
        params={"programme": programme.code, "year": 2024, "quarter": 1, "fmt": "xlsx"},
    )
    jobs.run_next(job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED and "存储空间已满" in job.error
    assert [p for p in tiny_disk.rglob("*") if p.is_file()] == [filler]
