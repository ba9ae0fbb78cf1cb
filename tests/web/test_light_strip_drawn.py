"""The project page's light strip, drawn in Python, writes what its template wrote
(``reference_light_strip.html`` beside this file is that template)."""

from pathlib import Path

import pytest
from django.template import Context, engines
from django.utils import translation

from projects.choices import Light
from projects.selectors.light_history import MonthLight
from projects.selectors.results import LightReason
from projects.web.light_panel import draw_strip

REFERENCE = (Path(__file__).parent / "reference_light_strip.html").read_text(encoding="utf-8")

LATE = LightReason("start", Light.RED, '逾期未开工 <b>"3"</b> 个月 & 以上')
SLOW = LightReason("progress", Light.YELLOW, "投资完成率 40.0%，低于 60%")

STRIPS = {
    "green, live": (MonthLight(1, Light.GREEN, (), live=True),),
    "a year": (
        MonthLight(1, Light.GREEN, (), live=False),
        MonthLight(2, Light.YELLOW, (SLOW,), live=False),
        MonthLight(3, Light.RED, (LATE, SLOW), live=True),
        MonthLight(12, Light.RED, (LATE,), live=True),
    ),
    "none yet": (),
}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("name", list(STRIPS))
def test_the_strip_is_what_its_template_wrote(name, language):
    strip = STRIPS[name]
    with translation.override(language):
        expected = (
            engines["django"].from_string(REFERENCE).render({"strip": strip, "light_year": 2024})
        )
        drawn = engines["django"].engine.get_template("projects/_light_strip.html")
        drawn = drawn.render(Context({"drawn": draw_strip(strip, 2024)}))
    assert drawn == expected
    assert "<b>" not in drawn


def test_the_strip_speaks_chinese():
    with translation.override("zh-hans"):
        drawn = draw_strip(STRIPS["a year"], 2024)
    for words in (
        "2024年逐月亮灯",
        "3月",
        "12月",
        "</span> 红 <small>实时</small>",
        "正常，无预警信号。",
    ):
        assert words in drawn, words
