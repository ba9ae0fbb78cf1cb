"""The report body's charts and rankings, drawn in Python, write what their templates wrote
(``reference_report_charts.html`` and ``reference_ranking.html`` beside this file are those
templates, as ``_report_body.html`` and ``_ranking.html`` held them)."""

from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.template import engines
from django.test import RequestFactory
from django.utils import translation

from projects import selectors
from projects.web.charts import category_chart, monthly_chart
from projects.web.drawn_report import draw_charts, draw_ranking
from projects.web.report_body import body_context
from projects.web.reports import row_window
from projects.web.tables import FoldedRanking
from tests.factories import CategoryFactory
from tests.reporting import one_project_per_unit

HERE = Path(__file__).parent
LANGUAGES = ["zh-hans", "en"]


def _reference(name: str, context: dict) -> str:
    source = (HERE / name).read_text(encoding="utf-8")
    return engines["django"].from_string(source).render(context)


@pytest.fixture
def body(manager):
    programme, units = one_project_per_unit(
        4, plan=lambda n: 1_000 * (n + 1), actual=lambda n: Decimal("333.33") * n, month=2
    )
    # A category whose name a template must escape.
    hostile = CategoryFactory(name='<b>"制造"&业</b>')
    first = programme.projects.order_by("code").first()
    first.category = hostile
    first.save()
    request = RequestFactory().get("/reports/2024/q1/", {"programme": programme.code})
    request.user = manager
    report = selectors.quarterly_report(
        user=manager,
        programme=programme,
        year=2024,
        quarter=1,
        filters=request.GET,
        window=row_window(request),
    )
    return body_context(request, report, programme, viewable=None)


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_charts_are_what_their_template_drew(body, language):
    chart, categories = monthly_chart(body["report"]), category_chart(body["report"])
    with translation.override(language):
        expected = _reference(
            "reference_report_charts.html", {"chart": chart, "category_chart": categories, **body}
        )
        drawn = draw_charts(chart, body["report"].months, categories)
    assert drawn == expected
    assert "<b>" not in drawn and "&lt;b&gt;" in drawn


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_pages_rankings_are_what_their_template_drew(body, language):
    with translation.override(language):
        for name in ("unit_ranking", "category_ranking", "leader_ranking"):
            expected = _reference("reference_ranking.html", {"r": body[name]})
            assert draw_ranking(body[name]) == expected, name


def _place(rank, name, rate, note=""):
    return SimpleNamespace(rank=rank, row=SimpleNamespace(name=name), rate=rate, note=note)


HEAD = (_place(1, "甲<单位>", Decimal("155.5")), _place(1, "乙&单位", Decimal("155.5")))
TAIL = (_place(11, "丙单位", Decimal("20.0")), _place(12, '丁"单位', None))
APART = (
    _place(None, "戊单位", Decimal("0.0"), "未报送<1>"),
    _place(None, "己单位", None, "无计划"),
)
LINK = "?programme=X&ranking-all=1#rankings"

RANKINGS = {
    "short": FoldedRanking(HEAD, (), 0, (), 0, frozenset({1}), None),
    "folded": FoldedRanking(HEAD, TAIL, 1, (), 0, frozenset(), LINK),
    "folded, five between": FoldedRanking(HEAD, TAIL, 5, APART, 0, frozenset({1}), LINK),
    "apart folded alone": FoldedRanking(HEAD, (), 0, APART, 1, frozenset(), LINK),
    "apart folded too": FoldedRanking(HEAD, TAIL, 7, APART, 3, frozenset({1}), LINK),
    "nothing": FoldedRanking((), (), 0, (), 0, frozenset(), None),
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", list(RANKINGS))
def test_every_shape_of_a_ranking_is_what_its_template_drew(name, language):
    r = RANKINGS[name]
    with translation.override(language):
        expected = _reference("reference_ranking.html", {"r": r})
        drawn = draw_ranking(r)
    assert drawn == expected
    assert "<单位>" not in drawn


def test_a_folded_ranking_speaks_chinese():
    with translation.override("zh-hans"):
        drawn = draw_ranking(RANKINGS["apart folded too"])
    # The catalogue's words: one lost would show in English on both sides of the comparison.
    for words in (
        "（并列）",
        "中间另有7个名次未在此显示",
        "显示全部",
        "以下未参与排名，单独列出：",
    ):
        assert words in drawn, words
