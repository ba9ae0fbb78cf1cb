"""A frozen or restarted PostgreSQL costs a bounded wait and no error, as documented."""

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.faults.conftest import wait_until_postgres_answers
from tracker import health

pytestmark = pytest.mark.faults
ROOT = Path(__file__).resolve().parents[2]


def test_healthz_answers_503_within_its_timeout_while_postgres_is_frozen(
    frozen_postgres, django_db_blocker, settings
):
    settings.HEALTHZ_TIMEOUT = 5
    with django_db_blocker.unblock():
        assert health.database_answers(5) is True
        frozen_postgres.freeze()
        started = time.monotonic()
        answered = health.database_answers(settings.HEALTHZ_TIMEOUT)
        waited = time.monotonic() - started
        frozen_postgres.thaw()
        wait_until_postgres_answers()
        # The check that was waiting ends once the server answers again.
        deadline = time.monotonic() + 15
        while health.checking() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert answered is False and waited < 5.5
        assert health.database_answers(5) is True


POOL_SCRIPT = textwrap.dedent(
    """
    import subprocess, sys, time
    import django
    django.setup()
    from django.db import connection

    def ask():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone()[0]

    ask()
    connection.close()  # back to the pool, which keeps it open
    version = sys.argv[1]
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart",
                    "-m", "fast"], check=True)
    failures = 0
    for _ in range(4):
        try:
            ask()
        except Exception as error:
            failures += 1
            print("failed:", type(error).__name__, error)
        connection.close()
    print("failures", failures)
    """
)


def test_pooled_connections_survive_a_database_restart():
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tracker.settings",
        "DJANGO_DEBUG": "true",
        "DATABASE_POOL": "true",
        "DATABASE_CONN_MAX_AGE": "0",
    }
    try:
        run = subprocess.run(
            [sys.executable, "-c", POOL_SCRIPT, version],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        wait_until_postgres_answers()
    assert run.returncode == 0, run.stderr[-2000:]
    assert "failures 0" in run.stdout, run.stdout
