"""The project page's fields, quarters and months, drawn in Python, write what its template
wrote (``reference_project_sections.html`` beside this file is that template's part)."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import translation

from projects.schema import AMOUNT, DATE, KIND, NOTE, TEXT
from projects.selectors.project import MonthLine, ProjectDetail, QuarterLine
from projects.selectors.results import Figures
from projects.web.project_page import draw_fields, draw_months, draw_quarters

HERE = Path(__file__).parent
REFERENCE = (HERE / "reference_project_sections.html").read_text(encoding="utf-8")
PAGE = Path(__file__).parents[2] / "templates" / "projects" / "project_detail.html"


class Named:
    """A linked row (unit, category…): written by its ``str``."""

    def __init__(self, name):
        self.name = name

    def __str__(self):
        return self.name


HOSTILE = '<script>alert("x")</script> & 您好'
FIELDS = [
    ("项目名称", HOSTILE, TEXT),
    ("总投资（万元）", Decimal("12345.6"), AMOUNT),
    ("总投资为零", Decimal("0"), AMOUNT),
    ("计划开工", dt.date(2024, 3, 1), DATE),
    ("实际开工", None, DATE),
    # An aware moment late in the day in UTC: a date of the next day in Beijing, as the
    # engine's ``date`` filter writes it after turning it to local time.
    ("入库时刻", dt.datetime(2024, 3, 31, 20, 0, tzinfo=dt.UTC), DATE),
    ("建设内容", "第一行\n第二行 <b>粗</b>", NOTE),
    ("备注", "", NOTE),
    ("项目类型", "新开工", KIND),
    ("责任单位", Named('区发改局 & "城阳"街道'), TEXT),
    ("空值", None, TEXT),
    ("零", 0, TEXT),
    ("整数", 2024, TEXT),
    ("小数", Decimal("3.50"), TEXT),
]


def _figures(planned, actual):
    return Figures(
        planned=Decimal(planned),
        actual=Decimal(actual),
        annual_plan=Decimal(0),
        quarter_planned=Decimal(0),
        quarter_actual=Decimal(0),
    )


def _detail(months: bool) -> ProjectDetail:
    quarters = tuple(
        QuarterLine(q, _figures(p, a), _figures(p, "0"))
        for q, p, a in ((1, "100", "155.5"), (2, "0", "12"), (3, "50.25", "0"), (4, "0", "0"))
    )
    lines = (
        tuple(
            MonthLine(2024, m, Decimal(m), Decimal("0.5"), Decimal(m * 2), Decimal(m), text, "")
            for m, text in ((1, ""), (2, HOSTILE), (12, "主体封顶"))
        )
        if months
        else ()
    )
    return ProjectDetail(
        project=None,
        year=2024,
        quarters=quarters,
        annual=QuarterLine(0, _figures("150.25", "167.5"), _figures("150.25", "0")),
        months=lines,
        problems=(),
    )


def _page_region() -> str:
    """The part of the page's template the drawings stand in."""
    page = PAGE.read_text(encoding="utf-8")
    start = page.index("{{ drawn.fields }}")
    end = page.index('\n\n<h2>{% translate "Reported problems" %}</h2>')
    return "{% load i18n %}" + page[start:end]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("months", [True, False], ids=["months", "no months"])
def test_the_sections_are_what_the_template_wrote(language, months):
    detail = _detail(months)
    context = {"fields": FIELDS, "detail": detail, "plan_requests": False}
    with translation.override(language):
        expected = engines["django"].from_string(REFERENCE).render(context)
        drawn = {
            "fields": draw_fields(FIELDS),
            "quarters": draw_quarters(detail),
            "months": draw_months(detail),
        }
        page = engines["django"].from_string(_page_region()).render({**context, "drawn": drawn})
    assert page == expected
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "<dd>2024-04-01</dd>" in page


def test_the_sections_speak_chinese_with_dangyue_and_leiji():
    with translation.override("zh-hans"):
        html = draw_quarters(_detail(True)) + draw_months(_detail(True))
    for words in ("2024年", "当季", "当月", "累计", "全年", "155.5%"):
        assert words in html, words


@pytest.mark.django_db
def test_the_page_shows_the_drawn_sections(manager_client):
    from tests.factories import MonthlyProgressFactory, ProgrammeFactory, ProjectFactory

    project = ProjectFactory(programme=ProgrammeFactory(year=2024), code="DRAWN", name=HOSTILE)
    MonthlyProgressFactory(project=project, month=3, investment=Decimal("7.5"))
    body = manager_client.get(reverse("project_detail", args=["DRAWN"])).content.decode()
    assert '<dl class="fields">' in body and "2024-03" in body
    assert "<script>alert" not in body
