"""What the grid's draft script reads off the page: each box's stored value beside the one
shown, the draft's key, and a saved message that names its month.

The browser keeps what was typed until the server confirms the save; these are the
server's half of that (tests/browser/test_entry_draft.py drives the whole of it).
"""

import re
from decimal import Decimal

import pytest

from tests.factories import MonthlyProgressFactory
from tests.web.grid import MARCH, URL, form_data

pytestmark = pytest.mark.django_db


def stored(body: str, name: str) -> str:
    box = re.search(rf'<(?:input|textarea)[^>]*name="{name}"[^>]*>', body).group(0)
    return re.search(r'data-stored="([^"]*)"', box).group(1)


def test_each_box_carries_what_is_stored(logged_in, projects, clerk):
    MonthlyProgressFactory(
        project=projects[0][0], month=3, investment=Decimal("20"), inclusion=Decimal("10")
    )
    body = logged_in.get(URL, MARCH).content.decode()
    assert stored(body, "e-0-investment") == "20.00"
    assert stored(body, "e-1-investment") == ""
    assert stored(body, "e-1-image_progress") == "基础施工"
    assert f'data-draft-key="tracker.entry-draft.{clerk.pk}.2024-3"' in body
    # 按累计填报: the stored figure is the year to date the box shows.
    body = logged_in.get(URL, {**MARCH, "cumulative": 1}).content.decode()
    assert stored(body, "e-0-investment") == "120.00"


def test_a_refused_save_shows_the_typed_figures_but_the_stored_ones_stay_marked(
    logged_in, projects
):
    data = form_data(logged_in, **{"e-0-investment": "abc", "e-1-investment": "30"})
    body = logged_in.post(URL, data).content.decode()
    box = re.search(r'<input[^>]*name="e-1-investment"[^>]*>', body).group(0)
    assert 'value="30"' in box
    assert stored(body, "e-1-investment") == ""
    assert not re.search(r'<li class="[^"]*entry-saved', body)


def test_the_saved_message_names_the_month_saved(logged_in, projects):
    data = form_data(logged_in, **{"e-0-investment": "120", "e-0-inclusion": "90"})
    body = logged_in.post(URL, data, follow=True).content.decode()
    assert re.search(r'<li class="[^"]*entry-saved-2024-3[^"]*">', body)
    assert 'data-saved-tag="entry-saved-2024-3"' in body
    # An untouched grid saves nothing and confirms nothing.
    body = logged_in.post(URL, form_data(logged_in), follow=True).content.decode()
    assert not re.search(r'<li class="[^"]*entry-saved', body)
