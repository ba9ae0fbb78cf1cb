"""An import changes a locked month only with the user's own reason, whoever runs it."""

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from projects import services
from projects.imports import run_import
from projects.models import MonthlyProgress, PeriodLock, QuarterPlan
from projects.services.accounts import system_actor
from tests.factories import ProjectFactory, QuarterPlanFactory, UserFactory
from tests.importfiles import PROGRESS_HEADERS, csv_bytes, ledger_row

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _end_of_june_2024(settings):
    settings.LANGUAGE_CODE = "en"
    with time_machine.travel(dt.datetime(2024, 6, 30, 12, 0), tick=False):
        yield


@pytest.fixture
def march_locked():
    ProjectFactory(code="CY-001")
    PeriodLock.objects.create(year=2024, month=3)


def march_file():
    return csv_bytes(
        [
            PROGRESS_HEADERS,
            ["CY-001", 2024, 2, "5", "1", "", ""],
            ["CY-001", 2024, 3, "9", "1", "", ""],
        ]
    )


def test_managers_progress_import_into_locked_month_is_refused_with_row_and_month_column(
    manager, march_locked
):
    result = run_import("progress", march_file(), filename="p.csv", actor=manager)

    assert [(e.row, e.column) for e in result.errors] == [(3, "月份")]
    assert "2024-03" in result.errors[0].message and "locked" in result.errors[0].message
    assert MonthlyProgress.objects.count() == 0


def test_system_progress_import_into_locked_month_is_refused_too(march_locked):
    result = run_import("progress", march_file(), filename="p.csv", actor=system_actor())

    assert [(e.row, e.column) for e in result.errors] == [(3, "月份")]
    assert MonthlyProgress.objects.count() == 0


def test_progress_import_with_users_reason_writes_and_history_names_file_and_reason(
    manager, march_locked
):
    result = run_import(
        "progress", march_file(), filename="p.csv", actor=manager, reason="统计局更正"
    )

    assert not result.errors
    entry = MonthlyProgress.objects.get(month=3)
    assert entry.history.latest("history_date").history_change_reason == "导入 p.csv：统计局更正"


def test_ledger_import_changing_a_locked_quarters_plan_needs_a_reason(manager):
    project = ProjectFactory(code="CY-009")
    QuarterPlanFactory(project=project, year=2024)
    services.lock_quarter(actor=manager, year=2024, quarter=1, reason="上报（部分单位未审核）")
    row = ledger_row(
        **{
            "项目编号": "CY-009",
            "项目清单": project.programme.name,
            "年度": 2024,
            "一季度计划投资（万元）": "999",
        }
    )
    from tests.importfiles import LEDGER_HEADERS

    content = csv_bytes([LEDGER_HEADERS, row])
    result = run_import("ledger", content, filename="l.csv", actor=manager)
    assert result.errors and all(e.column == "年度" for e in result.errors)
    assert QuarterPlan.objects.get(project=project).investment_q1 != 999

    result = run_import("ledger", content, filename="l.csv", actor=manager, reason="调整计划")
    assert not result.errors


def test_import_command_refuses_locked_month_without_reason_and_accepts_one(
    tmp_path, march_locked, manager
):
    path = tmp_path / "p.csv"
    path.write_bytes(march_file())
    out, err = StringIO(), StringIO()
    with translation.override("en"), pytest.raises(CommandError):
        call_command("import_progress", str(path), "--user", "boss", stdout=out, stderr=err)
    assert "row 3, column 月份" in err.getvalue()
    assert MonthlyProgress.objects.count() == 0

    with translation.override("en"):
        call_command(
            "import_progress",
            str(path),
            "--user",
            "boss",
            "--reason",
            "补录",
            stdout=out,
            stderr=err,
        )
    reason = MonthlyProgress.objects.get(month=3).history.latest("history_date")
    assert reason.history_change_reason == "导入 p.csv：补录"


def test_admin_import_form_carries_the_reason_from_preview_to_confirm(
    client, settings, tmp_path, march_locked
):
    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(UserFactory(is_superuser=True))
    url = reverse("imports:import", args=["progress"])

    refused = client.post(url, {"file": SimpleUploadedFile("p.csv", march_file())})
    assert [(e.row, e.column) for e in refused.context["errors"]] == [(3, "月份")]
    assert refused.context["token"] == ""

    preview = client.post(
        url, {"file": SimpleUploadedFile("p.csv", march_file()), "reason": "统计局更正"}
    )
    assert not preview.context["errors"]
    assert "统计局更正" in preview.content.decode()
    client.post(url, {"token": preview.context["token"]})
    entry = MonthlyProgress.objects.get(month=3)
    assert entry.history.latest("history_date").history_change_reason == "导入 p.csv：统计局更正"
