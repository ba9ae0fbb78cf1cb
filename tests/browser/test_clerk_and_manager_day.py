"""The clerk's and the manager's day: a returned month waits on the clerk's landing page, and a
clerk locked out by failed logins is let back in from the account's page."""

import re

import pytest
from playwright.sync_api import expect

from projects import services
from tests.browser.conftest import PASSWORD, log_in
from tests.browser.pages import PHONE, horizontal_overflow, shoot
from tests.factories import user_with_role

COMMENT = "2月完成投资与统计局数据不一致，请核对后重报"


@pytest.fixture
def returned_february(cast):
    """February 2024 (approved in the demo) returned to the clerk's unit with a comment;
    approved again afterwards, so the other journeys read the demo's quarter."""
    unit = cast["unit"]
    services.return_month(actor=cast["manager"], unit=unit, year=2024, month=2, comment=COMMENT)
    yield unit
    services.submit_month(actor=cast["clerk"], unit=unit, year=2024, month=2)
    services.approve_month(actor=cast["manager"], unit=unit, year=2024, month=2)


@pytest.mark.parametrize(
    "viewport, picture", [(None, "todo-desktop"), (PHONE, "todo-phone")], ids=["desktop", "phone"]
)
def test_a_returned_month_and_its_comment_wait_on_the_clerks_landing_page(
    open_browser, cast, returned_february, viewport, picture
):
    unit = returned_february
    page = open_browser(cast["clerk"], viewport=viewport)
    page.goto("/")

    todo = page.locator("section.todo")
    item = todo.locator("li.todo-urgent", has_text=COMMENT)
    expect(item).to_contain_text(f"{unit.name}：2024-02 月报被退回更正：{COMMENT}")
    assert item.bounding_box()["y"] < (viewport or {"height": 900})["height"]  # first screen
    assert horizontal_overflow(page) == 0
    shoot(page, picture)

    item.locator("a").click()
    expect(page).to_have_url(re.compile(rf"year=2024&month=2&unit={unit.pk}$"))
    expect(page.locator(".banner", has_text=COMMENT)).to_contain_text("2024年2月")


@pytest.fixture
def lockouts_on(settings):
    from axes.utils import reset

    # The suite switches lockouts off (conftest); this journey is about them.
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    reset()
    yield
    reset()


def _try(page, username: str, password: str):
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("form[action$='/accounts/login/'] button[type=submit]").click()
    page.wait_for_load_state()


def test_a_clerk_locked_out_by_five_failed_logins_is_let_back_in_by_a_manager(
    open_browser, cast, lockouts_on
):
    clerk = user_with_role("unit_staff", cast["unit"], username="clumsy_clerk", password=PASSWORD)
    page = open_browser(None)
    for _ in range(5):
        _try(page, clerk.username, "wrong-password")
    # Locked: even the right password is refused, and the page says whom to ask.
    _try(page, clerk.username, PASSWORD)
    expect(page.locator("body")).to_contain_text("登录失败次数过多")
    expect(page.locator("body")).to_contain_text("管理员")
    assert page.locator(".topbar .who").count() == 0

    manager = open_browser(cast["manager"])
    manager.goto(f"/admin/auth/user/{clerk.pk}/change/")
    unlock = manager.get_by_role("button", name="解除登录锁定")
    expect(unlock).to_be_visible()
    shoot(manager, "unlock-desktop", height=500)
    unlock.click()
    # (The admin capitalises a message's first letter: "Clumsy_clerk".)
    expect(manager.locator(".messagelist .success")).to_contain_text(
        re.compile("clumsy_clerk 已可重新登录：登录失败记录已清除。", re.IGNORECASE)
    )
    expect(manager.get_by_role("button", name="解除登录锁定")).to_have_count(0)

    log_in(page, clerk.username)  # asserts the top bar names the clerk
