"""import_ledger and import_progress: summary, row errors, exit codes, dry runs."""

import datetime as dt
import secrets
import subprocess
import sys
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import translation

from projects.models import MonthlyProgress, Project
from tests.factories import ProjectFactory, UnitFactory, UserFactory
from tests.importfiles import LEDGER_HEADERS, PROGRESS_HEADERS, csv_bytes, ledger_row, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _end_of_june_2024():
    with time_machine.travel(dt.datetime(2024, 6, 30, 12, 0), tick=False):
        yield


def run(command, *args):
    """The command as a scheduled job runs it: as the named system account unless told."""
    if "--user" not in args:
        args = (*args, "--user", "system")
    out, err = StringIO(), StringIO()
    with translation.override("en"):
        call_command(command, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_progress_prints_the_summary_and_saves(tmp_path):
    ProjectFactory(code="CY-001")
    path = tmp_path / "progress.xlsx"
    path.write_bytes(xlsx_bytes([PROGRESS_HEADERS, ["CY-001", 2024, 3, "1,234.5", 0, "", ""]]))

    out, _err = run("import_progress", str(path))

    assert "new: 1, changed: 0, unchanged: 0, errors: 0" in out
    assert MonthlyProgress.objects.get().investment == Decimal("1234.50")


def test_dry_run_checks_everything_but_saves_nothing(tmp_path):
    path = tmp_path / "ledger.csv"
    path.write_bytes(csv_bytes([LEDGER_HEADERS, ledger_row()], "gbk"))

    out, _err = run("import_ledger", str(path), "--dry-run")

    assert "new: 1" in out and "Dry run" in out
    assert "new responsible unit: 区发展和改革局 (row 2)" in out
    assert not Project.objects.exists()


def test_errors_are_listed_as_row_and_column_and_the_command_fails(tmp_path):
    ProjectFactory(code="CY-001")
    path = tmp_path / "progress.csv"
    path.write_bytes(
        csv_bytes(
            [
                PROGRESS_HEADERS,
                ["CY-001", 2024, 1, "10", "5", "", ""],
                ["CY-404", 2024, 2, "10", "5", "", ""],
                ["CY-001", 2024, 13, "-1", "5", "", ""],
            ]
        )
    )

    with pytest.raises(CommandError, match="Nothing was saved"):
        run("import_progress", str(path))

    assert not MonthlyProgress.objects.exists()


def test_error_lines_name_row_and_column(tmp_path):
    ProjectFactory(code="CY-001")
    path = tmp_path / "progress.csv"
    path.write_bytes(csv_bytes([PROGRESS_HEADERS, ["CY-001", 2024, 13, "-1", "5", "", ""]]))
    err = StringIO()

    with translation.override("en"), pytest.raises(CommandError):
        call_command(
            "import_progress", str(path), "--user", "system", stdout=StringIO(), stderr=err
        )

    lines = err.getvalue().splitlines()
    assert lines == [
        "row 2, column 月份: Month must be between 1 and 12.",
        "row 2, column 当月完成投资（万元）: Amounts cannot be negative.",
    ]


def test_unreadable_file_fails_with_a_message(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(b"%PDF-1.4\x00\x00")

    with pytest.raises(CommandError, match="cannot be read"):
        run("import_progress", str(path))


def test_missing_file_fails_with_a_message(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run("import_progress", str(tmp_path / "nope.csv"))


def test_user_option_applies_unit_scoping(tmp_path):
    staff = UserFactory(username="clerk")
    own = ProjectFactory(code="CY-001", unit=UnitFactory())
    own.unit.members.add(staff)
    ProjectFactory(code="CY-002")
    path = tmp_path / "progress.csv"
    path.write_bytes(
        csv_bytes(
            [
                PROGRESS_HEADERS,
                ["CY-001", 2024, 1, "10", "5", "", ""],
                ["CY-002", 2024, 1, "10", "5", "", ""],
            ]
        )
    )

    with pytest.raises(CommandError):
        run("import_progress", str(path), "--user", "clerk")

    assert not MonthlyProgress.objects.exists()


def test_progress_is_reported_on_large_files(tmp_path):
    # Months up to June only: the test runs at the end of June, and later months are refused.
    projects = ProjectFactory.create_batch(100)
    # Figures growing month by month: the same figures every month would be 雷同.
    rows = [[p.code, 2024, m, str(m), "1", "", ""] for p in projects for m in range(1, 7)]
    path = tmp_path / "progress.csv"
    path.write_bytes(csv_bytes([PROGRESS_HEADERS, *rows]))

    out, err = run("import_progress", str(path))

    assert "new: 600" in out
    assert "500 of 600 rows checked" in err
    assert MonthlyProgress.objects.count() == 600


def test_exit_status_is_non_zero_on_errors_and_zero_on_success(tmp_path, settings):
    # A real process, to check the status a shell script would see.
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([PROGRESS_HEADERS, ["CY-404", 2024, 1, "1", "1", "", ""]]))
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    db = tmp_path / "cli.sqlite3"
    env = {
        "DATABASE_URL": f"sqlite:///{db}",
        "PATH": "/usr/bin:/bin",
        # As in production: DEBUG off, so the settings want a key of their own.
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(40),
    }
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=settings.BASE_DIR)

    failed = subprocess.run(
        [*manage, "import_progress", str(bad), "--user", "system"],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
    )
    refused = subprocess.run(
        [*manage, "import_progress", str(empty), "--user", "system"],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
    )
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes([PROGRESS_HEADERS]))
    header_only = subprocess.run(
        [*manage, "import_progress", str(good), "--user", "system"],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
    )

    assert failed.returncode != 0 and "CY-404" in failed.stderr.decode()
    assert refused.returncode != 0
    assert header_only.returncode == 0, header_only.stderr.decode()


def test_import_without_a_named_user_is_refused(tmp_path):
    path = tmp_path / "p.csv"
    path.write_bytes(csv_bytes([PROGRESS_HEADERS]))
    with pytest.raises(CommandError, match="--user"):
        call_command("import_progress", str(path), stdout=StringIO(), stderr=StringIO())
