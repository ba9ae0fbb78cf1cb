"""A breakdown of many groups shows its largest on the page; the rest stay in the total,
the print view and the files, one link away."""

import pytest

from projects.web.tables import BREAKDOWN_FOLD
from tests.reporting import one_project_per_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_units():
    # The plan grows with n: the largest are the last units by code.
    programme, _units = one_project_per_unit(
        BREAKDOWN_FOLD + 5, plan=lambda n: 100 + n, actual=lambda n: 1, month=1
    )
    return programme


def unit_table(client, sections_drawn, query=""):
    response = client.get(f"/reports/2024/q1/{query}")
    table = next(b for b in sections_drawn(response)["breakdowns"] if b["key"] == "unit")
    return table, response.content.decode()


def test_a_long_breakdown_shows_its_largest_groups_first_and_says_how_many_more(
    many_units, manager_client, sections_drawn
):
    table, page = unit_table(manager_client, sections_drawn)
    assert table["fold"].hidden == 5 and table["fold"].total == BREAKDOWN_FOLD + 5
    drawn = [str(row) for row in table["rows"]]
    assert len(drawn) == BREAKDOWN_FOLD
    # By plan, largest first: the last units by code are drawn, the first are folded away.
    assert "单位034" in drawn[0] and not any("单位000" in row for row in drawn)
    assert "其余5个已计入合计" in page and "unit-all=1" in page


def test_asking_for_all_shows_every_group(many_units, manager_client, sections_drawn):
    table, page = unit_table(manager_client, sections_drawn, "?unit-all=1")
    assert table["fold"] is None
    assert "单位000" in page and "单位034" in page


def test_the_print_view_keeps_every_group(many_units, manager_client):
    page = manager_client.get("/reports/2024/q1/print/").content.decode()
    assert "单位000" in page and "单位034" in page
