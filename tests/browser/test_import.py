"""A manager imports a ledger in Chromium: a bad row is shown by row and column and
nothing is written; the corrected file is previewed again and confirmed."""

import io

import openpyxl
from playwright.sync_api import expect

from projects.imports.ledger_files import ledger_xlsx
from projects.models import Project
from tests.browser.pages import shoot, unlabelled_controls

NEW_PROGRESS = "主体结构封顶，进入设备安装"


def _ledger(codes, **cells_by_code) -> bytes:
    """The ledger export of these projects, with some cells changed: {code: {header: value}}."""
    book = openpyxl.load_workbook(io.BytesIO(ledger_xlsx(Project.objects.filter(code__in=codes))))
    sheet = book.active
    head = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        for header, value in cells_by_code.get(row[0].value, {}).items():
            row[head.index(header)].value = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(page, content: bytes) -> None:
    page.set_input_files(
        "#id_file",
        {"name": "台账.xlsx", "mimeType": "application/octet-stream", "buffer": content},
    )
    page.locator("input[type=submit]").click()


def test_manager_fixes_a_bad_ledger_row_shown_in_the_preview_then_confirms(open_browser, cast):
    codes = list(Project.objects.order_by("code").values_list("code", flat=True)[:3])
    changed, broken = codes[0], codes[2]
    page = open_browser(cast["manager"])
    page.goto("/admin/projects/project/")
    page.locator("a", has_text="导入台账").click()
    assert unlabelled_controls(page) == []

    _upload(
        page,
        _ledger(
            codes,
            **{changed: {"形象进度": NEW_PROGRESS}, broken: {"计划开工日期": "2024年13月5日"}},
        ),
    )
    errors = page.locator("#import-errors tbody tr")
    expect(errors).to_have_count(1)
    row, column, _problem = errors.first.locator("td").all_inner_texts()
    assert (row, column) == ("4", "计划开工日期")  # the header is row 1
    # Each value stands under its own heading.
    heads = page.locator("#import-errors thead th")
    cells = errors.first.locator("td")
    for i in range(3):
        head_box, cell_box = heads.nth(i).bounding_box(), cells.nth(i).bounding_box()
        assert abs(head_box["x"] - cell_box["x"]) < 1, (i, head_box, cell_box)
    assert page.locator("#count-errors").inner_text() == "1"
    assert page.locator("input[name=token]").count() == 0  # nothing to confirm
    shoot(page, "import-preview")

    page.locator("a", has_text="上传改正后的文件").click()
    _upload(page, _ledger(codes, **{changed: {"形象进度": NEW_PROGRESS}}))
    expect(page.locator("#count-changed")).to_have_text("1")
    assert page.locator("#import-changed").get_by_text(NEW_PROGRESS).is_visible()
    assert Project.objects.get(code=changed).image_progress != NEW_PROGRESS  # not yet
    page.locator("input[type=submit][value='确认导入']").click()
    expect(page.locator(".messagelist .success")).to_have_count(1)
    assert Project.objects.get(code=changed).image_progress == NEW_PROGRESS
