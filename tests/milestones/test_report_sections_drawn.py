"""The report page's dispatch lists, drawn in Python (``milestones.drawn``), write what their
template wrote: ``reference_report_sections.html`` beside this file is
``_report_sections.html`` as it was when the template engine drew the lists."""

import dataclasses
import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.template import engines
from django.utils import translation

from projects.milestones import selectors
from projects.milestones.drawn import draw_report_sections
from projects.models import DispatchSettings, Programme

HERE = Path(__file__).parent
HOSTILE = '<b>"甲"&乙</b>'
# Three days of the demo's year: its lists are short, long and (by the year's end) mostly
# empty of starts to come.
DAYS = [dt.date(2024, 3, 31), dt.date(2024, 6, 30), dt.date(2024, 12, 31)]


def _reference(context: dict) -> str:
    source = (HERE / "reference_report_sections.html").read_text("utf-8")
    return engines["django"].from_string(source).render(context)


def _context(manager, as_of: dt.date) -> dict:
    programme = Programme.objects.get(code="SJGJ2024")
    settings = DispatchSettings.current()
    sections = selectors.report_sections(manager, programme, as_of, settings)
    return {"as_of": as_of, "programme": programme, **sections, "settings": settings}


def _hostile(context: dict) -> dict:
    def listed(project):
        return dataclasses.replace(project, name=HOSTILE, unit=HOSTILE)

    starts = [
        dataclasses.replace(s, project=listed(s.project), missing=[HOSTILE, "用地"])
        for s in context["starts"]
    ]
    library = [dataclasses.replace(r, project=listed(r.project)) for r in context["library"]]
    return {
        **context,
        "starts": starts,
        "library": library,
        "programme": SimpleNamespace(code='SJ"<&2024> 城阳'),
    }


def _empty(context: dict) -> dict:
    return {**context, "starts": [], "library": []}


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("as_of", DAYS, ids=str)
@pytest.mark.parametrize("change", [None, _hostile, _empty], ids=["as is", "hostile", "empty"])
def test_the_lists_are_what_their_template_drew(demo_db, manager, as_of, change, language):
    with translation.override(language):
        context = _context(manager, as_of)
        if change is not None:
            context = change(context)
        drawn = draw_report_sections(context)
        assert drawn == _reference(context)
    assert "<b>" not in drawn


@pytest.mark.django_db
def test_the_days_compared_have_lists_to_draw(demo_db, manager):
    """A comparison of two empty lists would pass: the demo's days have rows in each."""
    contexts = [_context(manager, day) for day in DAYS]
    assert any(c["starts"] for c in contexts) and any(c["library"] for c in contexts)
    assert any(c["nodes"].late for c in contexts)
