"""A long unit list is a text box in Chromium: typing offers the matching units (fetched by
``static/js/suggest.js`` under the page's CSP), and a typed name filters the report."""

from projects import demo, filters
from tests.browser.pages import column_values

REPORT = "table.report"


def test_typing_in_a_long_unit_list_offers_units_and_a_typed_name_filters(
    open_browser, cast, monkeypatch
):
    # The demo's 18 units count as a long list here (a province's are 2,466).
    monkeypatch.setattr(filters, "SELECT_UP_TO", 5)
    unit = cast["unit"]
    page = open_browser(cast["manager"])
    page.goto(f"/reports/2024/q1/?programme={demo.PROGRAMME_CODE}")
    box = page.locator("input#id_unit")
    assert box.get_attribute("type") == "text"
    assert page.locator("select#id_unit").count() == 0

    typed = unit.name[:2]
    box.fill(typed)
    # The list settles on the units matching what was typed (focusing asked for all first).
    page.wait_for_function(
        """typed => { const options = [...document.querySelectorAll('#id_unit-suggestions option')];
             return options.length > 0 && options.every(o => o.textContent.includes(typed)
               || o.value.toLowerCase().startsWith(typed.toLowerCase())); }""",
        arg=typed,
    )
    offered = page.evaluate(
        "() => [...document.querySelectorAll('#id_unit-suggestions option')]"
        ".map(o => [o.value, o.textContent])"
    )
    assert [unit.code, unit.name] in offered

    # Without choosing a suggestion: the name as typed is read by the server.
    box.fill(unit.name)
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_load_state()
    assert set(column_values(page, REPORT, "责任单位")) == {unit.name}
