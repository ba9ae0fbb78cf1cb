"""挂图作战 on a phone and a laptop: a demo project's chart with an overdue node and its
critical path fits the window without sideways scrolling."""

import pytest
from django.utils import timezone

from projects.milestones.models import Milestone
from projects.milestones.selectors import late_q
from tests.browser.pages import DESKTOP, PHONE, horizontal_overflow, shoot


def _late_project():
    node = (
        Milestone.objects.filter(late_q(timezone.localdate()), template_set__isnull=False)
        .select_related("project")
        .order_by("project__code")
        .first()
    )
    return node.project


@pytest.mark.parametrize(("viewport", "name"), [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_the_project_chart_fits_the_window_with_late_and_critical_nodes(
    open_browser, cast, viewport, name
):
    project = _late_project()
    page = open_browser(cast["manager"], viewport=viewport)
    assert page.goto(f"/projects/{project.code}/chart/").status == 200
    rows = page.locator(".gantt-row")
    assert rows.count() == Milestone.objects.filter(project=project).count()
    assert page.locator(".gantt-row.late").count() >= 1
    assert page.locator(".gantt-row.critical").count() >= 1
    assert horizontal_overflow(page) == 0
    # The bars are drawn as wide as the row allows: at least half the window.
    width = page.locator(".gantt-row svg").first.bounding_box()["width"]
    assert width >= viewport["width"] / 2
    shoot(page, f"node-chart-{name}")
    unit = page.goto(f"/nodes/chart/units/{project.unit_id}/")
    assert unit.status == 200 and horizontal_overflow(page) == 0
