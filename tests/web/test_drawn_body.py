"""The report body, drawn in Python (``web.drawn_body``), writes what its templates wrote.

``reference_report_body.html`` and ``reference_report_table.html`` beside this file are
``_report_body.html`` and the ``_report_table.html`` it included, as they were when the
body was drawn by the template engine. Each case draws one body both ways, in both
languages, and compares them byte for byte: the demo's pages as a manager reads them
(sorted, paged, on the second quarter with its light changes) and shapes the demo does not
have (nothing exported, a folded breakdown, a list too long to print whole, no row, hostile
names and addresses).
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
from projects.selectors.briefing import Campaign
from projects.web.drawn_body import draw_body
from projects.web.report_body import body_context
from projects.web.reports import row_window
from projects.web.tables import FoldedRanking

HERE = Path(__file__).parent
LANGUAGES = ["zh-hans", "en"]
HOSTILE = '<b>"甲"&乙</b>'


def _reference_engine() -> Engine:
    # The reference templates under the names the body's include used; every other
    # template (the light changes) as the app has it.
    references = {
        "projects/_report_body.html": (HERE / "reference_report_body.html").read_text("utf-8"),
        "projects/_report_table.html": (HERE / "reference_report_table.html").read_text("utf-8"),
    }
    app = engines["django"].engine
    return Engine(
        dirs=app.dirs,
        libraries={"i18n": "django.templatetags.i18n"},
        builtins=app.builtins,
        loaders=[
            ("django.template.loaders.locmem.Loader", references),
            "django.template.loaders.filesystem.Loader",
            "django.template.loaders.app_directories.Loader",
        ],
    )


def _context(manager, quarter: int, params: dict, **extra) -> dict:
    programme = Programme.objects.get(code="SJGJ2024")
    request = RequestFactory().get(
        f"/reports/2024/q{quarter}/", {"programme": programme.code, **params}
    )
    request.user = manager
    window = row_window(request)
    if extra.pop("too_long_to_print", False):
        window = dataclasses.replace(window, every_row_up_to=0)
    report = selectors.quarterly_report(
        user=manager,
        programme=programme,
        year=2024,
        quarter=quarter,
        filters=request.GET,
        window=window,
    )
    context = body_context(request, report, programme, viewable=None)
    context.update(
        export_base=f"/reports/2024/q{quarter}",
        export_query=request.GET.urlencode(),
        can_export=True,
        site_root="https://testserver",
        years=[2024],
    )
    context.update(extra)
    return context


def _hostile(context: dict) -> dict:
    """The same body with names, notes and addresses a template must escape, a folded
    breakdown, campaigns of every kind and no leader ranking."""
    first, *others = context["breakdowns"]
    first = {
        **first,
        "title": HOSTILE,
        "fold": SimpleNamespace(shown=30, total=2466, hidden=2436),
        "show_all": "?programme=SJGJ2024&unit-all=1&x=<y>",
    }
    campaigns = (
        Campaign(HOSTILE, projects=12, started=12, early=3, completed=1),
        Campaign("园区", projects=5, started=2, early=0, completed=0, target=None),
        Campaign(
            "城市更新",
            projects=40,
            started=38,
            early=4,
            completed=9,
            counted=True,
            target=1234,
            categories=(HOSTILE, "老旧小区"),
            design_done=17,
            month=3,
        ),
        Campaign("清单外", projects=0, started=0, early=0, completed=0, counted=True, month=3),
    )
    empty = FoldedRanking((), (), 0, (), 0, frozenset(), None)
    programme = SimpleNamespace(code='SJ"<2024>')
    return {
        **context,
        "breakdowns": [first, *others],
        "campaigns": campaigns,
        "leader_ranking": empty,
        "programme": programme,
        "task_force_note": HOSTILE,
        "export_query": "programme=SJGJ2024&unit=<x>",
        "site_root": 'https://"host"',
        "unfinished": HOSTILE,
    }


def _no_rows(context: dict) -> dict:
    table = {**context["project_table"], "rows": [], "rows_html": ""}
    return {**context, "project_table": table, "task_forces": [], "campaigns": ()}


CASES = {
    "the manager's page": (1, {}, {}, None),
    "sorted and paged, ten a page": (
        1,
        {"p-sort": "-investment_rate", "p-page": "3", "p-per_page": "10", "unit-sort": "name"},
        {},
        None,
    ),
    "the second quarter, with its light changes": (2, {}, {}, None),
    "nothing exported": (1, {}, {"can_export": False}, None),
    "too long to print whole": (1, {"p-page": "2"}, {"too_long_to_print": True}, None),
    "hostile names and addresses": (1, {}, {}, _hostile),
    "no row matches": (1, {"kind": "new"}, {}, _no_rows),
}


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("case", list(CASES))
def test_the_body_is_what_its_templates_drew(demo_db, manager, case, language):
    quarter, params, extra, change = CASES[case]
    with translation.override(language):
        context = _context(manager, quarter, params, **extra)
        if change is not None:
            context = change(context)
        expected = (
            _reference_engine().get_template("projects/_report_body.html").render(Context(context))
        )
        drawn = draw_body(context)
    assert drawn == expected
    assert "<b>" not in drawn


@pytest.mark.django_db
def test_the_shapes_compared_are_the_ones_named(demo_db, manager):
    """Each case draws what it is named for: a comparison of two empty bodies would pass."""
    with translation.override("zh-hans"):
        paged = draw_body(_context(manager, 1, CASES["sorted and paged, ten a page"][1]))
        second = draw_body(_context(manager, 2, {}))
        hidden = draw_body(_context(manager, 1, {}, can_export=False))
        long = draw_body(_context(manager, 1, {"p-page": "2"}, too_long_to_print=True))
        hostile = draw_body(_hostile(_context(manager, 1, {})))
        empty = draw_body(_no_rows(_context(manager, 1, {})))
    assert 'class="pagination"' in paged and "p-page=3" in paged
    assert '<li class="active"><a' in paged and "<li><span>" in paged  # the page and a gap
    assert 'class="previous"' in paged and 'class="next"' in paged
    assert 'class="light-changes"' in second
    assert 'class="exports"' not in hidden
    assert "打印版" in long and "/print/?" in long
    assert "&lt;b&gt;" in hostile and "共2466个" in hostile and "填报数，截至3月底" in hostile
    assert "没有符合筛选条件的项目。" in empty
