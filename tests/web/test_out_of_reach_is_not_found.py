"""Every door fetches through the access policy, so a project out of reach is 404 everywhere.

Unit staff reach their units' projects, a street viewer the projects of their
street; another's project, its problems, nodes and photos read as missing, the
same answer as a code that does not exist.
"""

import csv
import io
import json

import pytest
from django.urls import reverse

from projects.attachments import services as photo_services
from projects.coordination import services as problem_services
from tests.attachments.test_photos import jpeg
from tests.factories import (
    MonthlyProgressFactory,
    ProgrammeFactory,
    ProjectFactory,
    QuarterPlanFactory,
    StreetFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _photos_in_tmp(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "photos": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "photos")},
        },
    }


@pytest.fixture
def ledger(unit_a, unit_b, street_a, manager):
    """Two projects on one list: unit A's in street A, unit B's in another street."""
    programme = ProgrammeFactory(year=2024)
    elsewhere = StreetFactory(code="ST-B", name="乙街道")
    mine = ProjectFactory(programme=programme, code="IN-A", unit=unit_a, street=street_a)
    theirs = ProjectFactory(programme=programme, code="OUT-B", unit=unit_b, street=elsewhere)
    for project, amount in ((mine, "30"), (theirs, "70")):
        QuarterPlanFactory(project=project, year=2024)
        MonthlyProgressFactory(project=project, year=2024, month=1, investment=amount)
    problem = problem_services.raise_problem(
        actor=manager, project=theirs, description="用地未落实", kind="land"
    )
    photo = photo_services.upload_photo(
        actor=manager, project=theirs, upload=jpeg(), year=2024, month=1
    )
    return {"mine": mine, "theirs": theirs, "problem": problem, "photo": photo}


def file_text(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8-sig")


def doors(ledger) -> dict[str, str]:
    theirs = ledger["theirs"]
    return {
        "project page": reverse("project_detail", args=[theirs.code]),
        "problem page": reverse("problem_detail", args=[ledger["problem"].pk]),
        "raise a problem": reverse("problem_new", args=[theirs.code]),
        "node page": reverse("project_plan", args=[theirs.code]),
        "photo gallery": reverse("photo_gallery", args=[theirs.code]),
        "photo": reverse("photo_file", args=[ledger["photo"].token]),
    }


@pytest.mark.parametrize("who", ["staff_a_client", "street_viewer_client"])
def test_another_units_or_streets_project_is_not_found_at_every_door(request, ledger, who):
    client = request.getfixturevalue(who)
    answers = {door: client.get(url).status_code for door, url in doors(ledger).items()}
    assert answers == dict.fromkeys(answers, 404)


def test_unit_staff_get_404_from_the_admin_change_page_of_another_units_project(
    staff_a_client, ledger
):
    url = reverse("admin:projects_project_change", args=[ledger["theirs"].pk])
    assert staff_a_client.get(url).status_code == 404
    own = reverse("admin:projects_project_change", args=[ledger["mine"].pk])
    assert staff_a_client.get(own).status_code == 200


def test_a_street_viewer_never_reaches_the_admin(street_viewer_client, ledger):
    url = reverse("admin:projects_project_change", args=[ledger["mine"].pk])
    # Not staff: the admin sends them to its login page, for their own street's project too.
    assert street_viewer_client.get(url).status_code == 302


def test_the_same_doors_open_on_a_project_in_reach(street_viewer_client, manager_client, ledger):
    mine = ledger["mine"]
    for url in (
        reverse("project_detail", args=[mine.code]),
        reverse("project_plan", args=[mine.code]),
        reverse("photo_gallery", args=[mine.code]),
    ):
        assert street_viewer_client.get(url).status_code == 200, url
    answers = {door: manager_client.get(url).status_code for door, url in doors(ledger).items()}
    assert answers == dict.fromkeys(answers, 200)


def test_a_street_viewer_reads_but_cannot_raise_a_problem_in_their_street(
    street_viewer_client, ledger
):
    url = reverse("problem_new", args=[ledger["mine"].code])
    assert street_viewer_client.get(url).status_code == 403


def test_a_street_viewers_report_and_files_hold_their_street_only(street_viewer_client, ledger):
    page = street_viewer_client.get("/reports/2024/q1/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "IN-A" in body and "OUT-B" not in body
    rows = list(csv.reader(io.StringIO(file_text(street_viewer_client, "/reports/2024/q1.csv"))))
    codes = [row[0] for row in rows[1:] if row[0].isascii() and row[0]]
    assert codes == ["IN-A"]
    data = json.loads(file_text(street_viewer_client, "/reports/2024/q1.json"))
    assert data["projects"] == 1
    assert [p["code"] for p in data["rows"]] == ["IN-A"]


def test_unit_staff_and_viewers_read_the_whole_districts_report(
    staff_a_client, viewer_client, ledger
):
    for client in (staff_a_client, viewer_client):
        body = client.get("/reports/2024/q1/").content.decode()
        assert "IN-A" in body and "OUT-B" in body
    data = json.loads(file_text(viewer_client, "/reports/2024/q1.json"))
    assert data["projects"] == 2
