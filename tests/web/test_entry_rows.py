"""The grid's rows, written by Python (``projects.web.entry_rows``): words typed by people are
text wherever they land, figures are written as stored, and the nested apps' parts of a row
are drawn by the functions they register (``web.panels.DRAWN_SLOTS``)."""

import re
from decimal import Decimal

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import translation

from projects.attachments import services
from projects.models import MonthSubmission
from projects.web import panels
from projects.web.entry_rows import _value
from tests.attachments.conftest import _photos_in_tmp  # noqa: F401 (photos kept in tmp)
from tests.attachments.test_photos import jpeg
from tests.factories import MonthlyProgressFactory
from tests.web.grid import MARCH, URL, form_data

pytestmark = pytest.mark.django_db

HOSTILE = "<script>alert(\"x\")</script> & 'q'"
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;q&#x27;"


def _row(body: str, code: str) -> str:
    """The ``<tr>`` of one project, up to the next row."""
    start = body.index(f'<span class="code">{code}</span>')
    start = body.rindex("<tr", 0, start)
    return body[start : body.index("</tr>", start)]


def test_a_projects_name_is_text_in_its_row_and_its_photo(logged_in, projects):
    project = projects[0][0]
    project.name = HOSTILE
    project.save()
    body = logged_in.get(URL, MARCH).content.decode()
    row = _row(body, "A1")
    assert "<script>" not in body
    assert f"</span> {ESCAPED}\n" in row
    assert f'<img alt="{ESCAPED}"' in row  # no photo yet: the hidden thumbnail's alt
    assert f'aria-label="{ESCAPED} ' in row


def test_a_read_only_rows_stored_words_are_text(manager_client, projects, unit_a):
    MonthlyProgressFactory(
        project=projects[0][0], month=3, image_progress=HOSTILE, problems=f"问题 {HOSTILE}"
    )
    MonthSubmission.objects.create(unit=unit_a, year=2024, month=3, status="submitted")
    body = manager_client.get(reverse("unit_figures", args=[2024, 3, unit_a.pk])).content.decode()
    row = _row(body, "A1")
    assert "<script>" not in body
    assert f'">{ESCAPED}</td>' in row  # 形象进度
    assert f'">问题 {ESCAPED}\n' in row  # 存在问题
    assert 'class="entry-row closed"' in row


def test_a_photos_caption_is_text_and_the_count_is_the_months(logged_in, projects, clerk):
    project = projects[0][0]
    for caption in ("", HOSTILE):
        services.upload_photo(
            actor=clerk, project=project, upload=jpeg(), caption=caption, year=2024, month=3
        )
    body = logged_in.get(URL, MARCH).content.decode()
    row = _row(body, "A1")
    assert f'alt="{ESCAPED}" width="48" height="36" loading="lazy"' in row
    assert '<span class="entry-photo-count muted">本月照片 2 张</span>' in row
    assert 'form="photo-' in row  # the camera: the clerk may add to an open month


def test_figures_are_written_as_stored_for_the_grids_script(logged_in, projects):
    body = logged_in.get(URL, MARCH).content.decode()
    row = _row(body, "A1")
    # February's 100 and 80 before March; the quarter's plan 300 and 240.
    assert 'data-ytd-inv="100.00" data-ytd-inc="80.00"' in row
    assert 'data-q-inv="100.00" data-q-inc="80.00"' in row
    assert 'data-plan-inv="300.00" data-plan-inc="240.00"' in row
    assert '<span class="rate-inv">33.3%</span>' in row


@pytest.mark.parametrize("value", [Decimal("12.50"), Decimal("0"), Decimal("1E+2"), 3, None])
def test_a_figure_is_written_as_the_template_language_wrote_it_with_localize_off(value):
    template = engines["django"].from_string(
        "{% load l10n %}{% localize off %}{{ v }}{% endlocalize %}"
    )
    with translation.override("zh-hans"):
        assert _value(value) == template.render({"v": value})


def test_a_refused_rows_messages_are_text_under_its_boxes(logged_in, projects):
    data = form_data(
        logged_in,
        **{"e-0-investment": "<b>1</b>", "e-1-investment": "3500", "e-1-inclusion": "0"},
    )
    body = logged_in.post(URL, data).content.decode()
    first, second = _row(body, "A1"), _row(body, "A2")
    assert 'class="entry-row has-errors"' in first
    assert "“&lt;b&gt;1&lt;/b&gt;”" in first and "<b>1</b>" not in body
    # The second row's figure is read but implausible: a warning with its box to tick, in the
    # row under it.
    notes = body[body.index("</tr>", body.index(second)) :]
    notes = notes[: notes.index("</tr>", notes.index('class="entry-notes"'))]
    assert re.search(r'<li class="warning-[a-z_]+">', notes)
    assert 'name="e-1-confirm"' in notes


def test_a_drawn_slot_takes_a_function_and_a_template_slot_a_template():
    with pytest.raises(ValueError, match="takes a function that draws its HTML"):
        panels.register("entry", name="x", slots={"row_photos": "x.html"})
    with pytest.raises(ValueError, match="takes a template name"):
        panels.register("entry", name="x", slots={"tallies": lambda data, **row: ""})
    assert "x" not in {r.name for r in panels._REGISTRY["entry"]}
