"""The reporting status page on the 147-project demo ledger lists who has not reported."""

import pytest
from django.urls import reverse

from projects.models import Project
from projects.selectors.status import reporting_status
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_loaded(demo_db):
    return None


def codes_without_entry(month):
    return set(
        Project.objects.filter(programme__year=2024)
        .exclude(progress__year=2024, progress__month=month)
        .values_list("code", flat=True)
    )


@pytest.mark.parametrize("month", [1, 3])
def test_status_lists_exactly_the_demo_projects_without_an_entry(
    demo_loaded, month, django_assert_num_queries
):
    with django_assert_num_queries(6):
        report = reporting_status(2024, month)
    listed = {p.code for row in report.units for p in row.missing}
    expected = codes_without_entry(month)
    assert listed == expected
    assert expected  # the demo has projects not yet under way
    assert report.projects_total == 147
    assert report.entries + report.missing == 147


def test_status_page_shows_demo_missing_entries_to_a_manager(client, demo_loaded):
    client.force_login(user_with_role("manager"))
    response = client.get(reverse("status_page", args=[2024, 3]))
    assert response.status_code == 200
    page = response.content.decode()
    for code in sorted(codes_without_entry(3))[:5]:
        assert code in page
    csv_text = client.get(reverse("status_csv", args=[2024, 3])).content.decode("utf-8-sig")
    assert all(code in csv_text for code in codes_without_entry(3))
