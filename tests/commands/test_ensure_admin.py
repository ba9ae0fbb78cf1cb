"""`make run` makes sure a local admin exists, with a generated password printed once."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("ensure_admin", *args, stdout=out)
    return out.getvalue()


def test_first_run_creates_a_superuser_with_a_printed_generated_password():
    out = run("--url", "http://127.0.0.1:8123/")
    password = re.split(r"[:：]\s*", out.strip())[-1]
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.check_password(password)
    assert "http://127.0.0.1:8123/" in out
    assert len(password) >= 12


def test_second_run_keeps_the_password_and_prints_none():
    first = re.split(r"[:：]\s*", run().strip())[-1]
    second = run()
    assert first not in second
    assert get_user_model().objects.get(username="admin").check_password(first)


def test_reset_gives_a_new_password():
    first = re.split(r"[:：]\s*", run().strip())[-1]
    second = re.split(r"[:：]\s*", run("--reset").strip())[-1]
    assert first != second
    assert get_user_model().objects.get(username="admin").check_password(second)


def test_manage_py_finds_the_projects_venv_from_the_system_python():
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    system_python = getattr(sys, "_base_executable", sys.executable)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "VIRTUAL_ENV"))}
    run = subprocess.run(
        [system_python, "manage.py", "check"],
        cwd=root,
        env={**env, "DJANGO_DEBUG": "true", "PYTHONPATH": ""},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr[-1000:]
    assert "no issues" in run.stdout
