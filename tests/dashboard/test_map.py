"""The map: street outlines from a GeoJSON file, project points from the report's own rows."""

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from projects import demo, geo
from projects.models import Project, Street
from projects.services.reference import load_street_boundaries
from tests.factories import (
    MonthlyProgressFactory,
    ProgrammeFactory,
    ProjectFactory,
    QuarterPlanFactory,
    StreetFactory,
    UnitFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db
Q1 = {"year": "2024", "quarter": "1"}


@pytest.fixture(autouse=True)
def _april_2024():
    with time_machine.travel(dt.datetime(2024, 4, 20, 12, 0), tick=False):
        yield


def _square(code, name, west, south, size=Decimal("0.05")):
    ring = [[west, south], [west + size, south], [west + size, south + size], [west, south + size]]
    ring = [[float(x), float(y)] for x, y in [*ring, ring[0]]]
    return {
        "type": "Feature",
        "properties": {"code": code, "name": name},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def _file(tmp_path, *features) -> str:
    path = tmp_path / "streets.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": list(features)}))
    return str(path)


def _project(unit, street, *, done: str, name: str, point=None):
    lon, lat = point or (None, None)
    project = ProjectFactory(
        kind=Project.Kind.CONTINUING,
        unit=unit,
        street=street,
        name=name,
        programme=ProgrammeFactory(year=2024),
        longitude=lon,
        latitude=lat,
    )
    QuarterPlanFactory(project=project, investment_q1=Decimal("300"))
    MonthlyProgressFactory(project=project, month=3, investment=Decimal(done))
    return project


@pytest.fixture
def ledger(tmp_path):
    east, west = StreetFactory(code="E", name="东街道"), StreetFactory(code="W", name="西街道")
    call_command(
        "load_streets_geojson",
        _file(
            tmp_path,
            _square("E", "东街道", Decimal("120.40"), Decimal("36.30")),
            _square("W", "西街道", Decimal("120.30"), Decimal("36.30")),
        ),
        stdout=io.StringIO(),
    )
    roads = UnitFactory(code="R", name="区交通局")
    green = _project(roads, east, done="300", name="东部快速路", point=("120.42", "36.32"))
    behind = _project(roads, west, done="30", name="西湖公园", point=("120.32", "36.32"))
    unplaced = _project(roads, west, done="300", name="无坐标项目")
    return {
        "streets": (east, west),
        "unit": roads,
        "green": green,
        "behind": behind,
        "none": unplaced,
    }


def _page(client, **params) -> str:
    response = client.get(reverse("project_map"), params)
    assert response.status_code == 200
    return response.content.decode()


# ---------------------------------------------------------------- boundaries


def test_only_managers_load_boundaries(viewer):
    with pytest.raises(PermissionDenied):
        load_street_boundaries(actor=viewer, text=demo.demo_streets_text())


def test_the_command_stores_each_streets_outline_matched_by_code_or_name(tmp_path):
    StreetFactory(code="E", name="东街道")
    StreetFactory(code="X", name="西街道")
    path = _file(
        tmp_path,
        _square("E", "别名", Decimal("120.40"), Decimal("36.30")),
        _square("", "西街道", Decimal("120.30"), Decimal("36.30")),
        _square("ZZ", "外区街道", Decimal("120.30"), Decimal("36.40")),
    )
    out, err = io.StringIO(), io.StringIO()
    call_command("load_streets_geojson", path, stdout=out, stderr=err)
    assert "2" in out.getvalue() and "外区街道" in err.getvalue()
    outlines = dict(Street.objects.values_list("code", "boundary"))
    assert outlines["E"]["type"] == "Polygon" and outlines["X"]["coordinates"][0][0] == [
        120.3,
        36.3,
    ]


@pytest.mark.parametrize(
    "text, words",
    [
        ("not json", "JSON"),
        ('{"type": "Feature"}', "FeatureCollection"),
        ('{"type": "FeatureCollection", "features": []}', "没有"),
        (
            '{"type": "FeatureCollection", "features": [{"properties": {"name": "甲"}, '
            '"geometry": {"type": "Point", "coordinates": [120.3, 36.3]}}]}',
            "甲",
        ),
    ],
)
def test_an_unusable_file_changes_nothing_and_says_why_in_chinese(manager, tmp_path, text, words):
    street = StreetFactory(code="E", name="甲", boundary={"type": "Polygon", "coordinates": []})
    with translation.override("zh-hans"), pytest.raises(geo.GeoJSONError) as caught:
        load_street_boundaries(actor=manager, text=text)
    assert words in str(caught.value)
    path = tmp_path / "bad.geojson"
    path.write_text(text)
    with pytest.raises(CommandError):
        call_command("load_streets_geojson", str(path), stdout=io.StringIO())
    street.refresh_from_db()
    assert street.boundary == {"type": "Polygon", "coordinates": []}


def test_the_demo_file_is_labelled_schematic_and_every_demo_project_lies_in_its_street():
    document = json.loads(demo.demo_streets_text())
    assert "SCHEMATIC" in document["description"] and "示意" in document["name"]
    outlines = {o.code: o.geometry for o in geo.read_outlines(demo.demo_streets_text())}
    assert set(outlines) == {f"JD-{code}" for code, _name in demo.STREETS}
    projects = demo.build()
    for project in projects:
        outline = outlines[f"JD-{project.street}"]
        assert geo.contains(outline, float(project.longitude), float(project.latitude))
    again = demo.build()
    assert [(p.longitude, p.latitude) for p in again] == [
        (p.longitude, p.latitude) for p in projects
    ]


# ---------------------------------------------------------------- the page


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(reverse("project_map"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_page_draws_streets_and_points_coloured_by_light_with_titles(ledger, manager_client):
    with translation.override("zh-hans"):
        page = _page(manager_client, **Q1)
    assert page.count('class="map-street"') == 2 and "东街道" in page and "西街道" in page
    green, behind = ledger["green"], ledger["behind"]
    assert f"<title>{green.code} 东部快速路 · 正常</title>" in page
    assert f"<title>{behind.code} 西湖公园 · 滞后</title>" in page
    assert 'class="map-point light-green"' in page and 'class="map-point light-yellow"' in page
    # One project has no coordinates: not drawn, but counted.
    assert "无坐标项目" not in page and "1 个项目没有坐标" in page


def test_the_points_follow_the_reports_filters(ledger, manager_client):
    page = _page(manager_client, light="yellow", **Q1)
    assert "西湖公园" in page and "东部快速路" not in page


def test_a_street_viewer_sees_only_their_street(ledger, client):
    east, _west = ledger["streets"]
    reader = user_with_role("street_viewer", username="east_reader")
    reader.streets.set([east])
    client.force_login(reader)
    page = _page(client, **Q1)
    drawn = page[page.index("<svg") : page.index("</svg>")]
    assert "东部快速路" in drawn and "东街道" in drawn
    assert "西湖公园" not in drawn and "西街道" not in drawn


def test_the_query_count_does_not_grow_with_the_list(ledger, manager_client):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            _page(manager_client, **Q1)
        return len(queries)

    count()  # the first reads fill per-process caches
    before = count()
    east = ledger["streets"][0]
    for n in range(10):
        unit = UnitFactory(code=f"X{n}", name=f"新单位{n}")
        _project(unit, east, done=str(30 * n), name=f"新项目{n}", point=("120.41", "36.31"))
    assert count() == before


def test_with_nothing_reported_the_page_says_so(manager_client):
    assert "map-svg" in _page(manager_client)


# ---------------------------------------------------------------- the GeoJSON file


def test_the_geojson_file_holds_the_in_scope_projects_with_coordinates(ledger, client):
    east, _west = ledger["streets"]
    reader = user_with_role("street_viewer", username="east_reader")
    reader.streets.set([east])
    manager = user_with_role("manager", username="office")
    url = reverse("export_report", args=[2024, 1, "geojson"])

    def features(user):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/geo+json")
        document = json.loads(b"".join(response.streaming_content))
        assert document["type"] == "FeatureCollection"
        return document["features"]

    everything = features(manager)
    assert {f["properties"]["name"] for f in everything} == {"东部快速路", "西湖公园"}
    behind = next(f for f in everything if f["properties"]["name"] == "西湖公园")
    assert behind["geometry"] == {"type": "Point", "coordinates": [120.32, 36.32]}
    assert behind["properties"]["light"] == "yellow"
    assert behind["properties"]["investment_rate"] == 10
    assert set(behind["properties"]) >= {"code", "name", "unit", "light", "inclusion_rate"}
    assert [f["properties"]["name"] for f in features(reader)] == ["东部快速路"]


@pytest.mark.parametrize(
    "params, status",
    [
        ({"year": "abc"}, 404),
        ({"year": "2024", "quarter": "9"}, 404),
        ({"year": "2024", "quarter": "1", "programme": "NOPE"}, 404),
        ({"year": "2024", "quarter": "1", "light": "purple", "street": "无此街道"}, 200),
        ({"year": "2024", "quarter": "1", "street": "\x00"}, 400),
    ],
)
def test_hostile_addresses_are_refused_or_the_unfiltered_map_never_a_500(
    ledger, manager_client, params, status
):
    assert manager_client.get(reverse("project_map"), params).status_code == status
