"""Pages write a month one way, 2024-03, through ``periods.month_text`` (the ``month`` tag)."""

import pytest
from django.template import Context, Template

from tests.factories import MonthlyProgressFactory

pytestmark = pytest.mark.django_db


def test_the_month_tag_writes_a_month_with_two_digits():
    rendered = Template("{% load site_tags %}{% month 2024 3 %}|{% month y m %}").render(
        Context({"y": "2025", "m": 11})
    )
    assert rendered == "2024-03|2025-11"


def test_the_project_page_lists_its_months_and_problems_as_2024_03(manager_client):
    entry = MonthlyProgressFactory(month=3, problems="用地手续待批")
    page = manager_client.get(f"/projects/{entry.project.code}/?year={entry.year}").content.decode()
    assert page.count(f"{entry.year}-03") >= 2
    assert f"{entry.year}-3<" not in page
