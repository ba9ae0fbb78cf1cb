"""The entry grid (unit staff's home page) and dispatch: problem tallies, raising from 存在问题."""

import re

import pytest
from django.urls import reverse

from projects.coordination.models import Problem
from tests.coordination.test_problem_pages import problems  # noqa: F401
from tests.factories import MonthlyProgressFactory

pytestmark = pytest.mark.django_db
ENTRY = reverse("entry")
MARCH = {"year": 2024, "month": 3}


def _tally(page: str, css: str) -> tuple[str, int]:
    """The link and figure of one tally: ``open``, ``due_soon`` or ``overdue``."""
    if css == "open":
        found = re.search(r'href="(/problems/\?status=open[^"]*)">[^<]*<strong>(\d+)', page)
    else:
        found = re.search(rf'class="{css}" href="(/problems/[^"]*)">[^<]*<strong>(\d+)', page)
    assert found, css
    return found.group(1).replace("&amp;", "&"), int(found.group(2))


def test_unit_staff_see_their_own_open_due_soon_and_overdue_counts_on_the_entry_page(
    client,
    staff_a,
    problems,  # noqa: F811
):
    client.force_login(staff_a)
    page = client.get(ENTRY, MARCH).content.decode()
    assert _tally(page, "open") == ("/problems/?status=open", 1)
    assert _tally(page, "overdue") == ("/problems/?overdue=on", 1)
    assert _tally(page, "due_soon")[1] == 0  # unit B's problem due in 3 days is not theirs
    assert "节点滞后" in page
    listed = client.get(_tally(page, "overdue")[0]).content.decode()
    assert "土地未摘牌" in listed and "电力接入滞后" not in listed


def test_a_manager_looking_at_one_unit_sees_that_units_counts_and_links(
    client,
    manager,
    unit_b,
    problems,  # noqa: F811
):
    client.force_login(manager)
    page = client.get(ENTRY, {**MARCH, "unit": unit_b.pk}).content.decode()
    assert _tally(page, "open") == (f"/problems/?status=open&unit={unit_b.pk}", 1)
    link, due_soon = _tally(page, "due_soon")
    assert due_soon == 1 and link.endswith(f"&unit={unit_b.pk}")
    assert f"/nodes/?flag=late&amp;unit={unit_b.pk}" in page


def test_a_rows_problem_text_is_raised_in_one_click_with_its_project_and_month(
    client, staff_a, project_a
):
    MonthlyProgressFactory(project=project_a, month=3, problems="施工用电未接入")
    client.force_login(staff_a)
    page = client.get(ENTRY, MARCH).content.decode()
    link = reverse("problem_new", kwargs={"code": project_a.code}) + "?year=2024&amp;month=3"
    assert link in page and 'class="pill raise-from-grid"' in page
    form = client.get(link.replace("&amp;", "&")).content.decode()
    assert "施工用电未接入" in form
    response = client.post(
        link.replace("&amp;", "&"), {"kind": "utilities", "description": "施工用电未接入"}
    )
    assert response.status_code == 302
    problem = Problem.objects.get()
    assert (problem.project, problem.source_year, problem.source_month) == (project_a, 2024, 3)


def test_text_typed_but_not_saved_yet_comes_along_and_the_month_is_still_known(
    client, staff_a, project_a
):
    client.force_login(staff_a)
    url = reverse("problem_new", kwargs={"code": project_a.code})
    form = client.get(url, {**MARCH, "description": "  征迁户未签约  "}).content.decode()
    assert "\n征迁户未签约</textarea>" in form
    client.post(f"{url}?year=2024&month=3", {"kind": "clearance", "description": "征迁户未签约"})
    problem = Problem.objects.get()
    assert (problem.source_year, problem.source_month) == (2024, 3)


def test_a_nonsense_month_in_the_link_is_ignored_not_an_error(client, staff_a, project_a):
    client.force_login(staff_a)
    url = reverse("problem_new", kwargs={"code": project_a.code})
    assert client.get(url, {"year": "2024", "month": "99"}).status_code == 200
