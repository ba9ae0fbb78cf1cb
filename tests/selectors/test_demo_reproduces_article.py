"""The quarterly report computed from the demo ledger reproduces the article's Q1 figures."""

import csv
import io
import json
from decimal import Decimal

import pytest

from projects import demo
from projects.exports import export_report_file
from projects.models import Programme
from projects.money import wan_to_yi
from projects.permissions import WHOLE_DISTRICT
from projects.selectors import quarterly_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def q1(demo_db):
    programme = Programme.objects.get(code=demo.PROGRAMME_CODE)
    return programme, quarterly_report(
        user=WHOLE_DISTRICT, programme=programme, year=2024, quarter=1
    )


def test_demo_q1_headline_matches_the_article(q1):
    _programme, report = q1
    h = report.headline
    assert h.projects == 147
    assert (h.starts.planned, h.starts.actual, h.starts.early) == (71, 80, 9)
    assert h.starts.overdue == 0
    assert wan_to_yi(h.investment.planned, 1) == Decimal("15.5")
    assert wan_to_yi(h.investment.actual, 1) == Decimal("24.1")
    assert h.investment.rate == Decimal("155.5")
    assert wan_to_yi(h.investment.annual_plan, 0) == Decimal("137")
    assert h.investment.annual_rate == Decimal("17.6")
    assert wan_to_yi(h.inclusion.planned) == Decimal("13.27")
    assert wan_to_yi(h.inclusion.actual, 0) == Decimal("23")
    assert h.inclusion.rate == Decimal("173.3")
    assert wan_to_yi(h.inclusion.annual_plan, 0) == Decimal("109")
    assert h.inclusion.annual_rate == Decimal("21.1")
    # 17.6 % of the year done against 25 % of the year gone.
    assert h.investment_outlook.points_vs_time == Decimal("-7.4")


def test_demo_breakdowns_and_rows_add_up_to_the_headline(q1):
    _programme, report = q1
    assert len(report.rows) == 147
    assert sum(r.investment.actual for r in report.rows) == report.headline.investment.actual
    for rows in (report.by_category, report.by_unit, report.by_street):
        assert sum(r.projects for r in rows) == 147
        assert sum(r.inclusion.actual for r in rows) == report.headline.inclusion.actual
    assert len(report.by_street) == 8


def test_demo_page_shows_the_article_figures(q1, client, manager):
    client.force_login(manager)
    body = client.get("/reports/2024/q1/").content.decode()
    for figure in ("147", "15.50", "24.10", "155.5%", "17.6%", "13.27", "23.00", "173.3%", "21.1%"):
        assert figure in body, figure
    # 17.6% of the annual plan by the end of Q1, against 25% of the year gone.
    assert "落后时序进度 7.4 个百分点" in body


def test_demo_exports_carry_the_same_totals(q1):
    programme, _report = q1
    csv_file = export_report_file(
        user=WHOLE_DISTRICT, programme=programme, year=2024, quarter=1, fmt="csv"
    )
    rows = list(csv.reader(io.StringIO(csv_file.content.decode("utf-8-sig"))))
    # The table ends at its 合计; the lines after it say how complete the quarter is.
    rows = rows[: [r[0] for r in rows].index("合计") + 1]
    head, total = rows[0], rows[-1]
    assert len(rows) == 149
    assert total[0] == "合计"
    assert total[head.index("累计完成投资（万元）")] == "241000.00"
    assert total[head.index("投资完成率（%）")] == "155.5"
    assert total[head.index("纳统完成率（%）")] == "173.3"
    data = json.loads(
        export_report_file(
            user=WHOLE_DISTRICT, programme=programme, year=2024, quarter=1, fmt="json"
        ).content
    )
    assert data["projects"] == 147
    assert data["starts"] == {"planned": 71, "actual": 80, "early": 9, "overdue": 0}
    assert data["investment"] == {
        "planned": "155000.00",
        "actual": "241000.00",
        "rate": "155.5",
        "annual_plan": "1370000.00",
        "annual_rate": "17.6",
    }
    assert data["inclusion"]["rate"] == "173.3"
    assert data["inclusion"]["annual_rate"] == "21.1"
