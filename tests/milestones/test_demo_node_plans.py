"""The demo's node plans come from template sets and light the Q1 2024 report's node signal."""

import pytest

from projects.milestones.models import Milestone, TemplateSet
from projects.models import Programme
from projects.permissions import WHOLE_DISTRICT
from projects.selectors import Light, quarterly_report

pytestmark = pytest.mark.django_db


def test_new_starts_plan_from_two_sets_one_with_a_parallel_group(demo_db):
    used = set(Milestone.objects.values_list("template_set__name", flat=True))
    assert {"前期手续", "施工建设", "续建施工"} <= used
    group = Milestone.objects.filter(template_set__name="前期手续", step=20)
    assert set(group.values_list("name", flat=True)) == {"规划许可", "环评批复", "能评批复"}
    assert TemplateSet.objects.get(name="前期手续").nodes.count() == 5


def test_the_q1_2024_report_lights_overdue_nodes_yellow_and_red_with_reasons(demo_db):
    programme = Programme.objects.get(year=2024)
    report = quarterly_report(user=WHOLE_DISTRICT, programme=programme, year=2024, quarter=1)
    said = [
        (reason.light, reason.text)
        for row in report.rows
        for reason in row.light_reasons
        if reason.code == "node_overdue"
    ]
    assert any(light == Light.YELLOW for light, _text in said)
    assert any(light == Light.RED for light, _text in said)
    assert all(text.startswith("节点“") and "超期" in text for _light, text in said)
