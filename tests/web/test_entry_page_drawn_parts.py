"""The entry page's month options and photo upload forms, drawn in Python, write what their
template loops wrote (``reference_month_picker.html`` and ``reference_photo_forms.html``
beside this file are those loops)."""

from pathlib import Path
from types import SimpleNamespace

import pytest
from django.template import engines
from django.utils import translation

from projects.attachments.panels import draw_photo_forms
from projects.web.entry_rows import month_options

HERE = Path(__file__).parent


def _reference(name: str, context: dict) -> str:
    source = (HERE / name).read_text(encoding="utf-8")
    return engines["django"].from_string(source).render(context)


MONTHS = [(2025, 2, False), (2025, 1, True), (2024, 12, True), (2024, 11, False)]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("chosen", [(2025, 1), (2024, 11), (2023, 5)])
def test_the_month_options_are_what_the_picker_loop_wrote(language, chosen):
    year, month = chosen
    with translation.override(language):
        expected = _reference(
            "reference_month_picker.html",
            {"months": MONTHS, "grid": SimpleNamespace(year=year, month=month)},
        ).strip()
        drawn = month_options(MONTHS, year, month)
    assert drawn == expected
    shown = {(y, m) for y, m, _locked in MONTHS}
    assert drawn.count(" selected") == (1 if chosen in shown else 0)


def test_a_locked_month_is_marked_in_chinese():
    with translation.override("zh-hans"):
        drawn = month_options(MONTHS, 2025, 2)
    # The mark is the catalogue's word: one lost from it would show in English on both sides.
    assert '<option value="2025-1">2025-01 （已锁定）</option>' in drawn


def _photo_context(**overrides):
    projects = [
        SimpleNamespace(pk=7, code="CY-2024-007"),
        SimpleNamespace(pk=1234567, code="<b>\"&'x"),
    ]
    context = {
        "projects": projects,
        "year": 2024,
        "month": 3,
        "unit": SimpleNamespace(pk=12),
        "cumulative": False,
        "csrf_token": "tok<en>&",
    }
    context.update(overrides)
    return context


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"unit": None},
        {"cumulative": True},
        {"unit": None, "cumulative": True},
        {"projects": []},
    ],
    ids=["unit", "all-units", "cumulative", "all-units-cumulative", "no-rows"],
)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_photo_forms_are_what_their_loop_wrote(overrides, language):
    context = _photo_context(**overrides)
    data = {k: context[k] for k in ("projects", "year", "month", "unit")}
    with translation.override(language):
        expected = _reference("reference_photo_forms.html", context)
        drawn = draw_photo_forms(
            data, csrf_token=context["csrf_token"], cumulative=context["cumulative"]
        )
    assert drawn == expected
    assert "<b>" not in drawn
