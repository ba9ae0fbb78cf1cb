"""Ledger validation: the rules every way of entering data shares."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from projects.models import MonthlyProgress, Project
from tests.factories import MonthlyProgressFactory, ProjectFactory, QuarterPlanFactory

pytestmark = pytest.mark.django_db


def errors_of(instance) -> dict:
    with pytest.raises(ValidationError) as excinfo:
        instance.full_clean()
    return excinfo.value.message_dict


def validation_errors(instance) -> dict:
    """What full_clean refuses, by field; empty when the instance is valid."""
    try:
        instance.full_clean()
    except ValidationError as error:
        return error.message_dict
    return {}


def test_negative_amount_is_rejected_with_a_message():
    entry = MonthlyProgressFactory.build(project=ProjectFactory(), investment=Decimal("-1"))
    assert errors_of(entry)["investment"] == ["金额不能为负数。"]


def test_absurd_amount_over_ten_million_wan_is_rejected():
    plan = QuarterPlanFactory.build(project=ProjectFactory(), investment_q2=Decimal("10000000.01"))
    assert "investment_q2" in errors_of(plan)


def test_ten_million_wan_itself_is_accepted():
    plan = QuarterPlanFactory.build(project=ProjectFactory(), investment_q2=Decimal("10000000"))
    assert validation_errors(plan) == {}


def test_month_outside_one_to_twelve_is_rejected():
    entry = MonthlyProgressFactory.build(project=ProjectFactory(), month=13)
    assert "month" in errors_of(entry)


@time_machine.travel(dt.datetime(2024, 4, 10, 12, tzinfo=dt.UTC))
def test_actual_start_in_the_future_is_rejected():
    project = ProjectFactory()
    project.actual_start = dt.date(2024, 4, 11)
    assert "actual_start" in errors_of(project)


@time_machine.travel(dt.datetime(2024, 4, 10, 12, tzinfo=dt.UTC))
def test_actual_start_today_is_accepted():
    project = ProjectFactory()
    project.actual_start = dt.date(2024, 4, 10)
    assert validation_errors(project) == {}


def test_planned_completion_before_planned_start_is_rejected():
    project = ProjectFactory()
    project.planned_completion = project.planned_start - dt.timedelta(days=1)
    assert "planned_completion" in errors_of(project)


def test_new_start_project_needs_a_planned_start():
    project = ProjectFactory()
    project.planned_start = None
    assert "planned_start" in errors_of(project)


def test_continuing_project_needs_no_planned_start():
    project = ProjectFactory(kind=Project.Kind.CONTINUING, planned_start=None)
    assert validation_errors(project) == {}


def test_blank_joined_date_means_start_of_the_programme_year():
    project = ProjectFactory()
    project.joined_on = None
    project.full_clean()
    assert project.joined_on == dt.date(2024, 1, 1)


def test_withdrawal_before_joining_is_rejected():
    project = ProjectFactory()
    project.withdrawn_on = dt.date(2023, 12, 31)
    assert "withdrawn_on" in errors_of(project)


def test_second_entry_for_same_project_and_month_names_the_existing_one():
    existing = MonthlyProgressFactory(month=3, investment=Decimal("12.50"))
    duplicate = MonthlyProgress(project=existing.project, year=existing.year, month=3)
    message = " ".join(errors_of(duplicate)["__all__"])
    assert existing.project.code in message
    assert f"#{existing.pk}" in message
    assert "12.50" in message


def test_database_refuses_a_second_entry_for_the_same_month():
    existing = MonthlyProgressFactory(month=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        MonthlyProgress.objects.create(project=existing.project, year=existing.year, month=3)


def test_database_refuses_negative_amounts_that_skip_validation():
    entry = MonthlyProgressFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        MonthlyProgress.objects.filter(pk=entry.pk).update(investment=Decimal("-5"))


def test_validation_messages_follow_the_active_language():
    from django.utils import translation

    entry = MonthlyProgressFactory.build(project=ProjectFactory(), investment=Decimal("-1"))
    with translation.override("en"):
        assert errors_of(entry)["investment"] == ["Amounts cannot be negative."]


def test_annual_plan_is_the_sum_of_the_quarters():
    plan = QuarterPlanFactory(investment_q1=Decimal("1.10"), investment_q4=Decimal("2.20"))
    assert plan.annual_investment == Decimal("203.30")
