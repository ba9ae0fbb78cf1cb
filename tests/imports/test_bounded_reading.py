"""Hostile uploads are refused with a clear message, in bounded memory, with nothing written."""

import tracemalloc

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from projects.imports import ImportFileError, read_table
from projects.models import MonthlyProgress, Project
from tests.factories import user_with_role
from tests.imports import hostile_files

# Far below what the attack took (2.8 GB); the reader's own peak is well under it.
PEAK_LIMIT_BYTES = 20 * 1024 * 1024

HOSTILE = {
    "far cell under a declared A1:XFD1048576": (hostile_files.far_cell_workbook, "列"),
    "deflate bomb of 40 MB": (lambda: hostile_files.deflate_bomb_workbook(40), "解压后超过"),
    "one row of 200,000 cells": (lambda: hostile_files.wide_row_workbook(200_000), "列"),
    "sheet of 30,000 rows": (lambda: hostile_files.many_rows_workbook(30_000), "20000 行"),
    "DOCTYPE with nested entities": (hostile_files.entity_workbook, "DOCTYPE"),
    "binary garbage named .xlsx": (hostile_files.garbage_named_xlsx, "无法"),
    "garbage that starts like a zip": (hostile_files.garbage_zip, "无法"),
    "workbook with a damaged sheet": (hostile_files.damaged_workbook, "无法"),
    "CSV of 100,000 rows": (lambda: hostile_files.long_csv(100_000), "20000 行"),
    "CSV line of 1,000,000 columns": (lambda: hostile_files.wide_csv(1_000_000), "列"),
    "file over 10 MB": (lambda: b"a,b\r\n" * (3 * 1024 * 1024), "MB"),
}


def peak_while(action) -> tuple[int, Exception | None]:
    tracemalloc.start()
    error = None
    try:
        action()
    except Exception as exc:  # noqa: BLE001 - the caller inspects what was raised
        error = exc
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak, error


@pytest.fixture(autouse=True)
def _default_limits(settings):
    settings.IMPORT_MAX_FILE_BYTES = 10 * 1024 * 1024
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 20 * 1024 * 1024
    settings.IMPORT_MAX_ROWS = 20_000
    settings.IMPORT_MAX_COLUMNS = 100


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_file_is_refused_in_bounded_memory(name):
    build, words = HOSTILE[name]
    content = build()
    peak, error = peak_while(lambda: read_table(content, "ledger.xlsx"))
    assert isinstance(error, ImportFileError), error
    assert words in str(error)
    assert peak < PEAK_LIMIT_BYTES, f"{name}: peak {peak / 1e6:.1f} MB"


def test_declared_dimension_is_ignored_and_a_small_sheet_reads_normally():
    rows = read_table(hostile_files.lying_dimension_workbook(), "ledger.xlsx")
    assert rows == [(1, ["项目编号", "项目名称"]), (2, ["CY-001", "物元"])]


def test_row_limit_counts_only_filled_rows_and_takes_the_setting(settings):
    settings.IMPORT_MAX_ROWS = 3
    content = hostile_files.long_csv(3)  # a header and three rows
    with pytest.raises(ImportFileError, match="3 行"):
        read_table(content, "p.csv")
    settings.IMPORT_MAX_ROWS = 4
    assert len(read_table(content + b",,,\r\n" * 50, "p.csv")) == 4


def test_commas_inside_quotes_do_not_count_as_columns(settings):
    settings.IMPORT_MAX_COLUMNS = 3
    content = '项目编号,问题,月份\r\nCY-1,"a,b,c,d,e\r\nf,g",2024-03\r\n'.encode()
    assert read_table(content, "p.csv")[1][1] == ["CY-1", "a,b,c,d,e\r\nf,g", "2024-03"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(HOSTILE))
def test_commands_refuse_hostile_files_and_write_nothing(tmp_path, name):
    build, words = HOSTILE[name]
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(build())
    for command in ("import_ledger", "import_progress"):
        with pytest.raises(CommandError, match=words):
            call_command(command, str(path), user="system")
    assert not Project.objects.exists()
    assert not MonthlyProgress.objects.exists()
    assert not Project.history.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["deflate bomb of 40 MB", "DOCTYPE with nested entities", "CSV of 100,000 rows"]
)
def test_admin_upload_shows_the_refusal_and_writes_nothing(client, name):
    build, words = HOSTILE[name]
    client.force_login(user_with_role("manager"))
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("imports:import", args=["ledger"]),
        {"file": SimpleUploadedFile("ledger.xlsx", build())},
    )
    assert response.status_code == 200
    assert words in response.content.decode()
    assert not Project.objects.exists()
    assert not Project.history.exists()


@pytest.mark.django_db
def test_admin_upload_over_the_size_limit_is_refused_before_reading(client, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.IMPORT_MAX_FILE_BYTES = 1024 * 1024
    client.force_login(user_with_role("manager"))
    response = client.post(
        reverse("imports:import", args=["ledger"]),
        {"file": SimpleUploadedFile("ledger.csv", b"a" * (1024 * 1024 + 1))},
    )
    assert "大于 1 MB" in response.content.decode() or "1 MB" in response.content.decode()
    assert not Project.objects.exists()
