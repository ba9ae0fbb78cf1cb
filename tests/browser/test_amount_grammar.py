"""The entry grid's live preview reads amounts by the server's grammar: the shared cases.

The preview (static/js/entry.js) and ``money.parse_amount`` are two implementations of one
grammar; both are held to tests/money_cases.json, the JavaScript here in Chromium.
"""

import json
from decimal import Decimal
from pathlib import Path

from projects.money import completion_rate, format_rate

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


def test_the_live_preview_rate_is_money_completion_rate_at_the_half_up_edges(browser):
    # (actual, planned) in 万元: .x5 exactly, repeating decimals, no plan.
    edges = [
        ("12.34", "8"),
        ("0.01", "4"),
        ("0.02", "16"),
        ("0.01", "40"),
        ("2", "3"),
        ("99.95", "100"),
        ("0", "5"),
        ("7", "0"),
    ]
    page = browser.new_page()
    try:
        page.set_content("<!DOCTYPE html><html><body></body></html>")
        page.add_script_tag(path=str(ENTRY_JS))
        shown = page.evaluate(
            "pairs => pairs.map(([done, plan]) => window.trackerEntry.rate(done, plan))",
            [[int(Decimal(a) * 100), int(Decimal(p) * 100)] for a, p in edges],
        )
    finally:
        page.close()
    assert shown == [format_rate(completion_rate(Decimal(a), Decimal(p))) for a, p in edges]
