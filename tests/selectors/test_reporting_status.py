"""Reporting status page and CSV, month states, review screens and the returned-month notice."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from projects import services
from projects.models import MonthSubmission, PeriodLock
from projects.selectors.status import month_states, reporting_status
from tests.factories import MonthlyProgressFactory, ProjectFactory, UnitFactory, user_with_role
from tests.reporting import settled

pytestmark = pytest.mark.django_db


@pytest.fixture
def district():
    a = UnitFactory(code="A", name="甲局")
    b = UnitFactory(code="B", name="乙街道")
    a1 = ProjectFactory(unit=a, code="A1")
    ProjectFactory(unit=a, code="A2")
    b1 = ProjectFactory(unit=b, code="B1")
    # A1 repeats February's figures in March; A2 has no March entry; B1 changed.
    MonthlyProgressFactory(project=a1, month=2, investment=Decimal("30"), inclusion=Decimal("10"))
    MonthlyProgressFactory(project=a1, month=3, investment=Decimal("30"), inclusion=Decimal("10"))
    MonthlyProgressFactory(project=b1, month=2, investment=Decimal("5"))
    MonthlyProgressFactory(project=b1, month=3, investment=Decimal("6"))
    staff_a = user_with_role("unit_staff", a, username="zhang_a", first_name="三", last_name="张")
    staff_b = user_with_role("unit_staff", b, username="li_b")
    services.submit_month(actor=staff_b, unit=b, year=2024, month=2)
    services.submit_month(actor=staff_b, unit=b, year=2024, month=3)
    return {
        "a": a,
        "b": b,
        "staff_a": staff_a,
        "staff_b": staff_b,
        "manager": user_with_role("manager"),
    }


def test_status_lists_missing_entries_flags_and_staff(district, django_assert_num_queries):
    with django_assert_num_queries(6):
        report = reporting_status(2024, 3)
    rows = {row.unit_code: row for row in report.units}
    a, b = rows["A"], rows["B"]
    assert (a.projects_total, a.entries, [p.code for p in a.missing]) == (2, 1, ["A2"])
    assert [p.code for p in a.same_as_previous] == ["A1"]
    assert a.previous_not_submitted is True
    assert a.status == "not_submitted"
    assert a.staff == ["zhang_a (张三)"]
    assert (b.missing, b.same_as_previous, b.previous_not_submitted) == ([], [], False)
    assert b.status == MonthSubmission.Status.SUBMITTED
    assert (report.missing, report.units_submitted) == (1, 1)


def test_status_query_count_does_not_grow_with_projects(district, django_assert_num_queries):
    for _ in range(20):
        MonthlyProgressFactory(project=ProjectFactory(unit=UnitFactory()), month=3)
    with django_assert_num_queries(6):
        reporting_status(2024, 3)


def test_january_has_no_previous_month_flag(district):
    report = reporting_status(2024, 1)
    assert all(row.previous_not_submitted is None for row in report.units)


def test_status_page_for_manager_shows_missing_and_flags(client, district):
    client.force_login(district["manager"])
    client.cookies["django_language"] = "en"
    response = client.get(reverse("status_page", args=[2024, 3]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "A2" in page and "zhang_a" in page
    assert '<span class="flag">previous month not submitted</span>' in page
    assert '<span class="flag">A1 ' in page


def test_status_page_and_csv_are_for_managers_only(client, district):
    client.force_login(district["staff_a"])
    assert client.get(reverse("status_page", args=[2024, 3])).status_code == 403
    assert client.get(reverse("status_csv", args=[2024, 3])).status_code == 403


def test_status_page_rejects_impossible_month(client, district):
    client.force_login(district["manager"])
    assert client.get(reverse("status_page", args=[2024, 13])).status_code == 404


def test_status_csv_has_one_row_per_unit(client, district):
    client.force_login(district["manager"])
    response = client.get(reverse("status_csv", args=[2024, 3]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 3
    assert "A2" in lines[1] and "zhang_a" in lines[1]


def test_month_states_mark_open_submitted_approved_locked(district, django_assert_num_queries):
    manager = district["manager"]
    services.submit_month(actor=district["staff_a"], unit=district["a"], year=2024, month=3)
    services.submit_month(actor=district["staff_a"], unit=district["a"], year=2024, month=2)
    services.approve_month(actor=manager, unit=district["a"], year=2024, month=2)
    services.approve_month(actor=manager, unit=district["b"], year=2024, month=2)
    services.lock_month(actor=manager, year=2024, month=1, reason="上报（部分单位未审核）")
    with django_assert_num_queries(3):
        states = month_states(2024, [1, 2, 3, 4])
    assert [s.state for s in states] == ["locked", "approved", "submitted", "open"]


def test_month_states_are_kept_until_a_submission_moves_them(district, django_assert_num_queries):
    """Read again with no write between: the year's versions and one cache get. A submission
    (or approval, or lock) moves the year's version, so the next read counts afresh."""
    settled(empty_cache=True)
    assert [s.state for s in month_states(2024, [3])] == ["open"]
    with django_assert_num_queries(2):
        assert [s.state for s in month_states(2024, [3])] == ["open"]
    services.submit_month(actor=district["staff_a"], unit=district["a"], year=2024, month=3)
    settled()
    assert [s.state for s in month_states(2024, [3])] == ["submitted"]
    services.lock_month(actor=district["manager"], year=2024, month=3, reason="上报")
    settled()
    assert [s.state for s in month_states(2024, [3])] == ["locked"]


def test_manager_returns_month_and_staff_see_comment_at_next_login(client, district):
    client.force_login(district["manager"])
    url = reverse("review_unit", args=[2024, 3, district["b"].pk])
    client.post(url, {"decision": "return", "comment": "B1投资额与统计局不符"})
    sub = MonthSubmission.objects.get(unit=district["b"], year=2024, month=3)
    assert sub.status == MonthSubmission.Status.RETURNED
    client.logout()
    response = client.post(
        reverse("login"),
        {"username": "li_b", "password": "correct-horse-battery-staple"},
        follow=True,
    )
    assert "B1投资额与统计局不符" in response.content.decode()


def test_return_without_comment_is_refused_with_message(client, district):
    client.force_login(district["manager"])
    url = reverse("review_unit", args=[2024, 3, district["b"].pk])
    response = client.post(url, {"decision": "return", "comment": ""}, follow=True)
    assert response.status_code == 200
    assert MonthSubmission.objects.get(unit=district["b"], month=3).status == "submitted"


def test_unit_staff_cannot_approve_through_the_review_url(client, district):
    client.force_login(district["staff_b"])
    url = reverse("review_unit", args=[2024, 3, district["b"].pk])
    assert client.post(url, {"decision": "approve"}).status_code == 403
    assert MonthSubmission.objects.get(unit=district["b"], month=3).status == "submitted"


def test_manager_locks_quarter_from_status_page(client, district):
    client.force_login(district["manager"])
    lock = {"scope": "quarter", "action": "lock"}
    # Not every unit is approved: without a reason nothing is locked, and the page says why.
    refused = client.post(reverse("lock_period", args=[2024, 3]), lock, follow=True)
    assert not PeriodLock.objects.exists()
    assert "未审核通过" in refused.content.decode()
    client.post(reverse("lock_period", args=[2024, 3]), {**lock, "reason": "市里催报，先行上报"})
    assert set(PeriodLock.objects.values_list("month", flat=True)) == {1, 2, 3}
    client.post(
        reverse("lock_period", args=[2024, 3]),
        {"scope": "month", "action": "unlock", "reason": "更正三月数据"},
    )
    assert set(PeriodLock.objects.values_list("month", flat=True)) == {1, 2}


def test_unit_staff_cannot_lock(client, district):
    client.force_login(district["staff_a"])
    response = client.post(reverse("lock_period", args=[2024, 3]), {"action": "lock"})
    assert response.status_code == 403
    assert not PeriodLock.objects.exists()


@time_machine.travel(dt.datetime(2024, 4, 3, 9, 0, tzinfo=dt.UTC))
def test_unit_staff_submit_last_month_from_submit_page(client, district):
    client.force_login(district["staff_a"])
    response = client.get(reverse("submit_month"))
    assert response.status_code == 200
    assert "2024年3月" in response.content.decode()
    client.post(reverse("submit_month"), {"unit": district["a"].pk, "year": 2024, "month": 3})
    assert MonthSubmission.objects.get(unit=district["a"], month=3).status == "submitted"


def test_unit_staff_cannot_submit_another_units_month_by_post(client, district):
    client.force_login(district["staff_a"])
    response = client.post(
        reverse("submit_month"), {"unit": district["b"].pk, "year": 2024, "month": 4}
    )
    assert response.status_code == 404
    assert not MonthSubmission.objects.filter(unit=district["b"], month=4).exists()


@time_machine.travel(dt.datetime(2024, 4, 3, 9, 0, tzinfo=dt.UTC))
def test_status_without_month_opens_last_month_and_nav_links_it(client, district):
    client.force_login(district["manager"])
    response = client.get(reverse("status_latest"))
    assert response["Location"] == reverse("status_page", args=[2024, 3])
    home = client.get(reverse("home"), follow=True).content.decode()
    assert reverse("status_latest") in home
    assert reverse("submit_month") not in home
    client.force_login(district["staff_a"])
    home = client.get(reverse("home"), follow=True).content.decode()
    assert reverse("submit_month") in home and reverse("status_latest") not in home


def test_report_page_marks_each_month_of_its_period(client, district):
    services.lock_month(
        actor=district["manager"], year=2024, month=1, reason="上报（部分单位未审核）"
    )
    client.force_login(district["manager"])
    page = client.get(reverse("quarterly_report", args=[2024, 1])).content.decode()
    assert "1月：已锁定" in page
    assert "3月：填报中" in page
    assert page.count('class="month-state ') == 3


def test_status_counts_a_project_joining_on_the_months_last_day_and_not_one_leaving_then(district):
    ProjectFactory(unit=district["a"], code="A3", joined_on=dt.date(2024, 3, 31))
    ProjectFactory(unit=district["a"], code="A4", withdrawn_on=dt.date(2024, 3, 31))
    ProjectFactory(unit=district["a"], code="A5", joined_on=dt.date(2024, 4, 1))
    a = next(u for u in reporting_status(2024, 3).units if u.unit_code == "A")
    assert [p.code for p in a.missing] == ["A2", "A3"]
    assert a.projects_total == 3
