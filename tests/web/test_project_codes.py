"""Project codes: a rule for new ones, and a working page for every older one."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from projects.imports import run_import
from projects.models import Project
from projects.models.fields import validate_project_code
from tests.factories import (
    MonthlyProgressFactory,
    ProgrammeFactory,
    ProjectFactory,
    QuarterPlanFactory,
    user_with_role,
)
from tests.importfiles import LEDGER_HEADERS, csv_bytes, ledger_row

pytestmark = pytest.mark.django_db

LEGACY_CODES = ["CY/2024/01", "a?b", "a#b", "50%", "a b", "..", "项目/1", "a//b", "/lead", "a%2Fb"]


@pytest.mark.parametrize("code", ["CY2024-001", "城阳-01", "A_b.1", "...", "2024"])
def test_codes_of_letters_digits_dash_underscore_and_dot_are_accepted(code):
    validate_project_code(code)


@pytest.mark.parametrize("code", ["a/b", "a?b", "a#b", "50%", "a b", ".", "..", "", "a\\b", "a&b"])
def test_new_codes_with_other_characters_are_refused_in_chinese(code):
    with pytest.raises(ValidationError) as caught:
        validate_project_code(code)
    assert "项目编号只能包含" in caught.value.messages[0]


def test_new_project_with_a_slash_in_its_code_is_refused_by_the_model():
    project = ProjectFactory.build(code="CY/001", programme=ProgrammeFactory())
    project.programme.save()
    with pytest.raises(ValidationError) as caught:
        project.full_clean(exclude=["category", "unit", "street"])
    assert "code" in caught.value.message_dict


def test_an_older_odd_code_does_not_block_editing_the_project():
    project = ProjectFactory(code="CY/2019/07")
    stored = Project.objects.get(pk=project.pk)
    stored.name = "改名后的项目"
    stored.full_clean()


def test_changing_a_code_to_an_odd_one_is_refused():
    stored = Project.objects.get(pk=ProjectFactory(code="CY-001").pk)
    stored.code = "CY/001"
    with pytest.raises(ValidationError):
        stored.full_clean()


def test_ledger_import_refuses_a_new_code_with_a_slash_and_writes_nothing():
    content = csv_bytes([LEDGER_HEADERS, ledger_row(**{"项目编号": "CY/001"})])
    result = run_import("ledger", content, filename="l.csv", actor=user_with_role("manager"))
    assert result.errors
    assert "项目编号只能包含" in " ".join(str(e) for e in result.errors)
    assert not Project.objects.exists()


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
