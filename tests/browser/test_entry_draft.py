"""Nothing typed into the month grid is lost, in Chromium on a desk and on a phone: leaving
with figures not saved asks first, coming back restores them from the browser's draft (also
after 按累计填报 or a session that expired under a save), and only a confirmed save drops it."""

import re
from decimal import Decimal

import pytest

from projects.models import MonthlyProgress, Project, Unit
from tests.browser.conftest import PASSWORD
from tests.browser.pages import DESKTOP, PHONE, amount, horizontal_overflow, shoot
from tests.factories import user_with_role


def _clerk(code: str, username: str):
    unit = Unit.objects.get(code=code)
    return user_with_role("unit_staff", unit, username=username, password=PASSWORD), unit


def _draft(page, clerk, year: int, month: int):
    return page.evaluate(
        "key => window.localStorage.getItem(key)",
        f"tracker.entry-draft.{clerk.pk}.{year}-{month}",
    )


def _save(page) -> None:
    """Save, ticking each unusual row as checked if the grid asks."""
    page.locator("button.primary").click()
    ticks = page.locator("label.confirm input")
    if ticks.count():
        for i in range(ticks.count()):
            ticks.nth(i).check()
        page.locator("button.primary").click()
    assert page.locator(".messages .success").count() == 1


@pytest.mark.parametrize(
    ("viewport", "unit_code", "username", "month", "picture"),
    [
        (DESKTOP, "JD-XZ", "xz_clerk", 5, "entry-draft-desktop"),
        (PHONE, "JD-LT", "lt_clerk", 6, "entry-draft-phone"),
    ],
)
def test_typed_figures_survive_changing_month_and_come_back_restored(
    open_browser, cast, viewport, unit_code, username, month, picture
):
    clerk, unit = _clerk(unit_code, username)
    grid = f"/entry/?year=2024&month={month}"
    page = open_browser(clerk, viewport=viewport)
    page.goto(grid)
    assert page.locator(".draft-notice").is_hidden()
    page.fill("input[name='e-0-investment']", "123.4")
    page.fill("input[name='e-0-inclusion']", "100")
    page.fill("textarea[name='e-1-problems']", "施工用电待接入")
    assert page.locator(".changed-count").inner_text() == "已修改 2 个项目，尚未保存"

    # Another month asked for with figures not saved: the grid asks; "stay" keeps everything.
    questions = []
    page.once("dialog", lambda d: (questions.append(d.message), d.dismiss()))
    page.select_option("select.month-select", f"2024-{month - 1}")
    assert "未保存" in questions[0]
    assert page.url.endswith(grid)
    assert page.input_value("select.month-select") == f"2024-{month}"
    assert page.input_value("input[name='e-0-investment']") == "123.4"

    # "Leave": the other month opens, with no draft of its own.
    page.once("dialog", lambda d: d.accept())
    with page.expect_navigation():
        page.select_option("select.month-select", f"2024-{month - 1}")
    assert f"ym=2024-{month - 1}" in page.url
    assert page.locator(".draft-notice").is_hidden()

    # Back to the month: the figures come back from the draft, with a notice saying so.
    page.goto(grid)
    notice = page.locator(".draft-notice")
    assert notice.is_visible()
    assert notice.inner_text().startswith("已恢复未保存的草稿（")
    assert page.input_value("input[name='e-0-investment']") == "123.4"
    assert page.input_value("input[name='e-0-inclusion']") == "100"
    assert page.input_value("textarea[name='e-1-problems']") == "施工用电待接入"
    assert page.locator(".changed-count").inner_text() == "已修改 2 个项目，尚未保存"
    assert horizontal_overflow(page) == 0
    assert re.search(r"（\d{4}-\d\d-\d\d \d\d:\d\d）", notice.inner_text())
    notice.scroll_into_view_if_needed()
    shoot(page, picture)

    # 按累计填报 also asks first; the draft then reads as year-to-date totals.
    first = page.locator("tr.entry-row").first
    before = amount(first.get_attribute("data-ytd-inv"))
    page.once("dialog", lambda d: d.accept())
    with page.expect_navigation():
        page.check(".entry-picker input[name=cumulative]")
    assert amount(page.input_value("input[name='e-0-investment']")) == before + Decimal("123.4")
    page.once("dialog", lambda d: d.accept())
    with page.expect_navigation():
        page.uncheck(".entry-picker input[name=cumulative]")
    assert amount(page.input_value("input[name='e-0-investment']")) == Decimal("123.4")

    # 丢弃草稿 puts the stored figures back and forgets the draft.
    page.locator(".draft-discard").click()
    assert notice.is_hidden()
    assert page.input_value("input[name='e-0-investment']") == ""
    assert _draft(page, clerk, 2024, month) is None
    page.reload()
    assert page.locator(".draft-notice").is_hidden()


def test_a_save_after_the_session_expired_keeps_the_figures_until_it_is_confirmed(
    open_browser, cast, live_server
):
    clerk, unit = _clerk("JD-SM", "sm_clerk")
    grid = "/entry/?year=2024&month=7"
    project = Project.objects.filter(unit=unit, programme__year=2024).order_by("code").first()
    page = open_browser(clerk)
    page.goto(grid)
    page.fill("input[name='e-0-investment']", "66.6")
    page.fill("input[name='e-0-inclusion']", "50")

    # The session ends (timeout, a log-out elsewhere) while the page is open; the save
    # posted then lands on the login page, and nothing is written.
    cookies = page.context.cookies()
    page.context.clear_cookies()
    page.context.add_cookies([c for c in cookies if c["name"] != "sessionid"])
    page.locator("button.primary").click()
    assert "/accounts/login/" in page.url
    assert not MonthlyProgress.objects.filter(project=project, year=2024, month=7).exists()
    assert _draft(page, clerk, 2024, 7) is not None

    # Logging in again leads back to the month, with the figures restored from the draft.
    page.fill("#id_username", clerk.username)
    page.fill("#id_password", PASSWORD)
    page.locator("form[action$='/accounts/login/'] button[type=submit]").click()
    page.wait_for_url("**/entry/?year=2024&month=7")
    assert page.locator(".draft-notice").is_visible()
    assert page.input_value("input[name='e-0-investment']") == "66.6"

    # The save the server confirms (its message names the month) drops the draft.
    _save(page)
    entry = MonthlyProgress.objects.get(project=project, year=2024, month=7)
    assert (entry.investment, entry.inclusion) == (Decimal("66.60"), Decimal("50.00"))
    assert _draft(page, clerk, 2024, 7) is None
    page.reload()
    assert page.locator(".draft-notice").is_hidden()
    assert page.locator(".changed-count").inner_text() == ""
