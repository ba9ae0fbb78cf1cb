"""A project's light is a set of signals, each with its reason (issue #23).

Each published threshold is reproduced at its edge: 银川's start slip (1 and 3 months) and
points behind the time elapsed (10, 30, 31), 武汉's share of the time elapsed (80%, 60%),
入库 lag (1 and 2 months, 500 万元 and up), late nodes (1 and 31 days), the manual flag.
"""

import csv
import datetime as dt
import io
import itertools
import json
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import IntegerField, Value

from projects import services
from projects.briefing.wording import lagging_state
from projects.exports import export_report_file
from projects.milestones import selectors as node_selectors
from projects.milestones import services as node_services
from projects.models import DispatchSettings, Project, ReportSettings, WarningFlag
from projects.permissions import WHOLE_DISTRICT
from projects.selectors import Light, quarterly_report
from projects.selectors.briefing import build_briefing
from projects.selectors.lights import SIGNALS, LightOf, light_of_sql
from projects.selectors.snapshot import decode, encode
from projects.web.report_tables import ProjectTable
from tests.factories import (
    MonthlyProgressFactory,
    ProgrammeFactory,
    ProjectFactory,
    QuarterPlanFactory,
)

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def programme():
    return ProgrammeFactory(year=2024)


def quiet(programme, code, **fields):
    """A continuing project in the library, with no plan: no signal of its own."""
    values = {
        "programme": programme,
        "code": code,
        "kind": Project.Kind.CONTINUING,
        "actual_start": dt.date(2023, 1, 1),
        "statistics_entry_date": dt.date(2023, 2, 1),
        **fields,
    }
    return ProjectFactory(**values)


def planned(project, per_quarter="100"):
    QuarterPlanFactory(
        project=project,
        year=2024,
        **{f"investment_q{q}": D(per_quarter) for q in range(1, 5)},
    )


def done(project, month, amount):
    MonthlyProgressFactory(project=project, month=month, investment=D(amount), inclusion=D(0))


def rows(programme, quarter=1, **kwargs):
    report = quarterly_report(
        user=WHOLE_DISTRICT, programme=programme, year=2024, quarter=quarter, **kwargs
    )
    return {r.code: r for r in report.rows}


def said(row):
    return [(r.code, r.light, r.text) for r in row.light_reasons]


def settings(**values):
    ReportSettings.objects.update_or_create(pk=1, defaults=values)


# ---------------------------------------------------------------- start slip (银川)


def test_a_start_one_month_late_is_yellow_and_three_months_late_red(programme):
    def new(code, day):
        return quiet(programme, code, kind=Project.Kind.NEW, planned_start=day, actual_start=None)

    new("WEEKS", dt.date(2024, 3, 15))
    new("ONE", dt.date(2024, 2, 29))
    new("TWO", dt.date(2024, 1, 31))
    new("THREE", dt.date(2023, 12, 31))
    quiet(programme, "BEGUN", kind=Project.Kind.NEW, planned_start=dt.date(2023, 12, 1))
    got = rows(programme)
    assert got["WEEKS"].light == Light.GREEN and not got["WEEKS"].light_reasons
    assert said(got["ONE"]) == [("start_late", Light.YELLOW, "计划开工逾期1个月")]
    assert got["TWO"].light == Light.YELLOW
    assert said(got["THREE"]) == [("start_late", Light.RED, "计划开工逾期3个月")]
    assert got["THREE"].light_reasons[0].since == dt.date(2023, 12, 31)
    assert got["BEGUN"].light == Light.GREEN


# ---------------------------------------------------------------- progress against 时序进度


def test_points_behind_the_time_elapsed_10_and_30_are_yellow_31_red(programme):
    # The whole year has gone by at Q4: the time elapsed is 100%, the annual plan 400.
    for code, amount in (("P9", "364"), ("P10", "360"), ("P30", "280"), ("P31", "276")):
        project = quiet(programme, code)
        planned(project)
        done(project, 12, amount)
    got = rows(programme, quarter=4)
    assert got["P9"].light == Light.GREEN
    assert said(got["P10"]) == [("behind_time", Light.YELLOW, "低于时序进度10.0个百分点")]
    assert said(got["P30"]) == [("behind_time", Light.YELLOW, "低于时序进度30.0个百分点")]
    assert said(got["P31"]) == [("behind_time", Light.RED, "低于时序进度31.0个百分点")]
    assert got["P31"].light_reasons[0].since is None


def test_the_ratio_style_is_yellow_below_80_and_red_below_60_percent(programme):
    settings(progress_style="ratio")
    # Half the year gone at Q2: 80% of it is 40% of the annual 400, i.e. 160.
    cases = {"R80": "160", "R79": "159.8", "R60": "120", "R59": "119.8"}
    for code, amount in cases.items():
        project = quiet(programme, code)
        planned(project)
        done(project, 6, amount)
    got = rows(programme, quarter=2)
    assert got["R80"].light == Light.GREEN
    assert said(got["R79"]) == [("behind_time", Light.YELLOW, "仅达时序进度的79.9%")]
    assert said(got["R60"]) == [("behind_time", Light.YELLOW, "仅达时序进度的60.0%")]
    assert said(got["R59"]) == [("behind_time", Light.RED, "仅达时序进度的59.9%")]


def test_a_project_that_makes_good_its_shortfall_turns_from_red_to_yellow(programme):
    project = quiet(programme, "CATCH")
    planned(project)
    done(project, 5, "70")  # 17.5% of the year at half time: 32.5 points behind
    done(project, 8, "150")  # 55% at three quarters: 20 points behind
    assert rows(programme, quarter=2)["CATCH"].light == Light.RED
    assert said(rows(programme, quarter=3)["CATCH"]) == [
        ("behind_time", Light.YELLOW, "低于时序进度20.0个百分点")
    ]


def test_thresholds_are_the_managers_to_change(programme):
    project = quiet(programme, "P12")
    planned(project)
    done(project, 12, "352")  # 12 points behind
    assert rows(programme, quarter=4)["P12"].light == Light.YELLOW
    settings(behind_yellow_points=D("15"))
    assert rows(programme, quarter=4)["P12"].light == Light.GREEN


def test_the_plan_style_keeps_the_completion_rate_cut_off(programme):
    settings(progress_style="plan")
    project = quiet(programme, "PLAN")
    planned(project)
    done(project, 3, "55")  # 55% of the quarter's plan, below 60%
    assert said(rows(programme)["PLAN"]) == [("behind_time", Light.RED, "累计投资完成率55.0%")]


# ---------------------------------------------------------------- 入库 lag


def test_started_projects_of_500_wan_and_up_outside_the_library_turn_yellow_then_red(programme):
    def started(code, day, total):
        return quiet(
            programme, code, actual_start=day, statistics_entry_date=None, total_investment=D(total)
        )

    started("FRESH", dt.date(2024, 3, 15), "500")
    started("ONE", dt.date(2024, 2, 29), "500")
    started("TWO", dt.date(2024, 1, 31), "500")
    started("SMALL", dt.date(2024, 1, 1), "499")
    got = rows(programme)
    assert got["FRESH"].light == Light.GREEN
    assert said(got["ONE"]) == [("not_in_stats", Light.YELLOW, "开工1个月未入库")]
    assert said(got["TWO"]) == [("not_in_stats", Light.RED, "开工2个月未入库")]
    assert got["SMALL"].light == Light.GREEN
    # The dispatch list reads the same rule: the 499 万元 project is not on it either.
    listed = node_selectors.not_in_library(
        Project.objects.all(), dt.date(2024, 3, 31), DispatchSettings.current()
    )
    assert [(n.project.code, n.light) for n in listed] == [("TWO", "red"), ("ONE", "yellow")]


# ---------------------------------------------------------------- late nodes


def test_a_late_node_is_yellow_and_more_than_30_days_late_red(programme, manager):
    one = quiet(programme, "N1")
    thirty = quiet(programme, "N30")
    many = quiet(programme, "N31")
    for project, day in (
        (one, dt.date(2024, 3, 30)),
        (thirty, dt.date(2024, 3, 1)),
        (many, dt.date(2024, 2, 29)),
    ):
        node_services.save_milestone(
            actor=manager, project=project, name="施工许可", planned_date=day, actual_date=None
        )
    node_services.save_milestone(
        actor=manager,
        project=one,
        name="土地摘牌",
        planned_date=dt.date(2024, 1, 5),
        actual_date=dt.date(2024, 1, 6),
    )
    got = rows(programme)
    assert said(got["N1"]) == [("node_overdue", Light.YELLOW, "节点“施工许可”超期1天")]
    assert said(got["N30"]) == [("node_overdue", Light.YELLOW, "节点“施工许可”超期30天")]
    assert said(got["N31"]) == [("node_overdue", Light.RED, "节点“施工许可”超期31天")]
    assert got["N31"].light_reasons[0].since == dt.date(2024, 2, 29)


# ---------------------------------------------------------------- the manager's flag


def test_a_managers_flag_lights_the_project_with_its_reason_and_keeps_history(
    programme, manager, staff_a
):
    project = quiet(programme, "FLAG")
    with pytest.raises(PermissionDenied):
        services.flag_project(actor=staff_a, project=project, light="red", reason="征地受阻")
    with pytest.raises(ValidationError):
        services.flag_project(actor=manager, project=project, light="red", reason="  ")
    services.flag_project(
        actor=manager, project=project, light="red", reason="征地受阻", since=dt.date(2024, 3, 1)
    )
    got = rows(programme)["FLAG"]
    assert said(got) == [("manual", Light.RED, "人工标记：征地受阻")]
    assert got.light_reasons[0].since == dt.date(2024, 3, 1)
    # A period that ended before the flag reads as it did.
    assert rows(programme, month=2)["FLAG"].light == Light.GREEN
    assert services.clear_flag(actor=manager, project=project, reason="已协调解决")
    assert rows(programme)["FLAG"].light == Light.GREEN
    history = WarningFlag.history.filter(project_id=project.pk).order_by("history_date")
    assert [(h.history_type, h.history_user, h.history_change_reason) for h in history] == [
        ("+", manager, "征地受阻"),
        ("-", manager, "已协调解决"),
    ]


def test_the_light_is_the_worst_signal_and_every_reason_is_said(programme, manager):
    project = quiet(programme, "BOTH", actual_start=dt.date(2024, 2, 1), statistics_entry_date=None)
    services.flag_project(
        actor=manager,
        project=project,
        light="yellow",
        reason="资金未到位",
        since=dt.date(2024, 1, 1),
    )
    got = rows(programme)["BOTH"]
    assert got.light == Light.YELLOW
    assert got.reasons_text == "开工1个月未入库；人工标记：资金未到位"


# ---------------------------------------------------------------- every output says why


@pytest.fixture
def lagging(programme, manager):
    project = quiet(programme, "LATE", kind=Project.Kind.NEW, planned_start=dt.date(2023, 12, 31))
    project.actual_start = None
    project.save()
    quiet(programme, "FINE")
    return project


def test_the_page_table_shows_the_reasons_as_a_column(programme, lagging):
    row = rows(programme)["LATE"]
    table = ProjectTable([row], request=None, sort=None, viewable=None)
    assert table.render_light_reasons(row) == "计划开工逾期3个月"
    assert '<td class="wrap">计划开工逾期3个月</td>' in table.html_rows()[0]


def test_files_have_a_reasons_column_and_json_rows_give_code_text_and_since(programme, lagging):
    export = export_report_file(
        user=WHOLE_DISTRICT, programme=programme, year=2024, quarter=1, fmt="csv"
    )
    table = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    head = table[0]
    late = dict(zip(head, next(r for r in table if r[0] == "LATE"), strict=True))
    fine = dict(zip(head, next(r for r in table if r[0] == "FINE"), strict=True))
    assert (late["预警原因"], fine["预警原因"]) == ("计划开工逾期3个月", "")
    export = export_report_file(
        user=WHOLE_DISTRICT, programme=programme, year=2024, quarter=1, fmt="json"
    )
    document = json.loads(export.content)
    by_code = {r["code"]: r for r in document["rows"]}
    assert by_code["LATE"]["light"] == "red"
    assert by_code["LATE"]["light_reasons"] == [
        {"code": "start_late", "text": "计划开工逾期3个月", "since": "2023-12-31"}
    ]
    assert by_code["FINE"]["light_reasons"] == []


def test_the_briefing_lists_the_red_project_with_its_reasons_and_the_rule(programme, lagging):
    briefing = build_briefing(user=WHOLE_DISTRICT, programme=programme, year=2024, quarter=1)
    assert [item.code for item in briefing.red] == ["LATE"]
    assert lagging_state(briefing.red[0]) == "计划开工逾期3个月"
    assert briefing.report.light_rule == (
        "按年度投资完成率落后时序进度10个百分点及以上亮黄灯、超过30个百分点亮红灯；"
        "计划开工逾期满1个月亮黄灯、满3个月亮红灯；"
        "计划总投资500万元及以上项目开工满1个月未入库亮黄灯、满2个月亮红灯；"
        "节点超期亮黄灯、超期超过30天亮红灯；人工标记的按标记亮灯"
    )


def test_an_edition_keeps_the_reasons_it_was_sent_with(programme, lagging):
    report = quarterly_report(user=WHOLE_DISTRICT, programme=programme, year=2024, quarter=1)
    back = decode(json.loads(json.dumps(encode(report))))
    late = next(r for r in back.rows if r.code == "LATE")
    assert late.light_reasons == next(r for r in report.rows if r.code == "LATE").light_reasons
    assert late.light_reasons[0].since == dt.date(2023, 12, 31)


def test_the_page_and_the_print_view_say_why(programme, lagging, manager_client):
    page = manager_client.get("/reports/2024/q1/").content.decode()
    printed = manager_client.get("/reports/2024/q1/print/").content.decode()
    assert "预警原因" in page and "计划开工逾期3个月" in page
    assert "计划开工逾期3个月" in printed


def test_the_xlsx_has_the_reasons_column(programme, lagging):
    export = export_report_file(
        user=WHOLE_DISTRICT, programme=programme, year=2024, quarter=1, fmt="xlsx"
    )
    sheet = openpyxl.load_workbook(io.BytesIO(export.content))["项目明细"]
    table = [row for row in sheet.iter_rows(values_only=True) if row and row[0]]
    head = next(row for row in table if row[0] == "项目编号")
    late = next(row for row in table if row[0] == "LATE")
    assert dict(zip(head, late, strict=False))["预警原因"] == "计划开工逾期3个月"


def test_the_light_is_the_worst_of_its_signals_levels_in_every_combination():
    """``LightOf`` (a simple CASE on the greatest level) against the rule in words: red when
    any signal is red, else yellow when any is yellow, else green; all 3⁵ combinations."""
    combinations = list(itertools.product((0, 1, 2), repeat=len(SIGNALS)))
    row = ContentType.objects.order_by("pk")[:1]
    for levels in combinations:
        light = row.annotate(
            light=LightOf(*(Value(level, output_field=IntegerField()) for level in levels))
        ).values_list("light", flat=True)[0]
        expected = Light.RED if 2 in levels else Light.YELLOW if 1 in levels else Light.GREEN
        assert light == expected, levels


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the files' SQL twin runs on PostgreSQL alone"
)
def test_the_files_light_from_the_level_columns_is_the_light_in_every_combination():
    """``light_of_sql`` (the files' light, read from the level columns) against the same rule
    in words, all 3⁵ combinations in one statement over a VALUES list."""
    combinations = list(itertools.product((0, 1, 2), repeat=len(SIGNALS)))
    names = [f"{signal}_level" for signal in SIGNALS]
    values = ", ".join("(" + ", ".join(map(str, levels)) + ")" for levels in combinations)
    sql = f"SELECT {light_of_sql(names)} FROM (VALUES {values}) AS v({', '.join(names)})"
    with connection.cursor() as cursor:
        cursor.execute(sql)
        lights = [light for (light,) in cursor.fetchall()]
    expected = [
        Light.RED if 2 in levels else Light.YELLOW if 1 in levels else Light.GREEN
        for levels in combinations
    ]
    assert lights == expected
