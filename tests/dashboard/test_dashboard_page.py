"""The leaders' view (驾驶舱): the report's own figures, as each reader may read them."""

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from projects.attachments import services as photos
from projects.briefing.wording import coverage_sentences
from projects.choices import Light
from projects.dashboard.selectors import leaders_view
from projects.models import Programme, Project, ReportSettings
from projects.money import format_rate
from projects.periods import Period
from projects.selectors import quarterly_report
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


def _jpeg() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "gray").save(buffer, "JPEG")
    return SimpleUploadedFile("site.jpg", buffer.getvalue(), content_type="image/jpeg")


def _project(unit, street, *, done: str, name: str = "", photo_by=None):
    """A continuing project planned 300 万元 for Q1 and ``done`` in March: its light follows."""
    project = ProjectFactory(
        kind=Project.Kind.CONTINUING,
        unit=unit,
        street=street,
        programme=ProgrammeFactory(year=2024),
        **({"name": name} if name else {}),
    )
    QuarterPlanFactory(project=project, investment_q1=Decimal("300"))
    MonthlyProgressFactory(project=project, month=3, investment=Decimal(done))
    if photo_by is not None:
        photos.upload_photo(actor=photo_by, project=project, upload=_jpeg(), year=2024, month=3)
    return project


@pytest.fixture
def ledger():
    """Two units in two streets; green, yellow and red projects, each with a photo.

    Lit on the year-to-date plan's rate (the ``plan`` style), so each project's colour
    follows from its figures alone; the signals themselves are tested with the lights.
    """
    ReportSettings.objects.update_or_create(pk=1, defaults={"progress_style": "plan"})
    manager = user_with_role("manager", username="office")
    east, west = StreetFactory(code="E", name="东街道"), StreetFactory(code="W", name="西街道")
    roads, parks = UnitFactory(code="R", name="区交通局"), UnitFactory(code="P", name="区园林局")
    projects = {
        "green": _project(roads, east, done="300", name="东部快速路", photo_by=manager),
        "yellow": _project(roads, west, done="200", name="西部干道", photo_by=manager),
        "red": _project(parks, west, done="30", name="西湖公园", photo_by=manager),
        "red2": _project(parks, east, done="0", name="东山绿道", photo_by=manager),
    }
    return {"streets": (east, west), "units": (roads, parks), "projects": projects}


def _page(client, **params) -> str:
    response = client.get(reverse("dashboard"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_headline_is_the_reports_own(ledger, manager, manager_client):
    programme = Programme.objects.get()
    report = quarterly_report(user=manager, programme=programme, year=2024, quarter=1)
    page = _page(manager_client, **Q1)
    h = report.headline
    assert "2024年一季度" in page
    assert format_rate(h.investment.rate) in page and format_rate(h.time_elapsed) in page
    assert f"{h.starts.actual}<em>个已开工</em>" in page
    assert f"计划开工 {h.starts.planned} 个" in page
    for line in coverage_sentences(report):
        assert line in page


def test_lights_by_unit_and_street_are_plain_counts_of_the_reports_rows(ledger, manager):
    programme = Programme.objects.get()
    view = leaders_view(user=manager, programme=programme, period=Period(2024, 1))
    rows = list(quarterly_report(user=manager, programme=programme, year=2024, quarter=1).rows)
    for groups, attr in ((view.by_unit, "unit"), (view.by_street, "street")):
        assert sum(g.total for g in groups) == len(rows) == 4
        for group in groups:
            mine = [r.light for r in rows if getattr(r, attr) == group.name]
            assert (group.green, group.yellow, group.red) == (
                mine.count(Light.GREEN),
                mine.count(Light.YELLOW),
                mine.count(Light.RED),
            )
    assert [r.name for r in view.red] == ["东山绿道", "西湖公园"]  # furthest behind first
    assert (view.lights.green, view.lights.yellow, view.lights.red) == (1, 1, 2)


def test_the_page_lists_red_projects_the_ranking_and_the_photos(ledger, manager_client):
    page = _page(manager_client, **Q1)
    red = page[page.index('class="dash-red"') :]
    red = red[: red.index("</section>")]
    assert "东山绿道" in red and "西湖公园" in red and "东部快速路" not in red
    ranking = page[page.index('class="dash-ranking"') :]
    # No unit has submitted March: both are listed apart, with the reason, not ranked.
    assert "区交通局" in ranking and "区园林局" in ranking and "本期未报送" in ranking
    assert page.count("/thumb/") == 4


def test_a_street_viewer_sees_their_street_only_photos_included(ledger, client):
    east, _west = ledger["streets"]
    viewer = user_with_role("street_viewer", username="east_reader")
    viewer.streets.set([east])
    client.force_login(viewer)
    page = _page(client, **Q1)
    assert "东部快速路" in page and "东山绿道" in page
    assert "西湖公园" not in page and "西部干道" not in page and "西街道" not in page
    assert page.count("/thumb/") == 2
    tokens = re.findall(r"/photos/(\w+)/thumb/", page)
    for token in tokens:
        assert client.get(reverse("photo_thumb", args=[token])).status_code == 200


def test_the_query_count_does_not_grow_with_the_list(ledger, manager, manager_client):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            _page(manager_client, **Q1)
            _page(manager_client, screen="wall", **Q1)
        return len(queries)

    count()  # the first reads fill per-process caches (content types, settings)
    before = count()
    street = ledger["streets"][0]
    for n in range(12):
        unit = UnitFactory(code=f"X{n}", name=f"新单位{n}")
        _project(unit, street, done=str(10 * n), photo_by=manager)
    assert count() == before


def test_the_period_is_chosen_by_quarter_or_month_and_defaults_to_the_due_one(
    ledger, manager_client
):
    assert "2024年一季度" in _page(manager_client)
    assert Period.through_month(2024, 2).label_zh in _page(manager_client, year="2024", month="2")
    assert "2024年一季度" in _page(manager_client, quarter="1")


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"year": "2024", "quarter": "9"}, "季度只能是1至4"),
        ({"year": "2024", "month": "13"}, "月份"),
        ({"year": "２０２４", "quarter": "1"}, "2000 到 2100"),
        ({"year": "99999999999999999999", "quarter": "1"}, "2000 到 2100"),
        ({"year": "2024", "quarter": "1", "programme": "NOPE"}, "没有编号为NOPE"),
    ],
)
def test_a_bad_period_is_a_chinese_404_never_a_500(ledger, manager_client, params, words):
    response = manager_client.get(reverse("dashboard"), params, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 404
    assert words in response.content.decode()


def test_the_wall_screen_refreshes_itself_with_no_script(ledger, manager_client):
    page = _page(manager_client, screen="wall", **Q1)
    assert re.search(r'<meta http-equiv="refresh" content="\d+">', page)
    assert "<script" not in page
    assert "驾驶舱" in page and "西湖公园" in page


def test_with_nothing_reported_the_page_says_so(manager_client):
    page = _page(manager_client)
    assert "尚无" in page or "还没有" in page
