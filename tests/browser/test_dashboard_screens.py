"""A leader opens the 驾驶舱 on a phone, and the office puts it on a meeting-room wall screen."""

from projects import demo
from projects.models import Programme
from projects.money import format_rate
from projects.selectors import quarterly_report
from tests.browser.pages import PHONE, horizontal_overflow, shoot

WALL = {"width": 1920, "height": 1080}


def _q1(user):
    programme = Programme.objects.get(code=demo.PROGRAMME_CODE)
    return quarterly_report(user=user, programme=programme, year=2024, quarter=1)


def test_on_a_phone_the_first_screen_is_the_headline(open_browser, cast):
    report = _q1(cast["manager"])
    page = open_browser(cast["manager"], viewport=PHONE)
    response = page.goto("/dashboard/?year=2024&quarter=1")
    assert response.status == 200
    assert "2024年一季度" in page.locator("h1").inner_text()
    figures = page.locator(".dash-headline .dash-fig")
    assert figures.count() == 4
    rate = figures.first.locator("strong")
    assert rate.inner_text() == format_rate(report.headline.investment.rate)
    # Every headline figure is on the first screen, without scrolling.
    for n in range(4):
        box = figures.nth(n).bounding_box()
        assert box["y"] + box["height"] <= PHONE["height"], n
    assert horizontal_overflow(page) == 0
    assert page.locator(".dash-red li").count() >= 1
    assert page.locator("ul.dash-photos img").count() >= 1
    shoot(page, "dashboard-phone")


def test_on_a_wall_screen_everything_fits_without_scrolling(open_browser, cast):
    page = open_browser(cast["manager"], viewport=WALL)
    response = page.goto("/dashboard/?year=2024&quarter=1&screen=wall")
    assert response.status == 200
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= WALL["height"]
    assert horizontal_overflow(page) == 0
    # Nothing is cut off at the bottom of a panel: each column's content fits its box.
    clipped = page.evaluate(
        """[...document.querySelectorAll('.wall-col')]
             .filter(c => c.scrollHeight > c.clientHeight + 1).length"""
    )
    assert clipped == 0
    assert page.locator("meta[http-equiv=refresh]").count() == 1
    assert page.locator(".dash-headline strong").first.is_visible()
    # The photos are served through the access check; every one the page shows loads.
    page.wait_for_function(
        "() => [...document.images].every(i => i.complete && i.naturalWidth > 0)"
    )
    assert page.locator("ul.dash-photos img").count() == 4
    shoot(page, "dashboard-wall")
