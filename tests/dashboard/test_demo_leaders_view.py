"""Issue #24's acceptance on the demo: the map draws every demo project, and the Q1 2024
通报 carries the 微更新 and "123" sentences from stored rows."""

import pytest

from projects import demo
from projects.briefing.wording import outline
from projects.models import IndicatorValue, Programme
from projects.permissions import WHOLE_DISTRICT
from projects.selectors.briefing import build_briefing

pytestmark = pytest.mark.django_db


def test_the_map_draws_every_demo_project(demo_db, manager_client):
    page = manager_client.get("/map/?year=2024&quarter=1").content.decode()
    assert page.count('class="map-point ') == 147
    assert "个项目没有坐标" not in page


def test_the_q1_briefing_carries_the_campaigns_and_indicators_from_stored_rows(demo_db):
    programme = Programme.objects.get(code=demo.PROGRAMME_CODE)

    def text() -> str:
        briefing = build_briefing(user=WHOLE_DISTRICT, programme=programme, year=2024, quarter=1)
        return "\n".join(p for s in outline(briefing).sections for p in s.paragraphs)

    before = text()
    assert "4大类45个“微更新”项目，3个项目基本完工" in before
    assert "科技型中小企业入库2,427家" in before and "高新技术企业2,020家" in before
    # The figures are the rows': change a row and the sentence follows.
    row = IndicatorValue.objects.get(value=2427)
    IndicatorValue.objects.filter(pk=row.pk).update(value=2431)
    assert "科技型中小企业入库2,431家" in text()
