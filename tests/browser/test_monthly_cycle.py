"""The monthly cycle in Chromium: a unit clerk enters and submits a month, a manager
approves one unit, returns another with a comment the clerk then sees, and locks."""

from projects import services
from projects.models import MonthlyProgress, MonthSubmission, PeriodLock, Project
from tests.browser.pages import PHONE, horizontal_overflow, shoot, unlabelled_controls

ENTRY_ADD = "/admin/projects/monthlyprogress/add/"


def _unit_projects(unit):
    return Project.objects.filter(unit=unit).order_by("code")


def test_clerk_enters_and_submits_a_month_which_then_turns_read_only(open_browser, cast):
    clerk, unit = cast["clerk"], cast["unit"]
    project = _unit_projects(unit).first()
    page = open_browser(clerk)

    # April 2024 has no entries yet in the demo ledger.
    page.locator(".topbar a", has_text="台账填报").click()
    page.goto(ENTRY_ADD)
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
    assert page.locator(".messagelist .success").count() == 1
    entry = MonthlyProgress.objects.get(project=project, year=2024, month=4)
    assert str(entry.investment) == "1234.50"

    page.goto("/")
    page.locator(".topbar a", has_text="提交月报").click()
    page.fill("input[name=year]", "2024")
    page.fill("input[name=month]", "4")
    page.locator("main form.inline button[type=submit]").click()
    row = page.locator("table.table tbody tr", has_text=unit.name)
    row.locator("button[type=submit]").click()
    assert page.locator(".messages .success").inner_text().startswith(unit.name)
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
    assert response.status == 403
    assert other.name not in page.content()
    assert "该项目属于其他责任单位。" in page.locator("body").inner_text()


def test_manager_approves_one_unit_returns_another_and_locks_the_month(open_browser, cast):
    unit, other_unit = cast["unit"], cast["other_unit"]
    # Given: both units have submitted March 2024.
    services.submit_month(actor=cast["clerk"], unit=unit, year=2024, month=3)
    services.submit_month(actor=cast["other_clerk"], unit=other_unit, year=2024, month=3)

    manager = open_browser(cast["manager"])
    manager.goto("/reports/status/2024/3/")
    assert unlabelled_controls(manager) == []
    shoot(manager, "status-desktop")
    manager.locator("tr", has_text=unit.name).locator("button[value=approve]").click()
    comment = "3月完成投资与统计局数据不一致，请核对后重报"
    row = manager.locator("tr", has_text=other_unit.name)
    row.locator("input[name=comment]").fill(comment)
    row.locator("button[value=return]").click()
    assert manager.locator("tr", has_text=other_unit.name).get_by_text(comment).is_visible()
    statuses = dict(
        MonthSubmission.objects.filter(year=2024, month=3).values_list("unit_id", "status")
    )
    assert statuses == {unit.pk: "approved", other_unit.pk: "returned"}

    clerk = open_browser(cast["other_clerk"])
    clerk.goto("/")
    banner = clerk.locator(".banner", has_text=comment)
    assert banner.is_visible() and "2024年3月" in banner.inner_text()

    # Locking asks first; saying no leaves the month open.
    manager.once("dialog", lambda dialog: dialog.dismiss())
    manager.locator("button[value=lock]").click()
    assert not PeriodLock.objects.filter(year=2024, month=3).exists()
    messages = []
    manager.once("dialog", lambda dialog: (messages.append(dialog.message), dialog.accept()))
    manager.locator("button[value=lock]").click()
    manager.wait_for_load_state()
    assert messages and "锁定" in messages[0]
    assert manager.locator("h1 .badge.locked").is_visible()
    assert PeriodLock.objects.filter(year=2024, month=3).exists()


def test_entry_form_on_a_phone_has_no_sideways_scroll(open_browser, cast):
    page = open_browser(cast["clerk"], viewport=PHONE)
    page.goto(ENTRY_ADD)
    assert horizontal_overflow(page) <= 0
    shoot(page, "entry-phone")
