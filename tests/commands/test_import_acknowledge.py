"""The plausibility rule through import_progress: flagged rows refuse the file unless
--acknowledge accepts them (each printed); hard limits refuse it whatever the flag."""

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from projects.models import MonthlyProgress
from tests.factories import MonthlyProgressFactory, ProjectFactory
from tests.importfiles import PROGRESS_HEADERS, csv_bytes

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture(autouse=True)
def _end_of_june_2024():
    with time_machine.travel(dt.datetime(2024, 6, 30, 12, 0), tick=False):
        yield


@pytest.fixture
def clerk_file(tmp_path):
    """CY-001 (总投资 131,500) with January and February of 100; the file brings March."""
    project = ProjectFactory(code="CY-001", total_investment=D("131500"))
    for month in (1, 2):
        MonthlyProgressFactory(project=project, month=month, investment=D("100"), inclusion=D("80"))

    def write(investment):
        path = tmp_path / "march.csv"
        path.write_bytes(
            csv_bytes([PROGRESS_HEADERS, ["CY-001", 2024, 3, investment, "0", "", "", ""]])
        )
        return str(path)

    return write


def run(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command("import_progress", *args, "--user", "system", stdout=out, stderr=err)
    except CommandError as exc:
        return out.getvalue(), err.getvalue(), str(exc)
    return out.getvalue(), err.getvalue(), None


def test_a_flagged_row_refuses_the_file_without_acknowledge(clerk_file):
    _out, err, failure = run(clerk_file("40000"))
    assert "待核实：第 2 行（CY-001 2024-03）" in err
    assert failure == (
        "未保存任何数据：1 行数据看起来异常。"
        "请核对后在其“已核实”列填“是”，或加 --acknowledge 重新导入。"
    )
    assert not MonthlyProgress.objects.filter(month=3).exists()


def test_acknowledge_saves_flagged_rows_and_prints_each(clerk_file):
    out, _err, failure = run(clerk_file("40000"), "--acknowledge")
    assert failure is None
    assert "已核实：第 2 行（CY-001 2024-03）：" in out
    entry = MonthlyProgress.objects.get(month=3)
    assert (entry.acknowledged_by.username, entry.acknowledged_warnings) == (
        "system",
        "share_of_total,times_average,jump",
    )


def test_acknowledge_does_not_lift_a_hard_limit(clerk_file):
    _out, err, failure = run(clerk_file("500000"), "--acknowledge")
    assert "超过项目总投资 131500.00 万元" in err
    assert failure == "未保存任何数据：请改正上述各行后重新导入。"
    assert not MonthlyProgress.objects.filter(month=3).exists()
