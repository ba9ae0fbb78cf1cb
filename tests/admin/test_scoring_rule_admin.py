"""Managers set the scoring formula in the admin; every change is kept in its history."""

import pytest
from django.urls import reverse

from projects.models import ScoringRule

pytestmark = pytest.mark.django_db


def test_a_manager_changes_a_weight_and_the_history_keeps_the_old_one(manager_client):
    rule = ScoringRule.current()
    data = {
        "start_weight": "25",
        "investment_weight": "35",
        "inclusion_weight": "20",
        "funds_weight": "10",
        "completion_weight": "10",
        "early_start_bonus": "5",
        "red_penalty": "2",
        "overdue_problem_penalty": "1",
    }
    response = manager_client.post(
        reverse("admin:projects_scoringrule_change", args=[rule.pk]), data
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.start_weight == 25
    assert [h.start_weight for h in rule.history.order_by("history_date")] == [20, 25]


def test_unit_staff_cannot_open_the_formula(staff_a_client):
    rule = ScoringRule.current()
    response = staff_a_client.get(reverse("admin:projects_scoringrule_change", args=[rule.pk]))
    assert response.status_code in (302, 403)
