"""A clerk's entry page builds its statements once for every clerk (``selectors.placed``).

The page is built on every entry and after every save, at month end by every unit at once.
A statement filtered by a clerk's units or projects, or by the time of the request, was
built and compiled again on each."""

from decimal import Decimal

import pytest
from django.urls import reverse

from projects.attachments import services as photos
from projects.models import QuarterPlan
from projects.services.plans import request_plan_change
from tests.attachments.test_photos import jpeg
from tests.factories import MonthlyProgressFactory, ProjectFactory, QuarterPlanFactory
from tests.statements import statements_built

pytestmark = pytest.mark.django_db

MARCH = {"year": 2024, "month": 3}


@pytest.fixture(autouse=True)
def _photos_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _unit_with_work(clerk, unit, code):
    project = ProjectFactory(code=code, unit=unit, programme__year=2024)
    for month in (1, 2, 3):
        MonthlyProgressFactory(project=project, month=month, investment=Decimal("5"))
    photos.upload_photo(actor=clerk, project=project, upload=jpeg(), year=2024, month=3)
    QuarterPlanFactory(project=project, year=2024)
    plan = QuarterPlan.objects.get(project=project)
    request_plan_change(
        actor=clerk,
        project=project,
        year=2024,
        investment=[getattr(plan, f"investment_q{q}") + 1 for q in (1, 2, 3, 4)],
        inclusion=[getattr(plan, f"inclusion_q{q}") for q in (1, 2, 3, 4)],
        reason="拆迁推迟",
    )
    return project


def test_another_clerks_entry_page_builds_no_statement_the_first_did_not(
    staff_a, staff_b, unit_a, unit_b, staff_a_client, staff_b_client, monkeypatch
):
    _unit_with_work(staff_a, unit_a, "PA001")
    _unit_with_work(staff_b, unit_b, "PB001")
    assert staff_a_client.get(reverse("entry"), MARCH).status_code == 200
    built = statements_built(monkeypatch)
    page = staff_b_client.get(reverse("entry"), MARCH)
    assert page.status_code == 200
    assert built == []  # the session and the person too (tracker.sessions, auth_backend)
    # The second clerk's own rows, photo and request, none of the first's.
    body = page.content.decode()
    assert "PB001" in body and "PA001" not in body
    assert "本月照片 1 张" in body and "计划调整申请" in body
