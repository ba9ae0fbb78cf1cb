"""The report links only the projects its reader may open."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.models import Unit
from tests.factories import ProgrammeFactory, UnitFactory, user_with_role
from tests.reporting import bulk_projects

pytestmark = pytest.mark.django_db


def _report(client, programme):
    return client.get(f"/reports/{programme.year}/q1/?p-per_page=500").content.decode()


def test_unit_staff_see_links_only_to_their_own_units_projects(client):
    programme, projects = bulk_projects(8, programme=ProgrammeFactory(year=2024))
    own_unit = projects[0].unit
    client.force_login(user_with_role("unit_staff", own_unit))

    page = _report(client, programme)

    for project in projects:
        link = f'href="/projects/{project.code}/"'
        assert (link in page) == (project.unit_id == own_unit.pk), project.code
        assert project.code in page
    # Every link the page offers opens.
    for project in projects:
        if project.unit_id == own_unit.pk:
            assert client.get(f"/projects/{project.code}/").status_code == 200


def test_managers_see_every_project_linked(client, manager):
    programme, projects = bulk_projects(4, programme=ProgrammeFactory(year=2024))
    client.force_login(manager)
    page = _report(client, programme)
    assert all(f'href="/projects/{p.code}/"' in page for p in projects)


def test_unit_staff_report_takes_the_same_queries_for_10_and_300_projects(client):
    counts = []
    staff = user_with_role("unit_staff", UnitFactory())
    client.force_login(staff)
    for n, prefix, year in ((10, "S", 2024), (300, "L", 2025)):
        programme, _projects = bulk_projects(
            n, programme=ProgrammeFactory(year=year), prefix=prefix
        )
        staff.units.set([Unit.objects.filter(projects__programme=programme).first()])
        url = f"/reports/{programme.year}/q1/"
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]
