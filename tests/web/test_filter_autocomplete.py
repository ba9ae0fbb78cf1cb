"""Reference filters (unit, street…) above a size are a text box with suggestions, not a
select of every entry; the box takes a name or a code, and the suggestions are scoped like
the report."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects import filters
from projects.models import Unit
from projects.selectors.references import SUGGESTIONS
from tests.factories import ProgrammeFactory, ProjectFactory, StreetFactory, UnitFactory
from tests.reporting import form_errors

pytestmark = pytest.mark.django_db

SUGGEST = "/filters/unit/suggestions/"


@pytest.fixture
def small_threshold(monkeypatch):
    """A list of more than three entries counts as long (2,466 units, cheaply)."""
    monkeypatch.setattr(filters, "SELECT_UP_TO", 3)


@pytest.fixture
def many_units(db):
    """Thirty units named 单位00 … 单位29 (codes M00 … M29), each with a project."""
    programme = ProgrammeFactory()
    units = Unit.objects.bulk_create(
        Unit(code=f"M{i:02d}", name=f"单位{i:02d}", sort_order=i) for i in range(30)
    )
    for unit in units[:3]:
        ProjectFactory(programme=programme, unit=unit)
    return units


def _unit_filter_html(body: str) -> str:
    start = body.index('name="unit"')
    return body[body.rindex("<", 0, start) : body.index("</div>", start)]


def test_a_long_unit_list_is_a_text_box_without_its_options(
    manager_client, many_units, small_threshold
):
    body = manager_client.get("/reports/2024/q1/").content.decode()
    box = _unit_filter_html(body)
    assert box.startswith("<input ")
    assert 'type="text"' in box and 'value=""' in box
    assert 'data-suggest="/filters/unit/suggestions/"' in box
    assert 'list="id_unit-suggestions"' in box
    # No unit is written into the page: not as an option, not in the datalist.
    assert "单位29" not in body and '<option value="M' not in body
    assert '<datalist id="id_unit-suggestions"></datalist>' in box


def test_a_short_list_stays_a_select_with_its_options(manager_client, many_units):
    body = manager_client.get("/reports/2024/q1/?unit=M02").content.decode()
    box = _unit_filter_html(body)
    assert box.startswith('<select name="unit"')
    assert box.count("<option") == 31  # 全部 and the thirty units
    assert '<option value="M02" selected>单位02</option>' in box


def test_the_text_box_costs_the_queries_the_select_cost(manager_client, many_units, monkeypatch):
    def count(threshold):
        monkeypatch.setattr(filters, "SELECT_UP_TO", threshold)
        manager_client.get("/reports/2024/q1/")
        with CaptureQueriesContext(connection) as ctx:
            manager_client.get("/reports/2024/q1/")
        return len(ctx)

    assert count(3) == count(50)


def test_the_box_takes_a_name_or_a_code_in_any_case(manager_client, many_units, small_threshold):
    for text in ("单位01", "m01", "M01", " 单位01 "):
        response = manager_client.get("/reports/2024/q1/", {"unit": text})
        assert response.status_code == 200
        assert not form_errors(response)
        assert [r.unit for r in response.context["report"].rows] == ["单位01"]


def test_unknown_text_is_a_chinese_message_on_the_page_and_a_refused_file(
    manager_client, many_units, small_threshold
):
    response = manager_client.get("/reports/2024/q1/", {"unit": "不存在的单位"})
    assert response.status_code == 200
    assert form_errors(response)["unit"] == ["没有名称或代码为“不存在的单位”的责任单位。"]
    assert "没有名称或代码为“不存在的单位”的责任单位。" in response.content.decode()
    file = manager_client.get("/reports/2024/q1.csv", {"unit": "不存在的单位"})
    assert file.status_code == 400
    assert "没有名称或代码为“不存在的单位”的责任单位。" in file.content.decode()


def test_text_naming_two_entries_asks_for_the_code(manager_client, many_units, small_threshold):
    # One unit's code is another's name, case aside: the text cannot choose between them.
    UnitFactory(code="X1", name="甲")
    UnitFactory(code="Y1", name="x1")
    response = manager_client.get("/reports/2024/q1/", {"unit": "x1"})
    assert response.status_code == 200
    assert form_errors(response)["unit"] == ["“x1”对应多个责任单位，请输入代码。"]
    # The exact code still chooses one.
    exact = manager_client.get("/reports/2024/q1/", {"unit": "X1"})
    assert not form_errors(exact)


def test_suggestions_need_a_login(client):
    response = client.get(SUGGEST, {"q": "单位"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_suggestions_match_names_and_codes_and_stop_at_twenty(manager_client, many_units):
    by_name = manager_client.get(SUGGEST, {"q": "单位1"}).json()["results"]
    assert [r["code"] for r in by_name] == [f"M{i}" for i in range(10, 20)]
    by_code = manager_client.get(SUGGEST, {"q": "m2"}).json()["results"]
    assert [r["name"] for r in by_code] == [f"单位{i}" for i in range(20, 30)]
    everything = manager_client.get(SUGGEST).json()["results"]
    assert len(everything) == SUGGESTIONS == 20


def test_a_street_viewer_is_offered_only_units_of_their_streets(
    street_viewer_client, street_a, many_units
):
    other_street = StreetFactory()
    programme = ProgrammeFactory()
    ProjectFactory(programme=programme, unit=many_units[5], street=street_a)
    ProjectFactory(programme=programme, unit=many_units[6], street=other_street)
    results = street_viewer_client.get(SUGGEST, {"q": "单位"}).json()["results"]
    assert [r["code"] for r in results] == ["M05"]
    streets = street_viewer_client.get("/filters/street/suggestions/").json()["results"]
    assert [r["code"] for r in streets] == [street_a.code]


def test_suggestions_for_a_filter_that_is_not_a_list_are_not_found(manager_client):
    assert manager_client.get("/filters/light/suggestions/").status_code == 404
    assert manager_client.get("/filters/nothing/suggestions/").status_code == 404
