"""The status page as a review desk: units to review first, decisions in place, month moves."""

import pytest
import time_machine
from django.urls import reverse

from projects.models import MonthSubmission, PeriodLock
from tests.factories import ProjectFactory, UnitFactory

pytestmark = pytest.mark.django_db
STATUS = reverse("status_page", args=[2024, 3])


@pytest.fixture
def units():
    """2024-03: 甲 approved, 乙 not submitted, 丙 waiting for review."""
    found = {}
    for code, name, status in [
        ("A", "甲局", MonthSubmission.Status.APPROVED),
        ("B", "乙局", None),
        ("C", "丙局", MonthSubmission.Status.SUBMITTED),
    ]:
        unit = UnitFactory(code=code, name=name)
        ProjectFactory(unit=unit, programme__year=2024)
        if status:
            MonthSubmission.objects.create(unit=unit, year=2024, month=3, status=status)
        found[code] = unit
    return found


def _unit_order(page: str) -> list[str]:
    return sorted(("甲局", "乙局", "丙局"), key=page.index)


def test_units_waiting_for_review_come_first_and_approved_ones_last(manager_client, units):
    page = manager_client.get(STATUS).content.decode()
    assert _unit_order(page) == ["丙局", "乙局", "甲局"]


def test_a_decision_on_the_desk_returns_to_that_units_row(manager_client, units):
    unit = units["C"]
    response = manager_client.post(
        reverse("review_unit", args=[2024, 3, unit.pk]), {"decision": "approve"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{STATUS}#unit-{unit.pk}"
    assert f'id="unit-{unit.pk}"' in manager_client.get(STATUS).content.decode()


def test_the_units_figures_page_approves_and_returns_in_place(manager_client, units):
    unit = units["C"]
    figures = reverse("unit_figures", args=[2024, 3, unit.pk])
    page = manager_client.get(figures).content.decode()
    assert 'name="decision" value="return"' in page
    response = manager_client.post(
        reverse("review_unit", args=[2024, 3, unit.pk]),
        {"decision": "return", "comment": "纳统填错", "back": "unit"},
    )
    assert response["Location"] == figures
    assert MonthSubmission.objects.get(unit=unit, year=2024, month=3).status == "returned"


def test_a_locked_or_unsubmitted_month_has_no_review_buttons_on_the_figures_page(
    manager_client, manager, units
):
    not_submitted = reverse("unit_figures", args=[2024, 3, units["B"].pk])
    assert 'value="approve"' not in manager_client.get(not_submitted).content.decode()
    PeriodLock.objects.create(year=2024, month=3, locked_by=manager)
    waiting = reverse("unit_figures", args=[2024, 3, units["C"].pk])
    assert 'value="approve"' not in manager_client.get(waiting).content.decode()


@time_machine.travel("2024-04-20 10:00 +0800", tick=False)
def test_the_desk_moves_between_months_and_stops_at_the_running_one(manager_client, units):
    march = manager_client.get(STATUS).content.decode()
    assert reverse("status_page", args=[2024, 2]) in march
    assert reverse("status_page", args=[2024, 4]) in march
    april = manager_client.get(reverse("status_page", args=[2024, 4])).content.decode()
    assert reverse("status_page", args=[2024, 5]) not in april


def test_the_month_picker_opens_the_month_it_names(manager_client, units):
    response = manager_client.get(reverse("status_latest"), {"month": "2024-02"})
    assert response["Location"] == reverse("status_page", args=[2024, 2])


def test_a_month_the_picker_cannot_read_says_how_to_write_it(manager_client, units):
    response = manager_client.get(reverse("status_latest"), {"month": "2024-13"}, follow=True)
    assert "“2024-13”不是月份，请按 2024-05 的格式填写。" in response.content.decode()
