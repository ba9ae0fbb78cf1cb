"""The month entry grid in Chromium: a street office fills its nine projects' April on a desk,
counting every keystroke and click, and another unit fills a month on a 375-px phone."""

from decimal import Decimal

import pytest

pages = pytest.importorskip("tests.browser.pages", reason="the browser harness is not here")

from projects.models import MonthlyProgress, Project, Unit  # noqa: E402
from tests.browser.conftest import PASSWORD  # noqa: E402
from tests.factories import user_with_role  # noqa: E402

APRIL = "/entry/?year=2024&month=4"


def _clerk_of(code: str, username: str):
    unit = Unit.objects.get(code=code)
    return user_with_role("unit_staff", unit, username=username, password=PASSWORD), unit


def _figures(unit):
    """April figures a clerk would type: March's plus a tenth, inclusion a little below."""
    figures = []
    for project in Project.objects.filter(unit=unit, programme__year=2024).order_by("code"):
        march = MonthlyProgress.objects.filter(project=project, year=2024, month=3).first()
        base = march.investment if march and march.investment else Decimal("100")
        investment = (base * Decimal("1.1")).quantize(Decimal("0.01"))
        figures.append((project, investment, (investment * Decimal("0.8")).quantize(Decimal("1"))))
    return figures


def test_clerk_fills_a_nine_project_month_by_keyboard_at_desktop(open_browser, cast):
    clerk, unit = _clerk_of("JD-CY", "cy_clerk")
    figures = _figures(unit)
    assert len(figures) == 9
    page = open_browser(clerk)
    page.goto("/")
    # Unit staff land on the entry page; the month is picked from the list.
    assert page.url.endswith("/entry/")
    page.goto(APRIL)
    assert pages.horizontal_overflow(page) == 0
    assert pages.unlabelled_controls(page) == []
    actions = 0

    # Down the investment column, then down the inclusion column: type, Enter, type, Enter...
    for column, pick in (("investment", 1), ("inclusion", 2)):
        page.locator(f"input[name='e-0-{column}']").click()
        actions += 1
        for index, row in enumerate(figures):
            page.keyboard.type(str(row[pick]))
            actions += 1
            if index < len(figures) - 1:
                page.keyboard.press("Enter")
                actions += 1
        focused = page.evaluate("document.activeElement.name")
        assert focused == f"e-{len(figures) - 1}-{column}"
    # The rate follows the typed figure before anything is saved.
    first = page.locator("tr.entry-row").first
    assert first.locator(".rate-inv").inner_text().endswith("%")
    assert page.locator(".changed-count").inner_text() == "已修改 9 个项目，尚未保存"
    pages.shoot(page, "entry-grid-desktop")
    page.locator("button.primary").click()
    actions += 1
    # Figures that look unusual come back with a tick box each; nothing is saved yet.
    ticks = page.locator("label.confirm input")
    if ticks.count():
        assert not MonthlyProgress.objects.filter(project__unit=unit, year=2024, month=4).exists()
        for i in range(ticks.count()):
            ticks.nth(i).check()
            actions += 1
        page.locator("button.primary").click()
        actions += 1
    assert page.locator(".messages .success").count() == 1
    saved = {
        m.project_id: (m.investment, m.inclusion)
        for m in MonthlyProgress.objects.filter(project__unit=unit, year=2024, month=4)
    }
    assert saved == {p.pk: (inv, Decimal(inc)) for p, inv, inc in figures}
    # Two columns of nine figures, one save, and one tick per queried row at most.
    assert actions <= 2 * (1 + 9 + 8) + 2 + ticks.count()
    print(f"\n9-project month: {actions} actions ({ticks.count()} ticks)")


def test_phone_shows_one_card_per_project_without_sideways_scrolling(open_browser, cast):
    clerk, unit = _clerk_of("JD-HD", "hd_clerk")
    page = open_browser(clerk, viewport=pages.PHONE)
    page.goto(APRIL)
    assert pages.horizontal_overflow(page) == 0
    cards = page.locator("tr.entry-row")
    assert cards.count() == Project.objects.filter(unit=unit, programme__year=2024).count()
    # Cards stack: each starts below the previous one and fits the screen's width.
    boxes = [cards.nth(i).bounding_box() for i in range(cards.count())]
    assert all(b["x"] >= 0 and b["x"] + b["width"] <= 375 for b in boxes)
    assert all(a["y"] + a["height"] <= b["y"] for a, b in zip(boxes, boxes[1:], strict=False))
    amounts = page.locator("input.amount")
    assert amounts.first.get_attribute("inputmode") == "decimal"
    assert pages.small_tap_targets(page, "input.amount, textarea, button.primary") == []

    project = Project.objects.filter(unit=unit, programme__year=2024).order_by("code").first()
    page.fill("input[name='e-0-investment']", "88.5")
    page.fill("input[name='e-0-inclusion']", "60")
    pages.shoot(page, "entry-grid-phone")
    page.locator("button.primary").click()
    ticks = page.locator("label.confirm input")
    if ticks.count():
        ticks.first.check()
        page.locator("button.primary").click()
    entry = MonthlyProgress.objects.get(project=project, year=2024, month=4)
    assert (entry.investment, entry.inclusion) == (Decimal("88.50"), Decimal("60.00"))
    assert pages.horizontal_overflow(page) == 0


def _small_jpeg() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (120, 90), "steelblue").save(out, "JPEG")
    return out.getvalue()


def test_phone_camera_adds_a_site_photo_to_a_row_and_keeps_the_typed_figures(open_browser, cast):
    from projects.attachments.models import Photo

    clerk, unit = cast["other_clerk"], cast["other_unit"]
    project = Project.objects.filter(unit=unit, programme__year=2024).order_by("code").first()
    before = Photo.objects.filter(project=project, year=2024, month=4).count()
    page = open_browser(clerk, viewport=pages.PHONE)
    page.goto(APRIL)
    # The unit's problem and node tallies sit above the grid, linked to their lists.
    assert page.locator(".dispatch-tallies a[href^='/problems/']").count() == 3
    row = page.locator("tr.entry-row").first
    page.fill("input[name='e-0-investment']", "77.7")
    camera = row.locator(".entry-photos input[type=file]")
    assert camera.get_attribute("capture") == "environment"
    assert pages.small_tap_targets(page, ".entry-photo-pick") == []
    camera.set_input_files(
        files=[{"name": "site.jpg", "mimeType": "image/jpeg", "buffer": _small_jpeg()}]
    )
    row.locator(".entry-photo-count").filter(has_text=f"本月照片 {before + 1} 张").wait_for()
    assert "已为" in row.locator(".entry-photo-status").inner_text()
    assert row.locator(".entry-photo-latest img").get_attribute("src").endswith("/thumb/")
    # Sent in the background: the figure typed before the photo is still there, unsaved.
    assert page.input_value("input[name='e-0-investment']") == "77.7"
    assert page.url.endswith(APRIL)  # the page never left
    assert Photo.objects.filter(project=project, year=2024, month=4).count() == before + 1
    assert pages.horizontal_overflow(page) == 0
    pages.shoot(page, "entry-photo-phone")

    # A file that is not a picture is refused on the row, in Chinese, and nothing is kept.
    camera.set_input_files(
        files=[{"name": "notes.jpg", "mimeType": "image/jpeg", "buffer": b"not a photo" * 50}]
    )
    row.locator(".entry-photo-status.error").wait_for()
    assert "照片" in row.locator(".entry-photo-status").inner_text()
    assert Photo.objects.filter(project=project, year=2024, month=4).count() == before + 1
    assert page.input_value("input[name='e-0-investment']") == "77.7"

    # The row's 存在问题 as typed, not saved yet, becomes a logged problem in one click,
    # in a new tab, so the grid keeps its unsaved figures.
    raise_link = row.locator("a.raise-from-grid")
    page.fill("textarea[name='e-0-problems']", "")
    assert raise_link.is_hidden()
    page.fill("textarea[name='e-0-problems']", "施工用电待接入")
    with page.expect_popup() as opened:
        raise_link.click()
    problem_page = opened.value
    problem_page.wait_for_load_state()
    assert problem_page.input_value("textarea[name='description']") == "施工用电待接入"
    assert "year=2024" in problem_page.url and "month=4" in problem_page.url
    assert page.input_value("input[name='e-0-investment']") == "77.7"
