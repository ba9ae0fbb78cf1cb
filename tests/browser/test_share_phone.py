"""A superior taps a share link on a phone (inside WeChat, say): a page to read, files under it."""

import datetime as dt

from django.utils import timezone

from projects import demo, services
from projects.models import Programme
from projects.permissions import WHOLE_DISTRICT
from projects.selectors import quarterly_report
from tests.browser.pages import PHONE, horizontal_overflow, shoot, small_tap_targets


def test_a_share_link_opens_a_readable_page_on_a_phone(open_browser, cast):
    programme = Programme.objects.get(code=demo.PROGRAMME_CODE)
    link = services.create_share_link(
        actor=cast["manager"],
        programme=programme,
        year=2024,
        quarter=1,
        expires_at=timezone.now() + dt.timedelta(days=7),
        recipient="市重点项目办",
    )
    report = quarterly_report(user=WHOLE_DISTRICT, programme=programme, year=2024, quarter=1)

    page = open_browser(None, viewport=PHONE)  # no account: the token is the credential
    response = page.goto(f"/share/{link.token}/")
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/html")  # a page, not a download
    assert "2024年" in page.locator("h1").inner_text()
    first = page.locator(".share-headline .figure strong").first
    assert first.inner_text() == str(report.headline.projects)
    assert first.is_visible()  # the headline is on the first screen, without scrolling
    assert first.bounding_box()["y"] < PHONE["height"]
    assert horizontal_overflow(page) == 0
    assert small_tap_targets(page, ".share-files a") == []
    shoot(page, "share-phone")

    with page.expect_download() as downloaded:
        page.locator(".share-files a[href$='file.xlsx']").click()
    assert downloaded.value.suggested_filename.endswith(".xlsx")
