"""The report page's campaigns are kept per data version (``report_cache.kept_for``): read
again with no write between they are not counted again; a project tagged moves the key, and
a filter is its own entry; each reader's reach is its own entry.

``settle()`` stands for the commit the test's transaction never makes
(``tests/data_versions.py``).
"""

import pytest
from django.core.cache import cache

from projects.models import Project, Tag
from projects.selectors import briefing, quarterly_report
from projects.selectors.briefing import page_campaigns
from tests.data_versions import settle
from tests.reporting import count_calls, settled_list

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(unit_a, street_a):
    programme = settled_list(unit_a, street_a)
    tag = Tag.objects.create(name="老旧小区改造")
    tag.projects.set(Project.objects.filter(code__in=["CY-0", "CY-2"]))
    settle()
    cache.clear()
    return programme


@pytest.fixture
def counted(monkeypatch):
    return count_calls(monkeypatch, briefing, "campaign_counts")


def campaigns(user, programme, filters=None):
    report = quarterly_report(user=user, programme=programme, year=2024, quarter=1)
    return {c.name: c.projects for c in page_campaigns(programme, report, filters, user=user)}


def test_read_again_the_campaigns_are_not_counted_again(programme, manager, counted):
    assert campaigns(manager, programme) == {"老旧小区改造": 2}
    assert campaigns(manager, programme) == {"老旧小区改造": 2}
    assert len(counted) == 1
    # A filter is its own entry.
    assert campaigns(manager, programme, {"street": "S-OTHER"}) == {"老旧小区改造": 1}
    assert len(counted) == 2


def test_a_project_tagged_after_a_read_is_counted_at_the_next(programme, manager):
    assert campaigns(manager, programme) == {"老旧小区改造": 2}
    Tag.objects.get(name="老旧小区改造").projects.add(Project.objects.get(code="CY-1"))
    assert campaigns(manager, programme) == {"老旧小区改造": 3}
    settle()
    assert campaigns(manager, programme) == {"老旧小区改造": 3}


def test_each_readers_reach_is_its_own_entry(programme, manager, street_viewer, counted):
    assert campaigns(manager, programme) == {"老旧小区改造": 2}
    assert campaigns(street_viewer, programme) == {"老旧小区改造": 1}
    assert campaigns(manager, programme) == {"老旧小区改造": 2}
    assert len(counted) == 2
