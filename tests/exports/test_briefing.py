"""The generated briefing (通报) of the demo's Q1 2024 says what the district's article says."""

import datetime as dt
import io
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from docx import Document
from docx.shared import Pt

from projects import demo
from projects.briefing.wording import headline, outline
from projects.exports.docx_file import render_docx
from projects.models import Programme, ReportSettings, ScoringRule, Unit
from projects.permissions import WHOLE_DISTRICT
from projects.selectors import quarterly_report
from projects.selectors.briefing import build_briefing
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

# The article's sentence on the first quarter of 2024, as printed (its stray space kept).
ARTICLE = (
    "今年，城阳区147个市级攻坚项目计划投资137亿元、纳统109亿元。一季度计划开工71个，"
    "已开工80个，9个提前开工；计划投资15.5亿元，目前已投资 24.1亿元，完成率155.5%；"
    "计划纳统13.27亿元，目前已纳统23亿元，完成率173.3%。"
)
FIGURES = ["147", "137", "109", "71", "80", "9", "15.5", "24.1", "155.5%", "13.27", "23", "173.3%"]
CAMPAIGNS = [
    "7个老旧小区改造项目全面开工",
    "7个断头路打通项目全面开工",
    # Counted campaigns: the article's own counts, most items not on the list.
    "启动46个“公园建设”项目，设计方案全部完成，5个提前开工",
    "启动口袋公园、街角绿地、背街小巷、社区微空间等4大类45个“微更新”项目，3个项目基本完工",
]
ISSUED = dt.date(2024, 4, 8)


def numbers(text: str) -> list[str]:
    return re.findall(r"\d+(?:\.\d+)?%?", text)


@pytest.fixture
def programme(demo_db):
    return Programme.objects.get(code=demo.PROGRAMME_CODE)


@pytest.fixture
def q1(programme):
    return build_briefing(
        user=WHOLE_DISTRICT, programme=programme, year=2024, quarter=1, issued_on=ISSUED
    )


def test_headline_paragraph_matches_the_article_figure_by_figure(q1):
    text = headline(q1)
    assert numbers(text) == numbers(ARTICLE) == FIGURES
    # Word for word too, but for the article's stray space.
    assert text == ARTICLE.replace(" ", "")


def test_a_briefing_read_back_in_a_later_year_names_its_year(programme):
    later = build_briefing(
        user=WHOLE_DISTRICT,
        programme=programme,
        year=2024,
        quarter=1,
        issued_on=dt.date(2026, 12, 4),
    )
    assert headline(later).startswith("2024年，城阳区147个市级攻坚项目")


def test_briefing_states_the_campaigns_highlights_and_pace(q1):
    document = outline(q1)
    text = "\n".join(p for s in document.sections for p in s.paragraphs)
    for sentence in CAMPAIGNS:
        assert sentence in text
    assert "物元半导体项目研发楼主体已封顶" in text
    assert "投资完成年度计划的17.6%，落后时序进度7.4个百分点" in text
    assert document.title == "2024年一季度市级攻坚项目推进情况通报"
    assert document.number == "城重项办〔2024〕\u3000\u3000号"
    assert document.date == "2024年4月8日"


def test_units_with_token_plans_are_ranked_apart_not_first(q1):
    ranking = q1.unit_ranking
    # 区园林和林业局 plans under 1,000 万元 and would top the list with 1,934.8%.
    apart = {p.row.name: p for p in ranking.apart}
    assert "区园林和林业局" in apart and apart["区园林和林业局"].rate > 1000
    assert all(p.rate < 1000 for p in ranking.ranked)
    assert [p.rank for p in ranking.ranked] == sorted(p.rank for p in ranking.ranked)
    assert "未参与排名" in outline(q1).sections[3].paragraphs[0]


def test_ranking_table_heads_its_amounts_as_year_to_date(q1):
    (table,) = outline(q1).sections[3].tables
    amounts = [h for h in table.head if "万元" in h]
    assert amounts == ["累计计划投资（万元）", "累计完成投资（万元）"]


def test_lagging_lists_carry_unit_rate_and_stated_problem(q1):
    assert q1.red and q1.yellow
    assert len(q1.red) + len(q1.yellow) == sum(1 for r in q1.report.rows if r.light != "green")
    assert any(item.problem for item in q1.yellow)
    assert all(item.unit for item in q1.red + q1.yellow)


def test_docx_holds_every_figure_campaign_and_a_page_number_field(q1):
    document = Document(io.BytesIO(render_docx(outline(q1))))
    body = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    for figure in [*FIGURES, "17.6%", "21.1%"]:
        assert figure in body, figure
    for sentence in CAMPAIGNS:
        assert sentence in body
    assert "城重项办〔2024〕" in body
    assert "区园林和林业局" in cells and "计划低于1,000万元，未参与排名" in cells
    footer = document.sections[0].footer._element.xml
    assert "PAGE" in footer
    assert document.styles["Briefing Body"].element.xpath(".//w:rFonts/@w:eastAsia") == ["仿宋"]
    assert document.styles["Briefing Heading"].element.xpath(".//w:rFonts/@w:eastAsia") == ["黑体"]


def test_briefing_takes_its_styles_from_the_office_template(q1, tmp_path, settings):
    template = Document()
    style = template.styles.add_style("Briefing Body", 1)
    style.font.size = Pt(15)  # the office's choice, not the built-in 16 pt
    path = tmp_path / "office.docx"
    template.save(path)
    settings.BRIEFING_TEMPLATE = str(path)
    document = Document(io.BytesIO(render_docx(outline(q1))))
    assert document.styles["Briefing Body"].font.size == Pt(15)
    assert "Briefing Title" in [s.name for s in document.styles]


def test_a_unit_briefing_names_the_unit_in_title_and_headline(programme):
    unit = Unit.objects.get(name="区住房和城乡建设局")
    briefing = build_briefing(
        user=WHOLE_DISTRICT,
        programme=programme,
        year=2024,
        quarter=1,
        filters={"unit": unit.code},
        issued_on=ISSUED,
    )
    assert outline(briefing).title.endswith("推进情况通报（区住房和城乡建设局）")
    assert headline(briefing).startswith(
        f"今年，区住房和城乡建设局负责的{briefing.report.headline.projects}个市级攻坚项目"
    )


def test_briefing_adds_eight_queries_to_the_reports(programme):
    # Tags, campaigns' entered counts, featured projects, stated problems, the district's
    # indicators, and for the unit scores the rule, funds and completions by unit and
    # overdue problems by unit: one query each, whatever the list's size.
    ReportSettings.current()  # created on first read; count reads only
    ScoringRule.current()
    quarterly_report(
        user=WHOLE_DISTRICT, programme=programme, year=2024, quarter=1
    )  # caches warmed once
    with CaptureQueriesContext(connection) as report_queries:
        quarterly_report(user=WHOLE_DISTRICT, programme=programme, year=2024, quarter=1)
    with CaptureQueriesContext(connection) as briefing_queries:
        build_briefing(
            user=WHOLE_DISTRICT, programme=programme, year=2024, quarter=1, issued_on=ISSUED
        )
    assert len(briefing_queries) == len(report_queries) + 8


def test_docx_download_needs_the_export_permission(programme, client):
    client.force_login(user_with_role("manager"))
    response = client.get("/reports/2024/q1/briefing.docx")
    assert response.status_code == 200
    assert "2024年一季度市级攻坚项目推进情况通报.docx" in response.headers[
        "Content-Disposition"
    ] or ("filename*=" in response.headers["Content-Disposition"])
    client.force_login(user_with_role("unit_staff"))
    assert client.get("/reports/2024/q1/briefing.docx").status_code == 403


def test_briefing_page_prints_the_same_outline(programme, client):
    client.force_login(user_with_role("manager"))
    page = client.get("/reports/2024/q1/briefing/").content.decode()
    assert "2024年一季度市级攻坚项目推进情况通报" in page
    for sentence in CAMPAIGNS:
        assert sentence in page
    assert "briefing.css" in page
    # The preview says whose year the 文号 carries: the year of issue, not the one reported.
    assert f"文号中的年份为发文年份（{timezone.localdate().year}）" in page


def test_briefing_with_a_bad_filter_is_refused_in_chinese(programme, client):
    client.force_login(user_with_role("manager"))
    response = client.get("/reports/2024/q1/briefing.docx?unit=NOPE")
    assert response.status_code == 400
    assert "筛选条件无效" in response.content.decode()


def test_export_report_command_writes_the_briefing(programme, tmp_path):
    call_command(
        "export_report", "--year=2024", "--quarter=1", "--format=docx", f"--output={tmp_path}"
    )
    written = list(tmp_path.glob("*.docx"))
    assert [p.name for p in written] == ["2024年一季度市级攻坚项目推进情况通报.docx"]
    assert "155.5%" in "\n".join(p.text for p in Document(written[0]).paragraphs)
