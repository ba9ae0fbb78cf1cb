"""The entry grid's live preview reads amounts by the server's grammar: the shared cases.

The preview (static/js/entry.js) and ``money.parse_amount`` are two implementations of one
grammar; both are held to tests/money_cases.json, the JavaScript here in Chromium.
"""

import json
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENTRY_JS = ROOT / "static" / "js" / "entry.js"
CASES = json.loads((ROOT / "tests" / "money_cases.json").read_text("utf-8"))["cases"]


def test_the_entry_page_loads_the_script_tested_here():
    assert "js/entry.js" in (ROOT / "templates" / "projects" / "entry.html").read_text("utf-8")


def test_the_live_preview_reads_and_refuses_the_shared_amount_cases(browser):
    page = browser.new_page()
    try:
        page.set_content("<!DOCTYPE html><html><body></body></html>")
        page.add_script_tag(path=str(ENTRY_JS))
        # cents(): whole cents for an amount, NaN (null through JSON) for a refusal.
        read = page.evaluate(
            "inputs => inputs.map(text => {"
            "  const value = window.trackerEntry.cents(text);"
            "  return Number.isNaN(value) ? 'refused' : value;"
            "})",
            [case["input"] for case in CASES],
        )
    finally:
        page.close()
    expected = [
        case["expected"] if case["expected"] == "refused" else int(Decimal(case["expected"]) * 100)
        for case in CASES
    ]
    wrong = [
        (case["input"], got, want)
        for case, got, want in zip(CASES, read, expected, strict=True)
        if got != want
    ]
    assert wrong == []


def test_the_preview_leaves_one_frozen_name_on_window(browser):
    page = browser.new_page()
    try:
        page.set_content("<!DOCTYPE html><html><body></body></html>")
        before = set(page.evaluate("Object.keys(window)"))
        page.add_script_tag(path=str(ENTRY_JS))
        added = set(page.evaluate("Object.keys(window)")) - before
        frozen = page.evaluate("Object.isFrozen(window.trackerEntry)")
    finally:
        page.close()
    assert added == {"trackerEntry"}
    assert frozen
