"""The monthly cycle in Chromium: a unit clerk enters and submits a month, a manager
approves one unit, returns another with a comment the clerk then sees, and locks."""

import re

from playwright.sync_api import expect

from projects import services
from projects.models import MonthlyProgress, MonthSubmission, PeriodLock, Project
from tests.browser.pages import (
    PHONE,
    TAP_HEIGHT_AA,
    horizontal_overflow,
    shoot,
    small_tap_targets,
    unlabelled_controls,
)

ENTRY_ADD = "/admin/projects/monthlyprogress/add/"


def _unit_projects(unit):
    return Project.objects.filter(unit=unit, programme__year=2024).order_by("code")


def test_clerk_enters_and_submits_a_month_which_then_turns_read_only(open_browser, cast):
    clerk, unit = cast["clerk"], cast["unit"]
    project = _unit_projects(unit).first()
    page = open_browser(clerk)

    # April 2024 has no entries yet in the demo ledger. (A window reusing an earlier
    # journey's login opens blank: start from the landing page.)
    page.goto("/")
    page.locator(".topbar a", has_text="台账填报").click()
    page.locator(f"a[href$='{ENTRY_ADD}']").first.click()
    expect(page).to_have_url(re.compile(f"{ENTRY_ADD}$"))
    assert unlabelled_controls(page) == []
    page.locator("#id_project + .select2").click()
    page.locator(".select2-search__field").fill(project.code)
    page.locator(".select2-results__option", has_text=project.code).click()
    page.fill("#id_year", "2024")
    page.fill("#id_month", "4")
    page.fill("#id_investment", "1234.50")
    page.fill("#id_inclusion", "1000")
    page.fill("#id_image_progress", "主体结构施工")
    shoot(page, "entry-desktop")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist .success")).to_have_count(1)
    entry = MonthlyProgress.objects.get(project=project, year=2024, month=4)
    assert str(entry.investment) == "1234.50"

    page.goto("/")
    page.locator(".topbar a", has_text="提交月报").click()
    page.fill("input[name=year]", "2024")
    page.fill("input[name=month]", "4")
    page.locator("main form.inline button[type=submit]").click()
    row = page.locator("table.table tbody tr", has_text=unit.name)
    row.locator("button[type=submit]").click()
    # Most of the unit's projects have no April entry: the submission lists them and asks.
    page.locator("main form button.primary").click()
    expect(page.locator(".messages .success")).to_contain_text(unit.name)
    assert MonthSubmission.objects.get(unit=unit, year=2024, month=4).status == "submitted"

    # Submitted: the entry opens read-only, saying why, with nothing to press.
    page.goto(f"/admin/projects/monthlyprogress/{entry.pk}/change/")
    assert page.locator(".messagelist .warning").count() == 1
    assert page.locator("input[name=_save]").count() == 0
    assert page.locator("#id_investment").count() == 0


def test_clerk_is_refused_another_units_project(open_browser, cast):
    other = _unit_projects(cast["other_unit"]).first()
    page = open_browser(cast["clerk"])
    response = page.goto(f"/projects/{other.code}/")
    # Out of reach is not found, as at every door: the page does not even confirm it exists.
    assert response.status == 404
    assert other.name not in page.content()
    assert other.code in page.locator("body").inner_text()  # the 404 names what was asked


def test_manager_approves_one_unit_returns_another_and_locks_the_month(open_browser, cast):
    unit, other_unit = cast["unit"], cast["other_unit"]
    # Given: both units have submitted March 2024 (the demo approved it; returned to resubmit).
    for which in (unit, other_unit):
        services.return_month(
            actor=cast["manager"], unit=which, year=2024, month=3, comment="请复核后重报"
        )
    services.submit_month(actor=cast["clerk"], unit=unit, year=2024, month=3)
    services.submit_month(actor=cast["other_clerk"], unit=other_unit, year=2024, month=3)

    manager = open_browser(cast["manager"])
    manager.goto("/reports/status/2024/3/")
    assert unlabelled_controls(manager) == []
    shoot(manager, "status-desktop")
    manager.locator("tr", has_text=unit.name).locator("button[value=approve]").click()
    expect(manager.locator(".messages .success")).to_contain_text(unit.name)
    comment = "3月完成投资与统计局数据不一致，请核对后重报"
    row = manager.locator("tr", has_text=other_unit.name)
    row.locator("input[name=comment]").fill(comment)
    row.locator("button[value=return]").click()
    expect(manager.locator("tr", has_text=other_unit.name).get_by_text(comment)).to_be_visible()
    statuses = dict(
        MonthSubmission.objects.filter(year=2024, month=3, unit__in=[unit, other_unit]).values_list(
            "unit_id", "status"
        )
    )
    assert statuses == {unit.pk: "approved", other_unit.pk: "returned"}

    clerk = open_browser(cast["other_clerk"])
    clerk.goto("/")
    expect(clerk.locator(".banner", has_text=comment)).to_contain_text("2024年3月")

    # Locking shows how many units submitted and approved, and asks first;
    # cancelling leaves the month open.
    manager.locator("button.lock-open").click()
    expect(manager.locator("table.lock-counts")).to_be_visible()
    manager.locator("form a[href*='/reports/status/']").click()
    assert not PeriodLock.objects.locked(2024, 3)
    manager.locator("button.lock-open").click()
    # The confirmation came by POST: no token in the address.
    assert "csrfmiddlewaretoken" not in manager.url
    # One unit was returned, so the month is locked only with a reason.
    manager.locator("input[name=reason]").fill("市里催报，先行上报")
    manager.locator("button[value=lock]").click()
    expect(manager.locator("h1 .badge.locked")).to_be_visible()
    assert PeriodLock.objects.locked(2024, 3)


def test_entry_form_on_a_phone_has_no_sideways_scroll_and_tappable_fields(open_browser, cast):
    page = open_browser(cast["clerk"], viewport=PHONE)
    page.goto(ENTRY_ADD)
    assert horizontal_overflow(page) <= 0
    # The admin's own form, until the entry grid: WCAG's AA floor rather than our 44 px.
    controls = "#content input, #content textarea, #content .select2-selection"
    assert small_tap_targets(page, controls, minimum=TAP_HEIGHT_AA) == []
    shoot(page, "entry-phone")
