"""The admin refuses figures for a month that has not begun, on the form."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from projects.models import MonthlyProgress
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@time_machine.travel(dt.datetime(2024, 5, 20, 9, 0, tzinfo=dt.UTC))
def test_admin_entry_for_a_future_month_is_refused_on_the_form(staff_a_client, unit_a):
    project = ProjectFactory(unit=unit_a)
    response = staff_a_client.post(
        reverse("admin:projects_monthlyprogress_add"),
        {
            "project": project.pk,
            "year": 2027,
            "month": 1,
            "investment": "10",
            "inclusion": "0",
            "image_progress": "",
            "problems": "",
            "reason": "",
        },
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "2027年01月尚未开始" in " ".join(errors["month"])
    assert not MonthlyProgress.objects.exists()


@time_machine.travel(dt.datetime(2024, 5, 20, 9, 0, tzinfo=dt.UTC))
def test_admin_lock_of_a_future_month_is_refused_on_the_form(manager_client):
    response = manager_client.post(
        reverse("admin:projects_periodlock_add"), {"year": 2024, "month": 6, "reason": ""}
    )
    assert response.status_code == 200
    assert "2024年06月尚未开始" in " ".join(response.context["adminform"].form.errors["month"])
