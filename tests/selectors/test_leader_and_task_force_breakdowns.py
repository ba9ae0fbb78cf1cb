"""包联领导 and 专班 in the report: breakdowns from the report's rows, rankings, overlap."""

import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from projects.briefing import wording
from projects.choices import TASK_FORCE_OVERLAP_NOTE
from projects.models import Leader, Project, Tag, TagGroup
from projects.permissions import WHOLE_DISTRICT
from projects.ranking import ZERO_PLAN_NOTE
from projects.selectors import quarterly_report
from projects.selectors.briefing import build_briefing, campaign_counts
from tests.factories import (
    LeaderFactory,
    MonthlyProgressFactory,
    ProgrammeFactory,
    ProjectFactory,
    QuarterPlanFactory,
)
from tests.reporting import bulk_projects

pytestmark = pytest.mark.django_db


def _project(programme, code, leader, plan, actual):
    project = ProjectFactory(programme=programme, code=code, leader=leader)
    QuarterPlanFactory(project=project, investment_q1=Decimal(plan))
    MonthlyProgressFactory(project=project, month=2, investment=Decimal(actual))
    return project


@pytest.fixture
def ledger():
    """Five projects: 甲 holds two, 乙 one, 丙 one with a zero plan, one has no leader yet;
    产业链专班 has two task forces sharing P2, 攻势 one, and 老旧小区改造 is a campaign."""
    programme = ProgrammeFactory()
    p1 = _project(programme, "P1", "甲", "10000", "10000")
    p2 = _project(programme, "P2", "甲", "30000", "15000")
    p3 = _project(programme, "P3", "乙", "20000", "30000")
    p4 = _project(programme, "P4", "丙", "0", "1000")
    p5 = _project(programme, "P5", "", "5000", "2000")
    chains = TagGroup.objects.create(name="产业链专班", sort_order=0)
    campaigns = TagGroup.objects.create(name="攻势", sort_order=1)
    Tag.objects.create(name="集成电路产业链专班", group=chains, sort_order=0).projects.set([p1, p2])
    Tag.objects.create(name="新能源汽车产业链专班", group=chains, sort_order=1).projects.set(
        [p2, p3]
    )
    Tag.objects.create(name="科技创新攻势", group=campaigns).projects.set([p4])
    Tag.objects.create(name="老旧小区改造").projects.set([p1])
    return programme, (p1, p2, p3, p4, p5)


def report(programme, **kwargs):
    return quarterly_report(
        user=WHOLE_DISTRICT, programme=programme, year=programme.year, quarter=1, **kwargs
    )


def test_leader_breakdown_sums_to_the_district_with_unassigned_projects_last(ledger):
    programme, _projects = ledger
    with translation.override("zh-hans"):
        result = report(programme)
    rows = result.breakdown("leader")
    assert [(r.name, r.projects) for r in rows] == [
        ("丙", 1),
        ("乙", 1),
        ("甲", 2),
        ("未指定", 1),
    ]
    h = result.headline
    assert sum(r.projects for r in rows) == h.projects == 5
    assert sum(r.investment.planned for r in rows) == h.investment.planned == Decimal("65000")
    assert sum(r.investment.actual for r in rows) == h.investment.actual == Decimal("58000")
    甲 = next(r for r in rows if r.name == "甲")
    assert (甲.investment.planned, 甲.investment.actual) == (Decimal("40000"), Decimal("25000"))


def test_leaders_rank_by_investment_rate_with_a_zero_plan_apart(ledger):
    programme, _projects = ledger
    ranking = report(programme).leader_ranking
    # 乙 30000 / 20000 = 150.0 %; 甲 (10000 + 15000) / (10000 + 30000) = 62.5 %.
    assert [(p.rank, p.row.name, p.rate) for p in ranking.ranked] == [
        (1, "乙", Decimal("150.0")),
        (2, "甲", Decimal("62.5")),
    ]
    # 丙 has no plan; the projects without a leader are no leader to rank.
    assert [(p.row.name, p.note) for p in ranking.apart] == [("丙", ZERO_PLAN_NOTE)]


def test_task_forces_overlap_and_are_grouped_apart_from_campaigns(ledger):
    programme, _projects = ledger
    result = report(programme)
    assert [(r.group, r.name, r.projects) for r in result.task_forces] == [
        ("产业链专班", "集成电路产业链专班", 2),
        ("产业链专班", "新能源汽车产业链专班", 2),
        ("攻势", "科技创新攻势", 1),
    ]
    chains = dict(result.task_force_groups)["产业链专班"]
    # P2 is in both task forces: four memberships, three projects.
    assert sum(r.projects for r in chains) == 4
    # 新能源 (15000 + 30000) / (30000 + 20000) = 90.0 %, 集成电路 25000 / 40000 = 62.5 %.
    ranking = result.task_force_ranking("产业链专班")
    assert [(p.rank, p.row.name, p.rate) for p in ranking.ranked] == [
        (1, "新能源汽车产业链专班", Decimal("90.0")),
        (2, "集成电路产业链专班", Decimal("62.5")),
    ]
    campaigns = campaign_counts(programme, result.period, user=WHOLE_DISTRICT)
    assert [c.name for c in campaigns] == ["老旧小区改造"]


def test_a_leader_filter_narrows_the_report_to_their_projects(ledger):
    programme, _projects = ledger
    leader = Leader.objects.get(name="甲")
    result = report(programme, filters={"leader": leader.code})
    assert result.headline.projects == 2
    assert [r.name for r in result.breakdown("leader")] == ["甲"]


def test_the_briefing_ranks_leaders_and_says_the_task_forces_overlap(ledger):
    programme, _projects = ledger
    briefing = build_briefing(
        user=WHOLE_DISTRICT, programme=programme, year=programme.year, quarter=1
    )
    sections = {s.heading.split("、", 1)[1]: s for s in wording.outline(briefing).sections}
    leaders = next(s for h, s in sections.items() if h.startswith("包联领导排名"))
    assert leaders.paragraphs == [
        "按包联领导看，各领导包联项目的投资完成率依次为：乙（150.0%）、甲（62.5%）。"
        f"另有丙（{ZERO_PLAN_NOTE}）。1个项目尚未指定包联领导。"
    ]
    forces = next(s for h, s in sections.items() if h.startswith("专班推进情况"))
    assert forces.paragraphs[0].startswith("产业链专班：集成电路产业链专班2个项目累计完成投资")
    assert forces.paragraphs[-1] == TASK_FORCE_OVERLAP_NOTE


def test_the_report_page_shows_both_breakdowns_and_no_total_across_task_forces(
    ledger, manager_client
):
    programme, _projects = ledger
    with translation.override("zh-hans"):
        page = manager_client.get(
            reverse("quarterly_report", args=[programme.year, 1]),
            {"programme": programme.code},
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        )
    assert page.status_code == 200
    html = page.content.decode()
    assert "按包联领导" in html and "未指定" in html
    section = html[html.index('<section class="task-forces">') :]
    section = section[: section.index("</section>")]
    assert "集成电路产业链专班" in section and TASK_FORCE_OVERLAP_NOTE in section
    assert "<tfoot>" not in section
    assert "table=task_force" in section  # the 专班 table as a file of its own
    # In the group's order, unsorted: their headings carry no sort links.
    assert "task_force-sort" not in section


def test_the_json_file_carries_leaders_and_task_forces(ledger, manager_client):
    programme, _projects = ledger
    response = manager_client.get(
        reverse("export_report", args=[programme.year, 1, "json"]), {"programme": programme.code}
    )
    assert response.status_code == 200
    data = json.loads(b"".join(response.streaming_content))
    assert sum(g["projects"] for g in data["by_leader"]) == data["projects"] == 5
    assert [g["group"] for g in data["by_task_force"]] == ["产业链专班", "产业链专班", "攻势"]
    assert data["task_force_note"] == TASK_FORCE_OVERLAP_NOTE


def _queries(programme) -> int:
    with CaptureQueriesContext(connection) as queries:
        report(programme)
    return len(queries)


def test_leaders_and_task_forces_add_no_query_to_the_report():
    bare, _ = bulk_projects(12, programme=ProgrammeFactory(year=2022), prefix="A")
    before = _queries(bare)
    programme, _ = bulk_projects(60, programme=ProgrammeFactory(year=2023), prefix="B")
    projects = list(Project.objects.filter(programme=programme))
    leaders = [LeaderFactory() for _ in range(8)]
    for number, project in enumerate(projects):
        project.leader = leaders[number % 8]
    Project.objects.bulk_update(projects, ["leader"])
    group = TagGroup.objects.create(name="产业链专班")
    for number in range(5):
        tag = Tag.objects.create(name=f"专班{number}", group=group)
        tag.projects.set(projects[number::3])
    assert _queries(programme) == before
    result = report(programme)
    assert len(result.breakdown("leader")) == 8 and len(result.task_forces) == 5


def test_the_print_view_and_the_csv_close_task_forces_with_the_note_not_a_total(
    ledger, manager_client
):
    programme, _projects = ledger
    query = {"programme": programme.code}
    printed = manager_client.get(reverse("report_print", args=[programme.year, 1]), query)
    assert printed.status_code == 200
    html = printed.content.decode()
    assert "按包联领导" in html and "按专班：产业链专班" in html
    assert html.count(TASK_FORCE_OVERLAP_NOTE) == 2  # one per group
    csv = manager_client.get(
        reverse("export_report", args=[programme.year, 1, "csv"]),
        {**query, "table": "task_force"},
    )
    assert csv.status_code == 200
    lines = b"".join(csv.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0].startswith("专班分组,专班,项目数")
    assert lines[1].startswith("产业链专班,集成电路产业链专班,2,")
    # The overlap note stands where a breakdown's 合计 row would; coverage lines follow.
    assert TASK_FORCE_OVERLAP_NOTE in lines and not any(line.startswith("合计") for line in lines)


def test_the_breakdowns_statement_computes_each_projects_row_once_outside_postgresql(ledger):
    # On SQLite each breakdown was a part reading the rows as a derived table of its own,
    # so the rows (their sums, late nodes, pictures) were computed seven times in the
    # statement; now every part reads one CTE. PostgreSQL's grouping sets read them once,
    # and the 专班's part once more.
    programme, _projects = ledger
    with CaptureQueriesContext(connection) as captured:
        result = report(programme)
    grouped = [q["sql"] for q in captured.captured_queries if "tf_ref" in q["sql"]]
    assert len(grouped) == 1
    rows_computed = grouped[0].count('"period_sums" AS')
    assert rows_computed == (2 if connection.vendor == "postgresql" else 1)
    assert [(r.name, r.projects) for r in result.task_forces][:1] == [("集成电路产业链专班", 2)]
