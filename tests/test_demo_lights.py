"""The demo shows every light signal somewhere in 2024, with its reasons (issue #23)."""

import datetime as dt
from collections import Counter

import pytest

from projects.models import Programme, Project
from projects.permissions import WHOLE_DISTRICT
from projects.selectors import Light, quarterly_report

pytestmark = pytest.mark.django_db


def report(**period):
    programme = Programme.objects.get(year=2024)
    return quarterly_report(user=WHOLE_DISTRICT, programme=programme, year=2024, **period)


def reason_codes(r):
    return Counter(reason.code for row in r.rows for reason in row.light_reasons)


def test_every_new_start_planned_for_q1_started_in_q1_so_no_start_slips_there(demo_db):
    # The article: 71 planned starts in Q1, 80 started, 9 of them early.
    new = Project.objects.filter(programme__year=2024, kind=Project.Kind.NEW)
    planned_q1 = new.filter(planned_start__lte=dt.date(2024, 3, 31))
    assert planned_q1.count() == 71
    assert planned_q1.filter(actual_start__lte=dt.date(2024, 3, 31)).count() == 71
    assert new.filter(actual_start__lte=dt.date(2024, 3, 31)).count() == 80
    assert "start_late" not in reason_codes(report(quarter=1))


def test_q1_carries_a_managers_flag_with_its_reason_and_keeps_its_light_counts(demo_db):
    q1 = report(quarter=1)
    flagged = [r for r in q1.rows if any(x.code == "manual" for x in r.light_reasons)]
    assert [(r.code, r.light, r.reasons_text) for r in flagged] == [
        (
            "CY2024-005",
            Light.YELLOW,
            "低于时序进度25.0个百分点；人工标记：征地拆迁进度偏慢，指挥部约谈督促",
        )
    ]
    # The flag leaves the counts as the other signals make them: 入库 lags (2 red, 1 yellow)
    # and the template sets' overdue nodes (9 red, 7 yellow) beside 46 behind 时序进度.
    assert Counter(r.light for r in q1.rows) == {"green": 96, "yellow": 40, "red": 11}


def test_a_start_slip_appears_from_january_to_may(demo_db):
    slipped = [
        (r.code, r.reasons_text)
        for r in report(month=5).rows
        if any(x.code == "start_late" for x in r.light_reasons)
    ]
    assert [code for code, _text in slipped] == ["CY2024-046", "CY2024-127", "CY2024-130"]
    assert all("计划开工逾期1个月" in text for _code, text in slipped)


def test_january_to_march_lists_projects_turned_red_and_one_recovered_to_yellow(demo_db):
    changes = report(month=3).light_changes
    # Red at the end of March, yellow at the end of February: two 入库 lags reaching two
    # months and six nodes passing 30 days overdue in March.
    assert [(c.code, c.was) for c in changes.turned_red] == [
        (code, Light.YELLOW)
        for code in (
            "CY2024-011",
            "CY2024-028",
            "CY2024-029",
            "CY2024-030",
            "CY2024-036",
            "CY2024-093",
            "CY2024-123",
            "CY2024-129",
        )
    ]
    assert [(c.code, c.was, c.light) for c in changes.recovered] == [
        ("CY2024-004", Light.RED, Light.YELLOW)
    ]
    assert report(quarter=1).light_changes.previous is None
    assert [c.code for c in report(month=5).light_changes.turned_red].count("CY2024-010") == 1
