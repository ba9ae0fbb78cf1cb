"""The nested apps' panels on the ledger's pages: registered once, gathered by the view."""

import pytest
from django.test import RequestFactory

from projects.web import panels
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_each_page_gathers_the_apps_panels_in_their_order(manager):
    project_a = ProjectFactory()
    request = RequestFactory().get("/")
    request.user = manager
    gathered = panels.gather("project", request, project=project_a)
    assert [p.name for p in gathered.slots["panels"]] == ["lights", "problems", "plan", "photos"]
    assert [p.name for p in gathered.slots["month_problems"]] == ["problems"]
    assert gathered.data["problems"]["can_raise"] is True


def test_a_panel_for_a_page_that_does_not_exist_is_refused_at_start():
    with pytest.raises(ValueError, match="unknown page"):
        panels.register("no-such-page", name="x", slots={})


def test_the_unit_page_has_problem_and_node_tallies(staff_a):
    request = RequestFactory().get("/")
    request.user = staff_a
    gathered = panels.gather("unit", request)
    assert [p.name for p in gathered.slots["tallies"]] == ["problem_counts", "node_counts"]
