"""The fault suite (`make faults`): the database frozen, restarted under the pool, a worker
killed mid-job, a full media folder. Each asserts what the README promises and that nothing
was lost or half-written.

These stop and restart the machine's PostgreSQL and mount a small tmpfs, so they run only
by themselves, as root, on PostgreSQL: `make faults` (CI runs it after `make test`).
"""

import os
import shutil
import subprocess
import time

import pytest
from django.db import connection


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/faults/" in str(item.path).replace(os.sep, "/"):
            item.add_marker(pytest.mark.faults)


def _missing() -> str:
    if connection.vendor != "postgresql":
        return "the fault suite runs on PostgreSQL (set DATABASE_URL)"
    if os.geteuid() != 0:
        return "the fault suite needs root (it stops PostgreSQL and mounts a tmpfs)"
    if shutil.which("pg_ctlcluster") is None:
        return "pg_ctlcluster is missing"
    return ""


@pytest.fixture(autouse=True)
def _fault_machine():
    reason = _missing()
    if reason:
        if os.environ.get("FAULTS_REQUIRED"):
            pytest.fail(reason)
        pytest.skip(reason)


def postgres_pids() -> list[str]:
    found = subprocess.run(["pgrep", "-u", "postgres"], capture_output=True, text=True)
    return found.stdout.split()


def wait_until_postgres_answers(seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        ready = subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-q"])
        if ready.returncode == 0:
            return
        time.sleep(0.3)
    raise AssertionError("PostgreSQL did not come back")


@pytest.fixture
def frozen_postgres():
    """Freeze every PostgreSQL process (as a hung server or a stalled disk does), then thaw."""
    assert postgres_pids(), "no PostgreSQL process found"

    class Freezer:
        def freeze(self):
            # The processes as they are now: a backend listed when the test began may have
            # ended since (a connection closed), and kill's failure for it failed the test
            # while every process still there was stopped.
            pids = postgres_pids()
            assert pids, "no PostgreSQL process found"
            subprocess.run(["kill", "-STOP", *pids], check=False)

        def thaw(self):
            subprocess.run(["kill", "-CONT", *postgres_pids()], check=False)

    freezer = Freezer()
    try:
        yield freezer
    finally:
        freezer.thaw()
        wait_until_postgres_answers()


@pytest.fixture
def tiny_disk(tmp_path):
    """A 64 KB tmpfs: writes past it fail with ENOSPC, as a full media disk does."""
    mountpoint = tmp_path / "full"
    mountpoint.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mountpoint)], check=True)
    try:
        yield mountpoint
    finally:
        subprocess.run(["umount", "-l", str(mountpoint)], check=False)
