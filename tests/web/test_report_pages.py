import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    MonthlyProgressFactory,
    ProgrammeFactory,
    ProjectFactory,
    QuarterPlanFactory,
    UnitFactory,
    UserFactory,
)
from tests.reporting import bulk_projects, form_errors

pytestmark = pytest.mark.django_db


def test_report_page_requires_login(client):
    ProgrammeFactory()
    response = client.get("/reports/2024/q1/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@time_machine.travel(dt.datetime(2024, 5, 20, 9, 0, tzinfo=dt.UTC))
def test_home_opens_the_latest_quarter_with_progress(manager_client):
    project = ProjectFactory()
    MonthlyProgressFactory(project=project, month=4)
    response = manager_client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/reports/2024/q2/"


def test_home_without_progress_says_so_instead_of_failing(manager_client):
    response = manager_client.get("/")
    assert response.status_code == 200
    assert response.templates[0].name == "projects/home.html"


def test_report_page_shows_headline_figures_and_rows(manager_client):
    project = ProjectFactory(code="WY001", name="物元半导体项目", kind="continuing")
    QuarterPlanFactory(project=project, investment_q1=Decimal("15500"))
    MonthlyProgressFactory(project=project, month=2, investment=Decimal("24100"))
    response = manager_client.get("/reports/2024/q1/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "1.55" in body and "2.41" in body  # 亿元 in the headline
    assert "155.5%" in body
    assert "物元半导体项目" in body
    assert 'href="/projects/WY001/"' in body
    assert "<svg" in body  # the chart is drawn on the server


@pytest.mark.parametrize(
    "url",
    [
        "/reports/2024/q5/",
        "/reports/2024/q0/",
        "/reports/2031/q1/",
        "/reports/2024/q1/?programme=NOPE",
        "/reports/2024/q1.csv?programme=NOPE",
        "/reports/2024/q1.csv?table=nonsense",
        "/reports/2031/q1.json",
        "/projects/NO-SUCH-CODE/",
    ],
)
def test_bad_periods_programmes_and_codes_give_a_404_page(manager_client, url):
    ProgrammeFactory()
    response = manager_client.get(url)
    assert response.status_code == 404
    assert "<h1>" in response.content.decode()


def test_404_page_explains_in_english_after_switching_language(manager_client):
    ProgrammeFactory()
    manager_client.cookies["django_language"] = "en"
    response = manager_client.get("/reports/2024/q7/")
    assert response.status_code == 404
    assert "quarters run from 1 to 4" in response.content.decode()


def test_exports_need_the_export_permission(client):
    ProgrammeFactory()
    client.force_login(UserFactory())
    for fmt in ("csv", "xlsx", "json"):
        assert client.get(f"/reports/2024/q1.{fmt}").status_code == 403


def test_a_bad_filter_value_shows_the_page_not_a_500(manager_client):
    ProjectFactory()
    response = manager_client.get("/reports/2024/q1/?unit=NOPE&light=purple")
    assert response.status_code == 200
    assert form_errors(response).keys() == {"unit", "light"}
    assert not response.context["report"].filtered


def test_filters_and_sorting_on_the_page(manager_client):
    programme = ProgrammeFactory()
    unit = UnitFactory(code="JS", name="建设局")
    ProjectFactory(programme=programme, unit=unit, name="甲项目")
    ProjectFactory(programme=programme, name="乙项目")
    response = manager_client.get("/reports/2024/q1/?unit=JS&p-sort=-investment_rate")
    body = response.content.decode()
    assert "甲项目" in body and "乙项目" not in body


def test_unit_staff_cannot_open_other_units_project(client):
    own_unit = UnitFactory()
    staff = UserFactory()
    own_unit.members.add(staff)
    own = ProjectFactory(unit=own_unit)
    other = ProjectFactory()
    client.force_login(staff)
    assert client.get(f"/projects/{own.code}/").status_code == 200
    assert client.get(f"/projects/{other.code}/").status_code == 404


def test_project_page_shows_plan_history_and_problems(manager_client):
    project = ProjectFactory(name="鹏辉能源项目")
    QuarterPlanFactory(project=project)
    MonthlyProgressFactory(project=project, month=1, investment=Decimal("30"))
    MonthlyProgressFactory(
        project=project, month=2, investment=Decimal("45"), problems="电力接入未完成"
    )
    body = manager_client.get(f"/projects/{project.code}/").content.decode()
    assert "鹏辉能源项目" in body
    assert "75.00" in body  # running total
    assert "75.0%" in body  # Q1 rate
    assert "电力接入未完成" in body


def _count_queries(client, url_for):
    counts = []
    for n, prefix, year in ((10, "S", 2024), (300, "L", 2025)):
        programme, projects = bulk_projects(n, programme=ProgrammeFactory(year=year), prefix=prefix)
        url = url_for(programme, projects)
        client.get(url)  # warm the session and the settings row
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
            if response.streaming:
                # A streamed file reads its rows while it is sent: count those queries too.
                b"".join(response.streaming_content)
        assert response.status_code == 200, url
        counts.append(len(ctx))
    return counts


@pytest.mark.parametrize(
    "suffix", ["/", "/?light=red&kind=new", ".csv", ".csv?table=unit", ".xlsx", ".json"]
)
def test_page_and_exports_use_the_same_number_of_queries_for_10_and_300_projects(
    manager_client, suffix
):
    small, large = _count_queries(
        manager_client,
        lambda programme, _: f"/reports/{programme.year}/q1{suffix}",
    )
    assert small == large


def test_project_page_uses_the_same_number_of_queries_for_10_and_300_projects(manager_client):
    small, large = _count_queries(
        manager_client, lambda programme, projects: f"/projects/{projects[0].code}/"
    )
    assert small == large


def test_continuing_project_without_start_dates_renders(manager_client):
    ProjectFactory(kind="continuing", planned_start=None, joined_on=dt.date(2024, 1, 1))
    assert manager_client.get("/reports/2024/q1/").status_code == 200


def test_start_status_filter_and_sorting_by_a_rate_with_missing_plans(manager_client):
    programme = ProgrammeFactory()
    early = ProjectFactory(
        programme=programme,
        name="提前项目",
        planned_start=dt.date(2024, 6, 1),
        actual_start=dt.date(2024, 3, 1),
    )
    QuarterPlanFactory(project=early)
    ProjectFactory(programme=programme, name="无计划项目", kind="continuing")
    response = manager_client.get("/reports/2024/q1/?status=early")
    body = response.content.decode()
    assert "提前项目" in body and "无计划项目" not in body
    for order in ("investment_rate", "-investment_rate", "light", "-actual_start"):
        assert manager_client.get(f"/reports/2024/q1/?p-sort={order}").status_code == 200


def test_report_page_reads_in_english_after_switching_language(manager_client):
    ProjectFactory()
    manager_client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = manager_client.get("/reports/2024/q1/").content.decode()
    assert "Construction starts" in body
    assert "2024 Q1" in body
