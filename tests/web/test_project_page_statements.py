"""A project page builds its statements once for every project (``selectors.placed``).

Built per project, each new project's page paid the ORM's building and compiling again, and
its statements pushed the report's out of the process's kept statements."""

import pytest
from django.urls import reverse

from projects import services
from projects.coordination import services as problems
from tests.data_versions import settle
from tests.factories import MonthlyProgressFactory, ProgrammeFactory, ProjectFactory
from tests.statements import statements_built

pytestmark = pytest.mark.django_db


def test_a_second_projects_page_builds_no_statement_the_first_did_not(
    manager, manager_client, monkeypatch
):
    programme = ProgrammeFactory(year=2024)
    first, second = (ProjectFactory(programme=programme, code=code) for code in ("A1", "A2"))
    for project in (first, second):
        for month in (1, 2, 3):
            MonthlyProgressFactory(project=project, month=month)
        problems.raise_problem(
            actor=manager, project=project, description="土地尚未摘牌", kind="land"
        )
    # A locked month: the light strip reads its kept lights.
    services.lock_months(actor=manager, year=2024, months=[1], reason="上报")
    settle()
    assert manager_client.get(reverse("project_detail", args=["A1"])).status_code == 200
    built = statements_built(monkeypatch)
    page = manager_client.get(reverse("project_detail", args=["A2"]))
    assert page.status_code == 200
    assert built == []  # the session and the person too (tracker.sessions, auth_backend)
    # And the page is the second project's: its problem and its months' lights.
    body = page.content.decode()
    assert "A2" in body and "土地尚未摘牌" in body
