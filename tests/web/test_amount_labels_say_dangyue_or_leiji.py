"""Outside the entry grid too, each amount heading says 当月 (one month) or 累计 (year to date)."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import (
    MonthlyProgressFactory,
    ProjectFactory,
    QuarterPlanFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# A quarter's own figures (当季) and the whole year's plan (年度) are windows too, named as such.
WINDOWS = ("当月", "累计", "当季", "年度")


def headings(page: str) -> list[str]:
    cells = re.findall(r"<th[^>]*>(.*?)</th>", page, flags=re.S)
    return [re.sub(r"<[^>]+>|\s+", "", cell) for cell in cells]


def unnamed_amounts(page: str) -> list[str]:
    """Amount headings (万元, 亿元, 投资 or 纳统) that leave their window to be guessed."""
    return [
        h
        for h in headings(page)
        if re.search(r"万元|亿元|投资|纳统", h)
        and not re.search("率|占", h)
        and not any(word in h for word in WINDOWS)
    ]


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(username="root", is_superuser=True))
    return client


@pytest.fixture
def project():
    project = ProjectFactory(code="WY001", kind="continuing")
    QuarterPlanFactory(project=project, investment_q1=Decimal("300"), inclusion_q1=Decimal("240"))
    MonthlyProgressFactory(project=project, month=2, investment=Decimal("100"))
    MonthlyProgressFactory(project=project, month=3, investment=Decimal("50"))
    return project


@pytest.mark.parametrize("url", ["/reports/2024/q1/", "/reports/2024/m3/"])
def test_report_page_headings_say_leiji(manager_client, project, url):
    page = manager_client.get(url).content.decode()
    assert "累计完成投资（万元）" in page and "累计纳统额（万元）" in page
    assert unnamed_amounts(page) == []


def test_a_month_report_calls_the_month_alone_dangyue_not_this_quarter(manager_client, project):
    page = manager_client.get("/reports/2024/m3/").content.decode()
    assert "其中当月" in page and "其中本季度" not in page
    quarter = manager_client.get("/reports/2024/q1/").content.decode()
    assert "其中本季度" in quarter


def test_print_view_headings_say_leiji(manager_client, project):
    page = manager_client.get("/reports/2024/q1/print/").content.decode()
    assert "累计完成投资（亿元）" in page and "累计完成投资（万元）" in page
    assert unnamed_amounts(page) == []


def test_project_page_names_month_running_total_and_quarter(manager_client, project):
    page = manager_client.get(reverse("project_detail", args=[project.code])).content.decode()
    for heading in ("当月完成投资（万元）", "累计完成投资（万元）", "当季完成投资", "当季纳统额"):
        assert heading in headings(page), heading
    assert unnamed_amounts(page) == []


def test_status_page_names_month_and_year_to_date_columns(manager_client, project):
    page = manager_client.get(reverse("status_page", args=[2024, 3])).content.decode()
    assert "当月完成投资（万元）" in headings(page)
    assert "累计完成投资（万元）" in headings(page)
    assert unnamed_amounts(page) == []


def test_admin_progress_form_says_the_amounts_are_the_months_own(superuser_client):
    page = superuser_client.get(reverse("admin:projects_monthlyprogress_add")).content.decode()
    assert "当月完成投资（万元）" in page and "当月纳统额（万元）" in page
    assert "不填年初至今的累计数" in page


def test_progress_import_pages_say_the_amounts_are_the_months_own(superuser_client):
    page = superuser_client.get(reverse("imports:import", args=["progress"])).content.decode()
    assert "当月发生额" in page and "完成投资（万元）" in page
