"""A problem raised on its page is stored with its description cleaned (projects.text)."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from projects.coordination.models import Problem
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _end_of_june_2024():
    with time_machine.travel(dt.datetime(2024, 6, 30, 12, 0), tick=False):
        yield


@pytest.fixture
def project(unit_a):
    return ProjectFactory(code="CY-001", unit=unit_a)


def test_problem_description_from_the_page_is_stored_cleaned(client, staff_a, project):
    client.force_login(staff_a)
    link = reverse("problem_new", kwargs={"code": project.code})

    response = client.post(link, {"kind": "planning", "description": "施工许可\x85正在办理\x80"})

    assert response.status_code == 302
    assert Problem.objects.get().description == "施工许可\n正在办理"
