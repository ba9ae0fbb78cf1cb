"""A leader opens a project on a phone: its quarters and months read 当季, 当月 and 累计, and
the page fits the screen's width."""

from decimal import Decimal

from projects import demo
from projects.models import Project
from tests.browser.pages import DESKTOP, PHONE, amount, horizontal_overflow, shoot

MONTHS = "h2:has-text('月度进展') + .scroll table"


def _project_with_months():
    return (
        Project.objects.filter(programme__code=demo.PROGRAMME_CODE, progress__month=3)
        .order_by("code")
        .first()
    )


def _month_columns(page):
    rows = page.locator(f"{MONTHS} tbody tr")
    return [rows.nth(i).locator("th, td").all_inner_texts() for i in range(rows.count())]


def test_on_a_phone_the_project_reads_its_months_running_totals(open_browser, cast):
    project = _project_with_months()
    page = open_browser(cast["manager"], viewport=PHONE)
    response = page.goto(f"/projects/{project.code}/")
    assert response.status == 200
    assert page.locator("h1").inner_text().startswith(project.code)
    heads = page.locator(f"{MONTHS} thead th").all_inner_texts()
    assert any("当月" in h for h in heads) and any("累计" in h for h in heads)
    running = Decimal(0)
    months = _month_columns(page)
    assert len(months) >= 3
    for row in months:
        running += amount(row[1])  # 当月完成投资
        assert amount(row[2]) == running  # 累计完成投资: the months so far, summed
    assert page.locator("dl.fields dt").count() > 5
    assert horizontal_overflow(page) == 0
    shoot(page, "project-phone", height=1800)


def test_on_a_desk_screen_the_quarters_add_up_to_the_year(open_browser, cast):
    project = _project_with_months()
    page = open_browser(cast["manager"], viewport=DESKTOP)
    page.goto(f"/projects/{project.code}/")
    body = page.locator("h2 + .scroll table").first.locator("tbody tr")
    rows = [body.nth(i).locator("th, td").all_inner_texts() for i in range(body.count())]
    *quarters, year = rows
    assert len(quarters) == 4 and year[0] == "全年合计"
    assert sum(amount(q[2]) for q in quarters) == amount(year[2])  # 当季完成投资, summed
    assert horizontal_overflow(page) == 0
