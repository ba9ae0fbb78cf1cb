"""The office opens the map on a desk screen and a leader on a phone: streets, points by light."""

from projects.models import Project
from tests.browser.pages import DESKTOP, PHONE, horizontal_overflow, shoot


def _open_map(open_browser, cast, viewport):
    page = open_browser(cast["manager"], viewport=viewport)
    response = page.goto("/map/?year=2024&quarter=1")
    assert response.status == 200
    return page


def test_on_a_desk_screen_every_street_and_placed_project_is_drawn(open_browser, cast):
    page = _open_map(open_browser, cast, DESKTOP)
    assert page.locator("path.map-street").count() == 8
    placed = Project.objects.exclude(longitude=None).count()
    assert page.locator("circle.map-point").count() == placed > 0
    assert page.locator("circle.map-point.light-red").count() >= 1
    svg = page.locator("svg.map-svg").bounding_box()
    assert svg["width"] > 800 * 0.9 and svg["height"] > 400
    # A point's title names the project and its light; a click opens the project.
    point = page.locator("circle.map-point").first
    title = point.locator("title").text_content()
    assert title.startswith("CY2024-") and title.rsplit("· ", 1)[1] in ("正常", "滞后", "严重滞后")
    assert horizontal_overflow(page) == 0
    shoot(page, "map-desktop")
    point.click()
    page.wait_for_url("**/projects/CY2024-*/")


def test_on_a_phone_the_map_fits_the_width_and_filters_by_light(open_browser, cast):
    page = _open_map(open_browser, cast, PHONE)
    box = page.locator("svg.map-svg").bounding_box()
    assert box["width"] <= PHONE["width"]
    assert horizontal_overflow(page) == 0
    response = page.goto("/map/?year=2024&quarter=1&light=red")
    assert response.status == 200
    points = page.locator("circle.map-point")
    assert points.count() == page.locator("circle.map-point.light-red").count() >= 1
