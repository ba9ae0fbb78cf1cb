"""Exports refuse invalid filters instead of quietly covering every project."""

import pytest

from tests.factories import ProgrammeFactory, ProjectFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_client(manager_client, settings):
    settings.LANGUAGE_CODE = "en"
    return manager_client


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
@pytest.mark.parametrize("query", ["unit=NOPE", "light=purple", "kind=new&status=bogus"])
def test_export_with_an_invalid_filter_is_refused_with_400_and_says_which(
    manager_client, fmt, query
):
    ProjectFactory(programme=ProgrammeFactory(year=2024))
    response = manager_client.get(f"/reports/2024/q1.{fmt}?{query}")
    assert response.status_code == 400
    text = response.content.decode()
    assert "filters are not valid" in text
    assert "Content-Disposition" not in response


def test_export_with_valid_filters_still_covers_the_matching_projects(manager_client):
    programme = ProgrammeFactory(year=2024)
    unit = UnitFactory(code="JS")
    ProjectFactory(programme=programme, unit=unit, name="甲项目")
    ProjectFactory(programme=programme, name="乙项目")
    response = manager_client.get("/reports/2024/q1.json?unit=JS")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    assert "甲项目" in body and "乙项目" not in body
