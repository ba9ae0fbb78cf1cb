"""Project codes from before the code rule: every page and link still works with them."""

import pytest
from django.urls import reverse

from tests.factories import (
    MonthlyProgressFactory,
    ProgrammeFactory,
    ProjectFactory,
    QuarterPlanFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db

LEGACY_CODES = ["CY/2024/01", "a?b", "a#b", "50%", "a b", "..", "项目/1", "a//b", "/lead", "a%2Fb"]


def test_every_page_and_link_works_with_older_odd_codes(client):
    programme = ProgrammeFactory(year=2024)
    projects = [ProjectFactory(code=code, programme=programme) for code in LEGACY_CODES]
    for project in projects:
        QuarterPlanFactory(project=project)
        MonthlyProgressFactory(project=project, month=3)
    client.force_login(user_with_role("manager"))
    report = client.get("/reports/2024/q1/", {"p-per_page": 100})
    assert report.status_code == 200
    page = report.content.decode()
    for project in projects:
        url = reverse("project_detail", args=[project.code])
        assert f'href="{url}"' in page, project.code
        response = client.get(url)
        assert response.status_code == 200, (project.code, url)
        assert response.context["p"] == project
    for fmt in ("csv", "xlsx", "json"):
        assert client.get(f"/reports/2024/q1.{fmt}").status_code == 200
