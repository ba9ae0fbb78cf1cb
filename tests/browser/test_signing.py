"""A period's figures in Chromium: the coverage banner while units are still out, and
locking the quarter through the status desk publishes edition 1 that the page then names."""

from playwright.sync_api import expect

from projects.models import PeriodLock, PublishedEdition
from tests.browser.pages import PHONE, horizontal_overflow, shoot


def test_incomplete_q1_shows_its_coverage_then_locking_publishes_edition_one(open_browser, cast):
    manager = open_browser(cast["manager"])
    manager.goto("/reports/2024/q1/")
    banner = manager.locator(".notice.coverage")
    # The demo leaves two units' March unreviewed: the page says so before any rate.
    expect(banner).to_contain_text("截至3月，已报送")
    expect(banner).to_contain_text("本期数据未完结")
    expect(manager.locator("h2", has_text="（未完结）").first).to_be_visible()
    shoot(manager, "report-coverage-desktop", height=700)

    # Through the status desk: lock the whole quarter, with a reason since units are waiting.
    manager.goto("/reports/status/2024/3/")
    manager.locator("select[name=scope]").select_option("quarter")
    manager.locator("button.lock-open").click()
    expect(manager.locator("main")).to_contain_text("锁定即发布本期第1版")
    manager.locator("input[name=reason]").fill("省里催报，先行上报")
    manager.locator("button[value=lock]").click()
    assert PublishedEdition.objects.filter(period="q1", number=1).exists()

    manager.goto("/reports/2024/q1/")
    edition = manager.locator(".notice.edition")
    expect(edition).to_contain_text("本期已发布第1版")
    # March's lock (this one's, or an earlier journey's) names how many waited and why.
    march = PeriodLock.objects.get(year=2024, month=3)
    expect(manager.locator(".notice.coverage")).to_contain_text(
        f"3月在{march.units_waiting}个单位未审核时锁定：{march.reason}"
    )
    expect(edition.locator("a", has_text="实时数据")).to_be_visible()
    shoot(manager, "report-edition-desktop", height=700)

    phone = open_browser(cast["manager"], viewport=PHONE)
    phone.goto("/reports/2024/q1/")
    expect(phone.locator(".notice.edition")).to_be_visible()
    assert horizontal_overflow(phone) <= 0
    shoot(phone, "report-edition-phone")
