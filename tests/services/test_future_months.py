"""Months after the current one (Asia/Shanghai) take no figures, whichever way they come in."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from projects import services
from projects.models import MonthlyProgress, MonthSubmission
from projects.periods import check_not_future, current_month
from tests.factories import MonthlyProgressFactory, ProjectFactory

pytestmark = pytest.mark.django_db
MAY_20 = dt.datetime(2024, 5, 20, 9, 0, tzinfo=dt.UTC)
FUTURE = "尚未开始：只能填报到本月（2024年05月）为止的数据"


def record(actor, project, year, month):
    return services.record_progress(
        actor=actor,
        project=project,
        year=year,
        month=month,
        investment=Decimal("10"),
        inclusion=Decimal("5"),
    )


@time_machine.travel(MAY_20)
def test_progress_for_a_month_after_the_current_one_is_refused(staff_a, unit_a, manager):
    project = ProjectFactory(unit=unit_a)
    for actor, (year, month) in ((staff_a, (2024, 6)), (manager, (2027, 1))):
        with pytest.raises(ValidationError) as caught:
            record(actor, project, year, month)
        assert FUTURE in " ".join(caught.value.messages)
    assert not MonthlyProgress.objects.exists()


@time_machine.travel(MAY_20)
def test_progress_for_the_current_and_past_months_is_accepted(staff_a, unit_a):
    project = ProjectFactory(unit=unit_a)
    record(staff_a, project, 2024, 5)
    record(staff_a, project, 2024, 4)
    assert MonthlyProgress.objects.count() == 2


@time_machine.travel(dt.datetime(2024, 5, 31, 17, 0, tzinfo=dt.UTC))
def test_the_current_month_is_the_one_in_shanghai_not_utc(staff_a, unit_a):
    # 17:00 UTC on 31 May is 01:00 on 1 June in Qingdao: June has begun there.
    assert current_month() == (2024, 6)
    record(staff_a, ProjectFactory(unit=unit_a), 2024, 6)
    with pytest.raises(ValidationError):
        check_not_future(2024, 7)


@time_machine.travel(MAY_20)
def test_batch_entry_refuses_future_months_row_by_row(staff_a, unit_a):
    project = ProjectFactory(unit=unit_a)
    entries = [
        services.ProgressInput(project=project, year=2024, month=m, investment=1, inclusion=0)
        for m in (5, 6)
    ]
    refusals = services.record_progress_batch(actor=staff_a, entries=entries)
    assert list(refusals) == [1]
    assert FUTURE in " ".join(refusals[1].messages)


@time_machine.travel(MAY_20)
def test_a_stray_future_entry_can_still_be_deleted(manager):
    # Typed before the rule existed: it must be possible to remove it.
    stray = MonthlyProgressFactory(project=ProjectFactory(), year=2027, month=1)
    services.delete_progress(actor=manager, entry=stray, reason="误填的未来月份")
    assert not MonthlyProgress.objects.exists()


@time_machine.travel(MAY_20)
def test_a_future_month_cannot_be_submitted(staff_a, unit_a):
    MonthlyProgressFactory(project=ProjectFactory(unit=unit_a), year=2024, month=7)
    with pytest.raises(ValidationError):
        services.submit_month(actor=staff_a, unit=unit_a, year=2024, month=7)
    assert not MonthSubmission.objects.exists()


@time_machine.travel(MAY_20)
def test_plans_for_later_quarters_are_still_accepted(manager, unit_a):
    # A year's quarterly plans are set in advance; only reported months must have begun.
    plan = services.save_plan(
        actor=manager,
        project=ProjectFactory(unit=unit_a),
        year=2024,
        investment=[Decimal(100)] * 4,
        inclusion=[Decimal(80)] * 4,
    )
    assert plan.investment_q4 == Decimal(100)
