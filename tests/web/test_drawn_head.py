"""The report's head, drawn in Python (``web.drawn_head``), writes what its templates wrote.

``reference_report_head_top.html``, ``…_plan.html`` and ``…_cards.html`` beside this file
are the head's three templates as they were when the engine drew them, with the year picker
and period links the first included (``reference_year_picker.html``,
``reference_period_links.html``). Each case draws the head both ways, in both languages,
and compares the pieces byte for byte.
"""

import dataclasses
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.template import Context, Engine, engines
from django.test import RequestFactory
from django.utils import translation

from projects import selectors
from projects.models import Programme
from projects.web.drawn_head import draw_cards, draw_plan, draw_top
from projects.web.reports import period_links, plan_toggle, row_window

HERE = Path(__file__).parent
LANGUAGES = ["zh-hans", "en"]
HOSTILE = '<b>"甲"&乙</b>'
PIECES = {
    "projects/_report_head_top.html": draw_top,
    "projects/_report_head_plan.html": draw_plan,
    "projects/_report_head_cards.html": draw_cards,
}
REFERENCES = {
    "projects/_report_head_top.html": "reference_report_head_top.html",
    "projects/_report_head_plan.html": "reference_report_head_plan.html",
    "projects/_report_head_cards.html": "reference_report_head_cards.html",
    "projects/_year_picker.html": "reference_year_picker.html",
    "projects/_period_links.html": "reference_period_links.html",
}


def _reference_engine() -> Engine:
    app = engines["django"].engine
    sources = {name: (HERE / file).read_text("utf-8") for name, file in REFERENCES.items()}
    return Engine(
        dirs=app.dirs,
        libraries={
            "i18n": "django.templatetags.i18n",
            "l10n": "django.templatetags.l10n",
            "static": "django.templatetags.static",
            "report_tags": "projects.templatetags.report_tags",
        },
        builtins=app.builtins,
        loaders=[
            ("django.template.loaders.locmem.Loader", sources),
            "django.template.loaders.filesystem.Loader",
            "django.template.loaders.app_directories.Loader",
        ],
    )


def _context(user, params: dict, *, month=None, quarter=1, **extra) -> dict:
    programme = Programme.objects.get(code="SJGJ2024")
    path = f"/reports/2024/m{month}/" if month else f"/reports/2024/q{quarter}/"
    request = RequestFactory().get(path, {"programme": programme.code, **params})
    request.user = user
    report = selectors.quarterly_report(
        user=user,
        programme=programme,
        year=2024,
        quarter=None if month else quarter,
        month=month,
        filters=request.GET,
        window=row_window(request),
    )
    context = {
        "report": report,
        "programme": programme,
        "export_base": path.rstrip("/"),
        "export_query": request.GET.urlencode(),
        "can_export": True,
        "site_root": "https://testserver",
        "years": [2024],
        "period_links": period_links(report.period, programme),
        "plan_toggle": plan_toggle(request, report.on_baseline),
    }
    context.update(extra)
    return context


def _hostile(context: dict) -> dict:
    report = dataclasses.replace(
        context["report"], programme_name=HOSTILE, programme_code='SJ"<&2024>', filtered=True
    )
    return {
        **context,
        "report": report,
        "programme": SimpleNamespace(code='SJ"<&2024> 城阳'),
        "export_query": "programme=SJ&x=<y>",
        "plan_toggle": "?programme=SJ&plan=baseline&x=<y>",
    }


CASES = {
    "the manager's quarter": ({}, {}, None),
    "the year to the end of a month": ({}, {"month": 5}, None),
    "the second quarter on the baseline, nothing exported": (
        {"plan": "baseline"},
        {"quarter": 2, "can_export": False},
        None,
    ),
    "filtered, with two years to pick": ({"light": "red"}, {"years": [2023, 2024]}, None),
    "hostile names and addresses": ({}, {}, _hostile),
}


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("case", list(CASES))
def test_the_head_is_what_its_templates_drew(demo_db, manager, case, language):
    params, extra, change = CASES[case]
    engine = _reference_engine()
    with translation.override(language):
        context = _context(manager, params, **extra)
        if change is not None:
            context = change(context)
        for name, draw in PIECES.items():
            expected = engine.get_template(name).render(Context(context))
            drawn = draw(context)
            assert drawn == expected, name
            assert "<b>" not in drawn


@pytest.mark.django_db
def test_a_units_head_is_what_its_templates_drew(demo_db, staff_a):
    """A clerk's report covers the unit alone (partial): no unit scores link."""
    engine = _reference_engine()
    with translation.override("zh-hans"):
        context = _context(staff_a, {})
        for name, draw in PIECES.items():
            assert draw(context) == engine.get_template(name).render(Context(context)), name


@pytest.mark.django_db
def test_the_shapes_compared_are_the_ones_named(demo_db, manager):
    """Each case draws what it is named for: a comparison of two empty heads would pass."""
    with translation.override("zh-hans"):
        month = _context(manager, {}, month=5)
        baseline = _context(manager, {"plan": "baseline"}, quarter=2, can_export=False)
        filtered = _context(manager, {"light": "red"}, years=[2023, 2024])
        quarter = _context(manager, {})
        assert "本月 当月" in draw_cards(month) or "当月" in draw_cards(month)
        assert "1—5月" in draw_top(month) or "5月" in draw_top(month)
        assert "年初计划" in draw_plan(baseline) and "briefing.docx" not in draw_top(baseline)
        assert 'class="notice"' in draw_cards(filtered)
        assert "2023年" in draw_top(filtered) and 'class="quarters years"' in draw_top(filtered)
        assert 'id="provincial-rates"' in draw_cards(quarter)
        assert "&lt;b&gt;" in draw_top(_hostile(quarter))
