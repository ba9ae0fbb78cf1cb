"""A manager's morning in Chromium: the Q1 2024 report on the demo ledger, narrowed,
sorted, a project opened and the files downloaded, then printed and read on a phone."""

import csv
import io
import re

import openpyxl
import pytest
from playwright.sync_api import expect

from projects import demo
from projects.models import Programme, Project, Unit
from projects.permissions import WHOLE_DISTRICT
from projects.selectors import quarterly_report
from tests.browser.conftest import log_in
from tests.browser.pages import (
    DESKTOP,
    PHONE,
    amount,
    column_values,
    horizontal_overflow,
    missing_codes,
    pdf_page_sizes,
    pdf_text,
    shoot,
    small_tap_targets,
    unlabelled_controls,
)

REPORT = "table.report"


@pytest.fixture(scope="module")
def q1(cast):
    programme = Programme.objects.get(code=demo.PROGRAMME_CODE)
    return quarterly_report(user=WHOLE_DISTRICT, programme=programme, year=2024, quarter=1)


def headline(page) -> dict:
    """The headline cards as shown."""
    cards = page.locator("section.cards .card")
    starts = cards.nth(1).locator("table.figs tr")
    return {
        "projects": cards.nth(0).locator(".big").inner_text().strip(),
        "starts": tuple(starts.nth(i).locator("td").first.inner_text() for i in (1, 2, 3)),
        "investment_rate": cards.nth(2).locator("strong").first.inner_text(),
        "inclusion_rate": cards.nth(3).locator("strong").first.inner_text(),
    }


def test_manager_reads_filters_sorts_and_opens_the_q1_report(open_browser, cast, q1):
    page = open_browser(cast["manager"])
    page.goto("/")
    # Home opens the latest quarter with progress: the first quarter of 2024.
    assert page.url.endswith("/reports/2024/q1/")
    h = q1.headline
    shown = headline(page)
    assert shown == {
        "projects": str(h.projects),
        "starts": (str(h.starts.planned), str(h.starts.actual), str(h.starts.early)),
        "investment_rate": f"{h.investment.rate}%",
        "inclusion_rate": f"{h.inclusion.rate}%",
    }
    # ... which are the article's figures.
    assert shown == {
        "projects": "147",
        "starts": ("71", "80", "9"),
        "investment_rate": "155.5%",
        "inclusion_rate": "173.3%",
    }
    shoot(page, "report-desktop", height=1500)

    unit = cast["other_unit"]
    page.select_option("#id_unit", label=unit.name)
    page.locator("form.filters button[type=submit]").click()
    expect(page.locator(".notice")).to_be_visible()
    expected = Project.objects.filter(programme__code=demo.PROGRAMME_CODE, unit=unit).count()
    assert headline(page)["projects"] == str(expected)
    assert set(column_values(page, REPORT, "责任单位")) == {unit.name}
    assert len(column_values(page, REPORT, "项目编号")) == expected

    page.locator(f"{REPORT} thead th", has_text="投资完成率").locator("a").click()
    page.wait_for_url("**p-sort=investment_rate**")
    rates = [amount(r) for r in column_values(page, REPORT, "投资完成率") if r != "—"]
    assert rates == sorted(rates) and len(rates) > 1
    first_code = column_values(page, REPORT, "项目编号")[0]

    page.locator(f"{REPORT} tbody a", has_text=first_code).click()
    expect(page.locator("h1")).to_have_text(re.compile(f"^{first_code} "))
    shoot(page, "project-desktop")
    page.go_back()
    assert "p-sort=investment_rate" in page.url and f"unit={unit.code}" in page.url
    assert column_values(page, REPORT, "项目编号")[0] == first_code


def test_manager_downloads_csv_and_xlsx_whose_totals_equal_the_page(open_browser, cast):
    page = open_browser(cast["manager"])
    unit = cast["unit"]
    page.goto(f"/reports/2024/q1/?programme={demo.PROGRAMME_CODE}&unit={unit.code}")
    codes = column_values(page, REPORT, "项目编号")
    page_completed = sum(amount(v) for v in column_values(page, REPORT, "累计完成投资（万元）"))
    page_planned = sum(amount(v) for v in column_values(page, REPORT, "累计计划投资（万元）"))

    with page.expect_download() as csv_download:
        page.locator("p.exports a", has_text="CSV").first.click()
    rows = list(csv.reader(io.StringIO(_read(csv_download.value).decode("utf-8-sig"))))
    head, body, total = rows[0], rows[1:-1], rows[-1]
    assert [r[0] for r in body] == codes or sorted(r[0] for r in body) == sorted(codes)
    completed, planned = head.index("累计完成投资（万元）"), head.index("累计计划投资（万元）")
    assert total[0] == "合计"
    assert amount(total[completed]) == sum(amount(r[completed]) for r in body) == page_completed
    assert amount(total[planned]) == page_planned

    with page.expect_download() as xlsx_download:
        page.locator("p.exports a", has_text="Excel").click()
    book = openpyxl.load_workbook(io.BytesIO(_read(xlsx_download.value)), read_only=True)
    sheet = list(book["项目明细"].iter_rows(values_only=True))
    head, body, total = list(sheet[0]), sheet[1:-1], sheet[-1]
    completed = head.index("累计完成投资（万元）")
    assert sorted(r[0] for r in body) == sorted(codes)
    assert amount(str(total[completed])) == page_completed
    assert sum(amount(str(r[completed])) for r in body) == page_completed


def _read(download) -> bytes:
    with open(download.path(), "rb") as handle:
        return handle.read()


def _print(page) -> bytes:
    page.emulate_media(media="print")
    return page.pdf(format="A4", landscape=True, print_background=True)


@pytest.fixture(scope="module")
def printout(django_db_setup, browser, live_server, cast):
    """The report printed to PDF by Chromium, and the codes its table shows on screen."""
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP, locale="zh-CN")
    page = context.new_page()
    log_in(page, cast["manager"].username)
    page.goto("/reports/2024/q1/")
    codes = column_values(page, REPORT, "项目编号")
    pdf = _print(page)
    context.close()
    return pdf, codes


def test_report_prints_on_a4_landscape_with_the_headline_and_the_listed_codes(printout, q1):
    pdf, codes_on_screen = printout
    assert all(w > h for w, h in pdf_page_sizes(pdf))
    text = pdf_text(pdf)
    h = q1.headline
    for figure in (
        str(h.projects),
        str(h.starts.planned),
        str(h.starts.actual),
        f"{h.investment.rate}%",
        f"{h.inclusion.rate}%",
    ):
        assert figure in text, figure
    assert "155.5%" in text and "173.3%" in text
    assert missing_codes(text, codes_on_screen) == []


def test_report_printout_lists_every_project_code(printout, q1):
    pdf, _codes = printout
    assert missing_codes(pdf_text(pdf), [r.code for r in q1.rows]) == []


def test_report_on_a_phone_has_no_sideways_scroll_and_tappable_controls(open_browser, cast):
    page = open_browser(cast["manager"], viewport=PHONE)
    page.goto("/reports/2024/q1/")
    assert horizontal_overflow(page) <= 0
    assert small_tap_targets(page, "form.filters select, form.filters button") == []
    shoot(page, "report-phone")


def test_report_controls_are_labelled_and_lights_say_their_state_in_words(open_browser, cast):
    page = open_browser(cast["manager"])
    page.goto("/reports/2024/q1/")
    assert unlabelled_controls(page) == []
    lights = page.locator(f"{REPORT} .light").all_inner_texts()
    assert lights and all(text.replace("●", "").strip() for text in lights)


def test_page_language_follows_the_switch_not_the_browser(open_browser, cast, live_server):
    # An English browser still gets the Chinese site; the switch (a cookie) changes it,
    # and the page's lang attribute always names the language shown.
    page = open_browser(cast["manager"], locale="en-US")
    page.goto("/reports/2024/q1/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.locator("section h2").filter(has_text="项目").count() >= 1

    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto("/reports/2024/q1/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("section h2").filter(has_text="Projects").count() >= 1


def test_report_filter_and_sort_work_with_the_keyboard_alone(open_browser, cast):
    page = open_browser(cast["manager"])
    page.goto("/reports/2024/q1/")
    page.focus("#id_unit")
    page.keyboard.press("ArrowDown")  # the first unit after "All"
    chosen = page.locator("#id_unit").input_value()
    assert chosen
    for _ in range(10):
        if page.evaluate("document.activeElement.matches('form.filters button')"):
            break
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**unit={chosen}**")
    page.locator(f"{REPORT} thead th a", has_text="投资完成率").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**p-sort=investment_rate**")
    assert f"unit={chosen}" in page.url
    assert set(column_values(page, REPORT, "责任单位")) == {Unit.objects.get(code=chosen).name}
