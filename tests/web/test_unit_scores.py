"""Unit scores: the formula worked out by hand, ranks shared on ties, breakdowns in reach."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.models import FundsInPlace, ScoringRule
from projects.permissions import WHOLE_DISTRICT
from projects.selectors import quarterly_report
from projects.selectors.scores import unit_scores
from tests.factories import (
    MonthlyProgressFactory,
    ProgrammeFactory,
    ProjectFactory,
    QuarterPlanFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_units(unit_a, unit_b):
    """Unit A: a new start begun before its planned quarter, half its plan done, funds of a
    quarter of it; unit B: a continuing project, half done, no funds."""
    programme = ProgrammeFactory(year=2024)
    a = ProjectFactory(
        programme=programme,
        unit=unit_a,
        planned_start=dt.date(2024, 9, 1),
        actual_start=dt.date(2024, 3, 1),
    )
    # Plan 100 a quarter (400 for the year, 80 inclusion a quarter: 320).
    QuarterPlanFactory(project=a)
    MonthlyProgressFactory(project=a, month=2, investment=Decimal("200"), inclusion=Decimal("0"))
    FundsInPlace.objects.create(project=a, year=2024, month=3, source="district", amount=100)
    b = ProjectFactory(programme=programme, unit=unit_b, kind="continuing")
    QuarterPlanFactory(project=b)
    MonthlyProgressFactory(project=b, month=2, investment=Decimal("200"), inclusion=Decimal("0"))
    return programme


def scores_of(programme):
    report = quarterly_report(user=WHOLE_DISTRICT, programme=programme, year=2024, quarter=2)
    return {s.name: s for s in unit_scores(report)}


def test_a_score_by_hand(two_units, unit_a):
    a = scores_of(two_units)[unit_a.name]
    points = {item.label: item.points for item in a.items}
    # Default rule: 开工率 20 (its start begun); 投资 200/400 = 50% → 40 × 0.5 = 20; 纳统 0% → 0;
    # 资金 100/400 = 25% → 10 × 0.25 = 2.5; no completion due → 10 in full; one early start +5;
    # red projects as the report's lights give them, −2 each.
    assert [
        points[k] for k in ("开工率", "投资完成率", "纳统完成率", "资金到位率", "按期竣工率")
    ] == [
        Decimal("20.00"),
        Decimal("20.00"),
        Decimal("0.00"),
        Decimal("2.50"),
        Decimal("10.00"),
    ]
    assert points["提前开工"] == Decimal("5")
    # Its project is behind its start plan on the report's lights: one red, −2.
    assert points["红灯项目"] == Decimal("-2")
    assert a.points == Decimal("55.50")


def test_equal_points_share_a_rank_and_the_formula_is_the_managers(two_units, unit_a, unit_b):
    rule = ScoringRule.current()
    ScoringRule.objects.filter(pk=rule.pk).update(
        start_weight=0, funds_weight=0, early_start_bonus=0, red_penalty=0
    )
    scores = scores_of(two_units)
    assert scores[unit_a.name].points == scores[unit_b.name].points
    assert scores[unit_a.name].rank == scores[unit_b.name].rank == 1
    assert ScoringRule.history.count() >= 1


def test_the_page_shows_each_unit_its_own_breakdown_only(staff_a_client, two_units, unit_a):
    body = staff_a_client.get("/reports/2024/q2/scores/").content.decode()
    assert body.count("资金到位率") == 1  # unit A's breakdown, not unit B's
    assert "只有本单位和区级管理部门可见" in body


def test_the_page_reads_the_same_number_of_queries_for_more_units(manager_client, two_units):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert manager_client.get("/reports/2024/m6/scores/").status_code == 200
        return len(ctx)

    count()  # the first reading makes the rule's row and caches the reference lists
    before = count()
    for _ in range(3):
        QuarterPlanFactory(project=ProjectFactory(programme=two_units, unit=UnitFactory()))
    assert count() == before


def test_the_scores_file_gives_breakdowns_only_to_whoever_reaches_the_unit(
    client, manager, viewer, two_units, unit_a
):
    def csv_line(user, unit):
        client.force_login(user)
        response = client.get("/reports/2024/q2/scores.csv")
        assert response.status_code == 200
        lines = response.content.decode("utf-8-sig").splitlines()
        assert lines[0].startswith("名次,单位编码,责任单位,得分,开工率")
        return next(line for line in lines if unit.name in line)

    # The early start's bonus, its one red light's penalty as a plain negative number, and
    # no overdue problem.
    assert csv_line(manager, unit_a).endswith(",2.50,10.00,5.00,-2.00,0.00")
    # A viewer reads the ranking but no unit's breakdown (their reach changes no unit).
    assert csv_line(viewer, unit_a).endswith(",,,,,,,,")
    assert client.get("/reports/2024/q2/scores.xlsx").status_code == 200
    assert client.get("/reports/2024/q2/scores.pdf").status_code == 404


def test_the_briefing_states_the_scores_and_an_edition_keeps_them(two_units, unit_a, unit_b):
    from projects.briefing.wording import outline
    from projects.selectors.briefing import build_briefing
    from projects.selectors.snapshot import decode, encode

    briefing = build_briefing(user=WHOLE_DISTRICT, programme=two_units, year=2024, quarter=2)
    section = next(s for s in outline(briefing).sections if "单位考核得分" in s.heading)
    assert f"{unit_a.name}55.50分（第1名）" in section.paragraphs[0]
    assert decode(encode(briefing)).scores == briefing.scores


def test_the_page_explains_the_formula_in_chinese(manager_client, two_units):
    body = manager_client.get("/reports/2024/q2/scores/").content.decode()
    # A percent sign in a translated block once sent the page back to its English words.
    assert "各项比率得分 = 权重 × 比率（最高按100%计）" in body
    assert "Each rate earns its weight" not in body
