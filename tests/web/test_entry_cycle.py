"""Closing a month from the entry side: submission that lists what is missing, lock
confirmation with counts, a unit's figures for the reviewer, and deadlines."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from projects.models import MonthSubmission, PeriodLock, ReportSettings
from projects.selectors.entry import deadline
from projects.services.entry import submit_month_checked
from tests.factories import MonthlyProgressFactory

pytestmark = pytest.mark.django_db
SUBMIT = reverse("entry_submit")


def march(unit, **extra):
    return {"unit": unit.pk, "year": 2024, "month": 3, **extra}


def enter_march(projects, count):
    own, _other = projects
    # Figures a little apart: the same figures on two projects would be 雷同.
    for i, project in enumerate(own[:count]):
        MonthlyProgressFactory(
            project=project, month=3, investment=Decimal("110") + i, inclusion=Decimal("85")
        )


def test_submitting_with_projects_missing_lists_them_and_asks_to_confirm(
    logged_in, projects, unit_a
):
    enter_march(projects, 1)
    response = logged_in.post(SUBMIT, march(unit_a))
    page = response.content.decode()
    assert response.status_code == 200
    assert [row.project.code for row in response.context["missing"]] == ["A2", "A3"]
    assert "2 个项目尚未填报" in page and "确认按现状提交" in page
    assert not MonthSubmission.objects.exists()

    logged_in.post(SUBMIT, march(unit_a, confirm="1"))
    assert MonthSubmission.objects.get(unit=unit_a).status == "submitted"


def test_a_complete_ordinary_month_is_submitted_in_one_click(logged_in, projects, unit_a):
    enter_march(projects, 3)
    response = logged_in.post(SUBMIT, march(unit_a))
    assert response.status_code == 302
    assert MonthSubmission.objects.get(unit=unit_a).status == "submitted"


def test_unusual_stored_figures_are_listed_before_submitting(logged_in, projects, unit_a):
    own, _other = projects
    enter_march(projects, 3)
    own[0].progress.filter(month=3).update(investment=Decimal("5000"))
    response = logged_in.post(SUBMIT, march(unit_a))
    assert [row.project.code for row, _found in response.context["warned"]] == ["A1"]
    assert "看起来异常" in response.content.decode()


def test_missing_projects_are_refused_when_the_setting_says_so(logged_in, projects, unit_a):
    ReportSettings.objects.update_or_create(pk=1, defaults={"submit_with_missing": False})
    enter_march(projects, 1)
    response = logged_in.post(SUBMIT, march(unit_a))
    assert response.context["may_submit"] is False
    assert "确认按现状提交" not in response.content.decode()
    logged_in.post(SUBMIT, march(unit_a, confirm="1"))
    assert not MonthSubmission.objects.exists()


def test_the_service_refuses_unconfirmed_missing_projects_whatever_the_door(
    clerk, projects, unit_a
):
    enter_march(projects, 1)
    with pytest.raises(ValidationError) as exc:
        submit_month_checked(actor=clerk, unit=unit_a, year=2024, month=3, missing_confirmed=False)
    assert exc.value.code == "missing_unconfirmed"


def test_unit_staff_cannot_submit_another_units_month(logged_in, projects, unit_b):
    assert logged_in.post(SUBMIT, march(unit_b, confirm="1")).status_code == 404
    assert not MonthSubmission.objects.exists()


def test_lock_confirmation_counts_submitted_and_approved_units(manager_client, projects, unit_a):
    MonthSubmission.objects.create(unit=unit_a, year=2024, month=3, status="approved")
    url = reverse("lock_confirm", args=[2024, 3])
    response = manager_client.get(url, {"scope": "quarter"})
    states = response.context["states"]
    assert [(s.month, s.units_submitted, s.units_approved, s.units_total) for s in states] == [
        (1, 0, 0, 2),
        (2, 0, 0, 2),
        (3, 1, 1, 2),
    ]
    page = response.content.decode()
    assert "1 / 2" in page and "尚有单位的月报未审核通过" in page
    assert not PeriodLock.objects.exists()


def test_unit_staff_cannot_open_the_lock_confirmation(logged_in, projects):
    assert logged_in.get(reverse("lock_confirm", args=[2024, 3])).status_code == 403


def test_status_page_links_each_unit_to_its_figures_with_month_and_year_totals(
    manager_client, projects, unit_a
):
    enter_march(projects, 2)
    response = manager_client.get(reverse("status_page", args=[2024, 3]))
    link = reverse("unit_figures", args=[2024, 3, unit_a.pk])
    page = response.content.decode()
    assert link in page
    totals = dict((u.unit_id, t) for u, t in response.context["unit_table"].data)[unit_a.pk]
    # March alone: entries of 110 and 111; year to date adds February's 3 × 100.
    assert (totals.month_investment, totals.ytd_investment) == (Decimal("221"), Decimal("521"))
    figures = manager_client.get(link)
    assert figures.status_code == 200
    assert figures.context["grid"].month_investment == Decimal("221")
    assert 'name="e-0-investment"' not in figures.content.decode()


def test_unit_staff_cannot_read_the_reviewers_unit_figures(logged_in, projects, unit_a):
    assert logged_in.get(reverse("unit_figures", args=[2024, 3, unit_a.pk])).status_code == 403


def test_deadline_is_the_fifth_of_next_month_unless_changed():
    settings = ReportSettings(deadline_day=5)
    due = deadline(2024, 3, settings, dt.date(2024, 4, 2))
    assert (due.date, due.days, due.overdue) == (dt.date(2024, 4, 5), 3, False)
    assert deadline(2024, 12, settings, dt.date(2025, 1, 6)).overdue
    settings.deadline_day = 10
    assert deadline(2024, 3, settings, dt.date(2024, 4, 6)).days == 4


@time_machine.travel(dt.datetime(2024, 4, 2, 9, tzinfo=dt.UTC), tick=False)
def test_entry_page_says_when_the_month_is_due(logged_in, projects):
    page = logged_in.get(reverse("entry")).content.decode()
    assert "截止日期 2024年4月5日，还有 3 天。" in page


@time_machine.travel(dt.datetime(2024, 4, 8, 9, tzinfo=dt.UTC), tick=False)
def test_entry_page_and_status_page_flag_an_overdue_month(logged_in, manager_client, projects):
    assert "已逾期" in logged_in.get(reverse("entry")).content.decode()
    assert "已逾期" in manager_client.get(reverse("status_page", args=[2024, 3])).content.decode()


def test_a_returned_month_shows_its_comment_on_the_entry_page(logged_in, projects, unit_a):
    MonthSubmission.objects.create(
        unit=unit_a, year=2024, month=3, status="returned", comment="A2 投资额有误"
    )
    page = logged_in.get(reverse("entry"), {"year": 2024, "month": 3}).content.decode()
    assert "A2 投资额有误" in page
