"""Funds in place are written through one service that applies the ledger's month rules."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from projects import services
from projects.models import FundsInPlace, FundSource
from tests.factories import MonthlyProgressFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def record(actor, project, amount="50", month=3, source=FundSource.DISTRICT, **kwargs):
    return services.record_funds(
        actor=actor,
        project=project,
        year=2024,
        month=month,
        source=source,
        amount=Decimal(amount),
        **kwargs,
    )


def test_unit_staff_record_their_own_projects_funds_and_a_second_write_updates_the_row(
    staff_a, unit_a
):
    project = ProjectFactory(unit=unit_a)
    first = record(staff_a, project, "50")
    second = record(staff_a, project, "80", expected_version=first.version)
    assert FundsInPlace.objects.get().amount == Decimal("80.00")
    assert second.version == 2
    assert second.history.count() == 2
    assert second.history.first().history_user == staff_a


def test_another_units_project_is_refused(staff_b, unit_a):
    project = ProjectFactory(unit=unit_a)
    with pytest.raises(PermissionDenied):
        record(staff_b, project)
    assert not FundsInPlace.objects.exists()


def test_a_locked_month_takes_a_managers_reason_as_ledger_writes_do(manager, staff_a, unit_a):
    project = ProjectFactory(unit=unit_a)
    services.lock_month(actor=manager, year=2024, month=3, reason="上报")
    with pytest.raises(ValidationError):
        record(staff_a, project)
    with pytest.raises(ValidationError) as info:
        record(manager, project)
    assert info.value.code == "locked_needs_reason"
    record(manager, project, reason="补录省资金台账")
    assert FundsInPlace.objects.get().history.first().history_change_reason == "补录省资金台账"


def test_a_submitted_month_is_closed_to_the_units_staff(staff_a, unit_a):
    project = ProjectFactory(unit=unit_a)
    MonthlyProgressFactory(project=project, month=3)
    services.submit_month(actor=staff_a, unit=unit_a, year=2024, month=3)
    with pytest.raises(ValidationError, match="2024"):
        record(staff_a, project)
    assert not FundsInPlace.objects.exists()


def test_a_stale_version_is_refused(staff_a, unit_a):
    project = ProjectFactory(unit=unit_a)
    record(staff_a, project, "50")
    record(staff_a, project, "60", expected_version=1)
    with pytest.raises(ValidationError):
        record(staff_a, project, "70", expected_version=1)
    assert FundsInPlace.objects.get().amount == Decimal("60.00")


def test_no_unnamed_writer(unit_a):
    with pytest.raises(PermissionDenied):
        record(None, ProjectFactory(unit=unit_a))
