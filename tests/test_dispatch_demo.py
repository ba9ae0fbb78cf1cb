"""The demo ledger carries problems, nodes, approvals and photos, and loading it twice adds none."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from projects.attachments.models import Photo
from projects.coordination.models import Problem
from projects.milestones.models import Approval, Milestone
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def _counts():
    return [m.objects.count() for m in (Problem, Milestone, Approval, Photo)]


def test_the_demo_has_problems_in_every_state_nodes_approvals_and_photos(demo_db):
    problems, nodes, approvals, photos = _counts()
    assert problems >= 20 and nodes > 500 and approvals > 500 and photos > 5
    states = set(Problem.objects.values_list("status", flat=True))
    assert states == set(Problem.Status.values)
    assert Milestone.objects.filter(actual_date__isnull=True, planned_date__isnull=False).exists()


def test_loading_the_demo_again_adds_nothing(demo_db):
    before = _counts()
    call_command("load_demo", verbosity=0)
    assert _counts() == before


def test_every_dispatch_page_shows_demo_rows(demo_db, client):
    client.force_login(user_with_role("manager", username="demo_boss"))
    problem = Problem.objects.order_by("id").first()
    code = Photo.objects.order_by("id").first().project.code
    for url, text in [
        (reverse("problem_list"), problem.description[:10]),
        (reverse("problem_detail", kwargs={"pk": problem.pk}), problem.description[:10]),
        (reverse("node_list"), "滞后"),
        (reverse("project_plan", kwargs={"code": code}), "投产运营"),
        (reverse("photo_gallery", kwargs={"code": code}), "/thumb/"),
        (reverse("quarterly_report", kwargs={"year": 2024, "quarter": 1}), "节点滞后"),
    ]:
        response = client.get(url)
        assert response.status_code == 200
        assert text in response.content.decode(), url


def test_the_demo_entry_page_shows_a_units_tallies_and_its_photos(demo_db, client):
    photo = Photo.objects.select_related("project__unit").order_by("id").first()
    clerk = user_with_role("unit_staff", photo.project.unit, username="demo_clerk")
    client.force_login(clerk)
    page = client.get(reverse("entry"), {"year": photo.year, "month": photo.month})
    html = page.content.decode()
    assert reverse("photo_thumb", kwargs={"token": photo.token}) in html
    assert "未销号问题" in html and "节点滞后" in html
