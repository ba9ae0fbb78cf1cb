"""The month entry grid: scoping, one save for the month, per-row errors and closed months."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from projects.models import MonthlyProgress, MonthSubmission, PeriodLock
from projects.permissions import MANAGER
from tests.factories import (
    MonthlyProgressFactory,
    user_with_role,
)
from tests.web.grid import MARCH, URL, form_data

pytestmark = pytest.mark.django_db


def test_unit_staff_see_only_their_units_projects(logged_in, projects):
    response = logged_in.get(URL, MARCH)
    codes = [row.project.code for row, _form in response.context["lines"]]
    assert codes == ["A1", "A2", "A3"]
    # The name, not the code: a two-character code can turn up inside a random CSRF token.
    other = projects[1]
    assert other.name not in response.content.decode()


def test_grid_prefills_text_from_last_month_and_shows_year_to_date(logged_in, projects):
    response = logged_in.get(URL, MARCH)
    form = response.context["formset"][0]
    assert form["image_progress"].value() == "基础施工"
    assert form["investment"].value() is None
    row = response.context["lines"][0][0]
    assert row.ytd_before_investment == Decimal("100.00")
    assert row.quarter_plan_investment == Decimal("300.00")
    assert 'inputmode="decimal"' in response.content.decode()


def test_saving_writes_only_changed_rows(logged_in, projects, clerk):
    data = form_data(logged_in, **{"e-0-investment": "120", "e-0-inclusion": "90"})
    response = logged_in.post(URL, data)
    assert response.status_code == 302
    march = MonthlyProgress.objects.filter(year=2024, month=3)
    assert list(march.values_list("project__code", "investment", "inclusion")) == [
        ("A1", Decimal("120.00"), Decimal("90.00"))
    ]
    entry = march.get()
    assert entry.image_progress == "基础施工" and entry.updated_by == clerk
    assert entry.history.latest().history_user == clerk


def test_untouched_grid_writes_nothing(logged_in, projects):
    response = logged_in.post(URL, form_data(logged_in), follow=True)
    assert not MonthlyProgress.objects.filter(month=3).exists()
    assert "没有改动" in response.content.decode()


def test_text_in_an_amount_is_named_on_its_row_and_nothing_is_saved(logged_in, projects):
    data = form_data(
        logged_in,
        **{
            "e-0-investment": "120",
            "e-0-inclusion": "90",
            "e-1-investment": "一百",
            "e-1-inclusion": "0",
        },
    )
    response = logged_in.post(URL, data)
    assert response.status_code == 200
    errors = response.context["formset"][1].errors["investment"]
    assert errors == [
        "“一百”金额写法不对：请写数字，可带一个小数点，千分位逗号须三位一组，如 1,234.5。"
    ]
    assert not response.context["formset"][0].errors
    assert not MonthlyProgress.objects.filter(month=3).exists()


def test_a_half_filled_row_asks_for_the_other_amount(logged_in, projects):
    data = form_data(logged_in, **{"e-2-investment": "50"})
    response = logged_in.post(URL, data)
    assert response.context["formset"][2].errors["inclusion"] == ["请填写当月纳统额；没有请填 0。"]


def test_negative_amount_is_refused_in_chinese(logged_in, projects):
    data = form_data(logged_in, **{"e-0-investment": "-5", "e-0-inclusion": "0"})
    response = logged_in.post(URL, data)
    assert response.context["formset"][0].errors["investment"] == ["金额不能为负数。"]


def test_full_width_digits_point_and_the_unit_are_read(logged_in, projects):
    # Thousands separators through this door: tests/test_money.py with the shared cases.
    data = form_data(logged_in, **{"e-0-investment": "１２０．５", "e-0-inclusion": "90万元"})
    logged_in.post(URL, data)
    entry = MonthlyProgress.objects.get(month=3)
    assert (entry.investment, entry.inclusion) == (Decimal("120.50"), Decimal("90.00"))


@pytest.mark.parametrize("typed", ["1,2", "1e3", "1.2.3", "１２，３"])
def test_a_malformed_amount_is_refused_saying_how_to_write_it(logged_in, projects, typed):
    data = form_data(logged_in, **{"e-0-investment": typed, "e-0-inclusion": "0"})
    response = logged_in.post(URL, data)
    assert response.context["formset"][0].errors["investment"] == [
        f"“{typed}”金额写法不对：请写数字，可带一个小数点，千分位逗号须三位一组，如 1,234.5。"
    ]
    assert not MonthlyProgress.objects.filter(month=3).exists()


def test_posted_project_of_another_unit_is_not_written(logged_in, projects):
    own, other = projects
    data = form_data(
        logged_in, **{"e-0-project": str(other.pk), "e-0-investment": "1", "e-0-inclusion": "1"}
    )
    response = logged_in.post(URL, data)
    assert response.status_code == 200
    assert not MonthlyProgress.objects.filter(project=other).exists()
    assert not MonthlyProgress.objects.filter(month=3).exists()


def test_submitted_month_is_read_only_for_its_unit(logged_in, projects, unit_a):
    MonthSubmission.objects.create(unit=unit_a, year=2024, month=3, status="submitted")
    response = logged_in.get(URL, MARCH)
    assert len(response.context["formset"].forms) == 0
    assert "已提交" in response.content.decode()
    assert 'name="e-0-investment"' not in response.content.decode()


def test_locked_month_is_read_only_and_a_forged_post_writes_nothing(logged_in, projects):
    data = form_data(logged_in, **{"e-0-investment": "120", "e-0-inclusion": "90"})
    PeriodLock.objects.create(year=2024, month=3)
    response = logged_in.post(URL, data, follow=True)
    assert response.status_code == 200
    assert not MonthlyProgress.objects.filter(month=3).exists()
    assert "已上报并锁定" in response.content.decode()


def test_someone_elses_save_in_between_is_refused(logged_in, projects, clerk):
    own, _other = projects
    data = form_data(logged_in, **{"e-0-investment": "120", "e-0-inclusion": "90"})
    MonthlyProgressFactory(project=own[0], month=3, investment=Decimal("7"), inclusion=Decimal("7"))
    response = logged_in.post(URL, data)
    assert response.status_code == 200
    assert MonthlyProgress.objects.get(project=own[0], month=3).investment == Decimal("7")


def test_future_month_is_not_offered(logged_in, projects):
    today = dt.date.today()
    response = logged_in.get(URL, {"year": today.year + 1, "month": 1}, follow=True)
    grid = response.context["grid"]
    assert (grid.year, grid.month) < (today.year + 1, 1)
    assert "尚未开始" in response.content.decode()


def test_nonsense_month_gets_a_message_not_an_error(logged_in, projects):
    response = logged_in.get(URL, {"year": "x", "month": "13"})
    assert response.status_code == 200
    assert "不是有效月份" in response.content.decode()


def test_viewer_without_units_is_refused(client, projects):
    viewer = user_with_role("viewer", username="viewer")
    client.force_login(viewer)
    assert client.get(URL).status_code == 403


def test_manager_sees_one_unit_at_a_time(client, projects, unit_b):
    manager = user_with_role(MANAGER, username="boss")
    client.force_login(manager)
    response = client.get(URL, {**MARCH, "unit": unit_b.pk})
    assert [row.project.code for row, _f in response.context["lines"]] == ["B1"]


def test_unit_staff_land_on_the_entry_page(logged_in, projects):
    response = logged_in.get(reverse("home"))
    assert response.status_code == 302 and response.url == URL


@pytest.mark.parametrize(
    ("setup", "chip"),
    [
        ("nothing", "未保存"),
        ("saved", "已保存未提交"),
        ("returned", "已退回"),
        ("locked", "已锁定"),
    ],
)
def test_the_grid_says_where_the_units_month_stands(logged_in, projects, unit_a, setup, chip):
    if setup in ("saved", "returned"):
        MonthlyProgressFactory(project=projects[0][0], month=3)
    if setup == "returned":
        MonthSubmission.objects.create(
            unit=unit_a, year=2024, month=3, status=MonthSubmission.Status.RETURNED, comment="改"
        )
    if setup == "locked":
        PeriodLock.objects.create(year=2024, month=3, locked_by=user_with_role(MANAGER))
    page = logged_in.get(URL, MARCH).content.decode()
    assert f">{chip}</span>" in page and 'class="state-chip state-' in page
    if setup != "locked":
        # 提交本月 is a button beside 保存, not a small link.
        assert f'class="button" href="{reverse("submit_month")}?' in page


def test_the_page_reads_the_years_of_the_clerks_lists_once_and_one_row_a_year(logged_in, projects):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    logged_in.get(URL)  # the settings rows a live database has (made on first read)
    with CaptureQueriesContext(connection) as captured:
        response = logged_in.get(URL)
    assert response.status_code == 200
    reads = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith('SELECT DISTINCT "projects_programme"."year"')
    ]
    # The default month and the month picker both ask; the projects' codes join no DISTINCT.
    assert len(reads) == 1, "\n".join(reads)
    assert '"projects_project"."code"' not in reads[0]


def test_a_save_naming_its_month_reads_no_default_month(logged_in, projects):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    data = form_data(logged_in, **{"e-0-investment": "120", "e-0-inclusion": "90"})
    with CaptureQueriesContext(connection) as captured:
        response = logged_in.post(URL, data)
    assert response.status_code == 302
    # The lists' years are what the default month (and the picker, not drawn after a save)
    # read: a save that names its month needs neither.
    assert not [
        q
        for q in captured.captured_queries
        if q["sql"].startswith('SELECT DISTINCT "projects_programme"."year"')
    ]
