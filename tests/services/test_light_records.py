"""Each locked month keeps its lights (``LightRecord``), written with the lock (issue #23)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects import services
from projects.models import LightRecord, MonthlyProgress, PeriodLock, Project, PublishedEdition
from projects.periods import Period
from projects.selectors import Light
from projects.services import cycle
from projects.services.editions import publish_edition
from projects.services.light_history import record_lights
from tests.factories import MonthlyProgressFactory, ProgrammeFactory, ProjectFactory

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def programme():
    return ProgrammeFactory(year=2024)


def late_start(programme, code):
    """A new start planned for 1 January and not begun: red from the end of April on."""
    return ProjectFactory(programme=programme, code=code, planned_start=dt.date(2024, 1, 1))


def started(programme, code):
    return ProjectFactory(
        programme=programme,
        code=code,
        kind=Project.Kind.CONTINUING,
        actual_start=dt.date(2023, 1, 1),
        statistics_entry_date=dt.date(2023, 2, 1),
    )


def kept(month):
    return {
        r.project.code: (r.light, r.reasons)
        for r in LightRecord.objects.filter(year=2024, month=month).select_related("project")
    }


def test_locking_a_month_keeps_every_projects_light_with_its_reasons(programme, manager):
    late_start(programme, "LATE")
    started(programme, "FINE")
    services.lock_month(actor=manager, year=2024, month=2, reason="上报")
    assert kept(2) == {
        "LATE": (
            Light.YELLOW,
            [
                {
                    "code": "start_late",
                    "light": Light.YELLOW,
                    "text": "计划开工逾期1个月",
                    "since": "2024-01-01",
                }
            ],
        ),
        "FINE": (Light.GREEN, []),
    }


def test_a_lock_that_fails_keeps_no_light(programme, manager, monkeypatch):
    late_start(programme, "LATE")

    def broken(**kwargs):
        raise RuntimeError("edition could not be written")

    monkeypatch.setattr(cycle, "publish_locked_periods", broken)
    with pytest.raises(RuntimeError):
        services.lock_month(actor=manager, year=2024, month=2, reason="上报")
    assert not PeriodLock.objects.exists()
    assert not LightRecord.objects.exists()


def test_keeping_the_lights_costs_the_same_queries_for_two_projects_or_six(programme, manager):
    def count(n):
        for i in range(n):
            late_start(programme, f"N{n}-{i}")
        LightRecord.objects.all().delete()
        with CaptureQueriesContext(connection) as queries:
            assert record_lights(actor=manager, year=2024, months=[4]) == n
        Project.objects.all().delete()
        return len(queries.captured_queries)

    count(1)  # the manager's permissions and the settings row, read once per process
    assert count(2) == count(6)


def test_a_correction_after_the_lock_and_a_relock_leave_the_record_a_new_edition_rewrites_it(
    programme, manager
):
    project = started(programme, "P")
    MonthlyProgressFactory(project=project, month=4, investment=D(0), inclusion=D(0))
    services.lock_month(actor=manager, year=2024, month=4, reason="上报")
    assert kept(4)["P"][0] == Light.GREEN
    # After the lock a manager flags the project red from March: the record stays green.
    services.flag_project(
        actor=manager,
        project=project,
        light=Light.RED,
        reason="安全事故",
        since=dt.date(2024, 3, 1),
    )
    services.unlock_month(actor=manager, year=2024, month=4, reason="更正")
    services.lock_month(actor=manager, year=2024, month=4, reason="再次上报")
    assert kept(4)["P"][0] == Light.GREEN
    publish_edition(
        actor=manager, programme=programme, period=Period.through_month(2024, 4), reason="补标记"
    )
    record = LightRecord.objects.get(project=project, month=4)
    assert (record.light, record.edition) == (Light.RED, 2)
    assert record.reasons[0]["text"] == "人工标记：安全事故"
    assert PublishedEdition.objects.filter(period="m4", number=2).exists()


def test_record_lights_fills_the_locked_months_without_any_and_runs_again_harmlessly(
    programme, manager
):
    late_start(programme, "LATE")
    started(programme, "FINE")
    PeriodLock.objects.create(year=2024, month=1, locked_by=manager)
    PeriodLock.objects.create(year=2024, month=4, locked_by=manager)
    PeriodLock.objects.create(year=2024, month=6, locked_by=manager)
    call_command("record_lights", "--year", "2024", "--through", "5")
    assert sorted(LightRecord.objects.order_by().values_list("month", flat=True).distinct()) == [
        1,
        4,
    ]
    assert kept(4)["LATE"][0] == Light.RED
    before = list(LightRecord.objects.values_list("pk", "recorded_at"))
    call_command("record_lights", "--year", "2024", "--through", "5")
    assert list(LightRecord.objects.values_list("pk", "recorded_at")) == before


def test_record_lights_refuses_a_clerk_and_a_bad_month(programme, staff_a):
    with pytest.raises(CommandError):
        call_command("record_lights", "--year", "2024", "--user", staff_a.username)
    with pytest.raises(CommandError):
        call_command("record_lights", "--year", "2024", "--through", "13")
    with pytest.raises(PermissionDenied):
        record_lights(actor=staff_a, year=2024, months=[1])
    assert not MonthlyProgress.objects.exists() and not LightRecord.objects.exists()
