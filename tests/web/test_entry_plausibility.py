"""The plausibility rule through the month grid and the pages that close a month."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from projects.models import MonthlyProgress
from tests.factories import MonthlyProgressFactory
from tests.web.grid import URL, form_data

pytestmark = pytest.mark.django_db
D = Decimal


def test_a_month_above_the_total_investment_is_refused_even_ticked(logged_in, projects):
    data = form_data(
        logged_in, **{"e-0-investment": "10000.01", "e-0-inclusion": "0", "e-0-confirm": "on"}
    )
    response = logged_in.post(URL, data)
    assert response.status_code == 200
    assert response.context["formset"][0].non_field_errors() == [
        "A1 2024-03：当月完成投资 10000.01 万元超过项目总投资 10000.00 万元，未保存。"
        "项目确实超出总投资的，请管理员先调高总投资。"
    ]
    # No tick can let it through, so none is offered.
    assert response.context["formset"][0].warnings == []
    assert not MonthlyProgress.objects.filter(month=3).exists()


def test_cumulative_investment_over_all_years_above_the_total_is_refused(logged_in, projects):
    own, _other = projects
    MonthlyProgressFactory(project=own[0], year=2023, month=12, investment=D("9800"))
    data = form_data(
        logged_in, **{"e-0-investment": "100.01", "e-0-inclusion": "0", "e-0-confirm": "on"}
    )
    response = logged_in.post(URL, data)
    errors = response.context["formset"][0].non_field_errors()
    assert len(errors) == 1 and "历年累计完成投资将达 10000.01 万元" in errors[0]
    assert not MonthlyProgress.objects.filter(month=3).exists()


def test_warnings_show_in_the_same_round_as_another_rows_error(logged_in, projects):
    data = form_data(
        logged_in,
        **{
            "e-0-investment": "一百",
            "e-0-inclusion": "0",
            "e-1-investment": "3500",
            "e-1-inclusion": "0",
        },
    )
    response = logged_in.post(URL, data)
    formset = response.context["formset"]
    assert "investment" in formset[0].errors
    assert [w.code for w in formset[1].warnings] == ["share_of_total", "times_average", "jump"]
    assert 'name="e-1-confirm"' in response.content.decode()
    assert not MonthlyProgress.objects.filter(month=3).exists()


def test_a_ticked_unusual_row_is_saved_with_who_confirmed_it(logged_in, projects, clerk):
    data = form_data(logged_in, **{"e-0-investment": "3500", "e-0-inclusion": "0"})
    assert logged_in.post(URL, data).status_code == 200
    data["e-0-confirm"] = "on"
    assert logged_in.post(URL, data).status_code == 302
    entry = MonthlyProgress.objects.get(month=3)
    assert (entry.investment, entry.acknowledged_by) == (D("3500"), clerk)
    assert entry.acknowledged_warnings == "share_of_total,times_average,jump"
    assert entry.history.latest().acknowledged_by_id == clerk.pk


def test_two_rows_with_the_same_figures_in_one_save_are_both_queried(logged_in, projects):
    data = form_data(
        logged_in,
        **{
            "e-0-investment": "123",
            "e-0-inclusion": "95",
            "e-1-investment": "123",
            "e-1-inclusion": "95",
        },
    )
    response = logged_in.post(URL, data)
    formset = response.context["formset"]
    assert [w.code for w in formset[0].warnings] == ["same_as_other_project"]
    assert [w.code for w in formset[1].warnings] == ["same_as_other_project"]
    assert not MonthlyProgress.objects.filter(month=3).exists()


def acknowledged_march(logged_in):
    data = form_data(
        logged_in, **{"e-0-investment": "3500", "e-0-inclusion": "0", "e-0-confirm": "on"}
    )
    assert logged_in.post(URL, data).status_code == 302


def test_the_submit_confirmation_lists_acknowledged_rows(logged_in, projects, unit_a, clerk):
    acknowledged_march(logged_in)
    response = logged_in.post(
        reverse("entry_submit"), {"unit": unit_a.pk, "year": 2024, "month": 3}
    )
    [row] = response.context["acknowledged"]
    assert (row.project.code, row.by) == ("A1", clerk.get_username())
    page = response.content.decode()
    assert "单月占总投资比例过大、超过月均数的倍数过大、较上月陡增" in page
    # Shown in the site's time zone: at 16:00 UTC it is already tomorrow in Qingdao.
    assert "核实人" in page and timezone.localtime(row.at).strftime("%Y-%m-%d") in page


def test_the_lock_confirmation_lists_acknowledged_rows(logged_in, projects, manager_client):
    acknowledged_march(logged_in)
    response = manager_client.get(reverse("lock_confirm", args=[2024, 3]))
    assert [(r.project.code, r.codes) for r in response.context["acknowledged"]] == [
        ("A1", "share_of_total,times_average,jump")
    ]
    assert "1 条异常数据已核实并保留" in response.content.decode()
