"""Baseline (年初计划) against adjusted plan in the report, its files and the 通报.

The measured case: a Q1 plan of 162.20 lowered to 50 made a project with 60 done
look 120% complete (green) instead of 37.0% (red). The report keeps rates on the
current plan, shows the baseline beside it, counts and sums the adjustments, and
computes on the baseline when asked (``?plan=baseline``). Every expected figure
here is computed from the stored rows, not copied from the report.
"""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects import exports, services
from projects.briefing.wording import adjustments
from projects.choices import Light
from projects.models import MonthlyProgress, Project, QuarterPlan, ReportSettings
from projects.money import completion_rate
from projects.permissions import WHOLE_DISTRICT
from projects.selectors import quarterly_report
from projects.selectors.briefing import build_briefing
from tests.factories import (
    MonthlyProgressFactory,
    ProgrammeFactory,
    ProjectFactory,
    QuarterPlanFactory,
)

pytestmark = pytest.mark.django_db

D = Decimal


def continuing(programme, unit, code):
    # Continuing projects: the light then follows the rate alone (no start test).
    return ProjectFactory(programme=programme, unit=unit, code=code, kind=Project.Kind.CONTINUING)


@pytest.fixture
def ledger(manager, unit_a):
    # The lights here follow the completion rate on the chosen plan: the plan style.
    ReportSettings.objects.update_or_create(pk=1, defaults={"progress_style": "plan"})
    programme = ProgrammeFactory(year=2024)
    lowered = continuing(programme, unit_a, "CY-LOW")
    steady = continuing(programme, unit_a, "CY-STEADY")
    plan = QuarterPlanFactory(project=lowered, year=2024, investment_q1=D("162.20"))
    QuarterPlanFactory(project=steady, year=2024)
    for project, amounts in ((lowered, ("20", "20", "20")), (steady, ("30", "30", "40"))):
        for month, amount in enumerate(amounts, start=1):
            MonthlyProgressFactory(project=project, month=month, investment=D(amount))
    services.save_plan(
        actor=manager,
        project=lowered,
        year=2024,
        investment=[D("50"), D("100"), D("100"), D("100")],
        inclusion=[D("80")] * 4,
        expected_version=plan.version,
    )
    return programme


def q1(programme, **kwargs):
    return quarterly_report(
        user=WHOLE_DISTRICT, programme=programme, year=2024, quarter=1, **kwargs
    )


def stored_q1(field_prefix=""):
    """Each project's stored Q1 investment plan (current or baseline) by code."""
    return {
        p.project.code: getattr(p, f"{field_prefix}investment_q1")
        for p in QuarterPlan.objects.select_related("project")
    }


def stored_actual():
    out = {}
    for row in MonthlyProgress.objects.filter(year=2024, month__in=(1, 2, 3)):
        out[row.project.code] = out.get(row.project.code, D(0)) + row.investment
    return out


def test_rates_stay_on_the_current_plan_with_the_baseline_beside_it(ledger):
    report = q1(ledger)
    current, baseline, actual = stored_q1(), stored_q1("baseline_"), stored_actual()
    rows = {r.code: r for r in report.rows}
    for code, row in rows.items():
        assert row.investment.planned == current[code]
        assert row.investment.adjusted_planned == current[code]
        assert row.investment.baseline_planned == baseline[code]
        assert row.investment.rate == completion_rate(actual[code], current[code])
        assert row.plan_adjusted == (current[code] != baseline[code])
    assert rows["CY-LOW"].investment.rate == D("120.0")
    assert rows["CY-LOW"].light == Light.GREEN


def test_headline_counts_and_sums_the_adjustments(ledger):
    h = q1(ledger).headline
    current, baseline = stored_q1(), stored_q1("baseline_")
    assert h.adjusted_projects == sum(1 for c in current if current[c] != baseline[c]) == 1
    assert h.investment.baseline_planned == sum(baseline.values())
    assert h.investment.adjusted_planned == sum(current.values())
    assert h.investment.adjustment == sum(current.values()) - sum(baseline.values())
    assert h.investment.adjustment == D("-112.20")
    assert h.investment.annual_adjustment == D("-112.20")


def test_baseline_toggle_computes_rates_and_lights_on_the_baseline(ledger):
    report = q1(ledger, filters={"plan": "baseline"})
    assert report.on_baseline
    baseline, actual = stored_q1("baseline_"), stored_actual()
    rows = {r.code: r for r in report.rows}
    low = rows["CY-LOW"]
    assert low.investment.planned == baseline["CY-LOW"] == D("162.20")
    assert low.investment.rate == completion_rate(actual["CY-LOW"], baseline["CY-LOW"])
    assert low.investment.rate == D("37.0")
    # Back on the red list the adjustment had taken it off.
    assert low.light == Light.RED
    assert report.headline.investment.planned == sum(baseline.values())
    assert report.headline.adjusted_projects == 1


def test_a_plan_written_without_a_baseline_reads_as_unadjusted(ledger, unit_a):
    project = continuing(ledger, unit_a, "CY-BULK")
    QuarterPlan.objects.bulk_create(
        [QuarterPlan(project=project, year=2024, investment_q1=D("70"))]
    )
    row = next(r for r in q1(ledger).rows if r.code == "CY-BULK")
    assert row.investment.baseline_planned == row.investment.planned == D("70.00")
    assert not row.plan_adjusted


def test_the_report_costs_the_same_queries_with_more_projects(ledger, unit_a, manager):
    def count():
        with CaptureQueriesContext(connection) as queries:
            list(q1(ledger, filters={"plan": "baseline"}).rows)
        return len(queries)

    count()  # the first report creates the settings row and warms caches
    few = count()
    for n in range(5):
        project = continuing(ledger, unit_a, f"CY-MORE-{n}")
        QuarterPlanFactory(project=project, year=2024)
        MonthlyProgressFactory(project=project, month=2)
    assert count() == few


# ---------------------------------------------------------------- files and 通报


def csv_rows(programme, **filters):
    export = exports.export_report_file(
        user=WHOLE_DISTRICT, programme=programme, year=2024, quarter=1, fmt="csv", filters=filters
    )
    return list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")))), export


def test_csv_has_baseline_and_adjusted_columns(ledger):
    rows, _export = csv_rows(ledger)
    head = rows[0]
    low = next(r for r in rows if r[0] == "CY-LOW")
    cell = dict(zip(head, low, strict=True))
    assert cell["累计计划投资（万元）"] == "50.00"
    assert cell["累计年初计划投资（万元）"] == "162.20"
    assert cell["累计调整后计划投资（万元）"] == "50.00"
    assert cell["计划调整"] == "已调整"
    assert cell["投资完成率（%）"] == "120.0"
    total = dict(zip(head, next(r for r in rows if r[0] == "合计"), strict=True))
    assert total["计划调整"] == "1个项目调整"


def test_csv_on_the_baseline_says_so_in_its_name_and_rates(ledger):
    rows, export = csv_rows(ledger, plan="baseline")
    assert "按年初计划" in export.filename
    low = dict(zip(rows[0], next(r for r in rows if r[0] == "CY-LOW"), strict=True))
    assert (low["累计计划投资（万元）"], low["投资完成率（%）"]) == ("162.20", "37.0")


def test_xlsx_summary_counts_and_sums_the_adjustments(ledger):
    export = exports.export_report_file(
        user=WHOLE_DISTRICT, programme=ledger, year=2024, quarter=1, fmt="xlsx"
    )
    sheet = openpyxl.load_workbook(io.BytesIO(export.content))["汇总"]
    values = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert values["计划调整项目数（个）"] == 1
    assert D(str(values["累计计划投资较年初计划调整（万元）"])) == D("-112.20")
    assert D(str(values["累计年初计划投资（万元）"])) == D("262.20")


def test_briefing_states_the_adjustments_and_its_basis(ledger):
    briefing = build_briefing(user=WHOLE_DISTRICT, programme=ledger, year=2024, quarter=1)
    sentence = adjustments(briefing)
    assert "年内调整计划的项目1个" in sentence and "调减112.20万元" in sentence
    assert "CY-LOW" not in {item.code for item in briefing.red}
    on_baseline = build_briefing(
        user=WHOLE_DISTRICT, programme=ledger, year=2024, quarter=1, filters={"plan": "baseline"}
    )
    assert "本通报完成率按年初计划计算" in adjustments(on_baseline)
    assert "CY-LOW" in {item.code for item in on_baseline.red}


def test_report_page_shows_the_baseline_column_and_the_toggle(ledger, manager_client):
    url = reverse("quarterly_report", kwargs={"year": 2024, "quarter": 1})
    page = manager_client.get(url).content.decode()
    assert "累计年初计划投资" in page and "162.20（已调整）" in page
    assert "?plan=baseline" in page and "计划调整：1个项目" in page
    page = manager_client.get(url + "?plan=baseline").content.decode()
    assert "完成率按年初计划计算" in page and "累计调整后计划投资" in page
