"""What the journeys read off a page: figures, printed text, layout and accessibility checks."""

import io
import os
import re
from decimal import Decimal
from pathlib import Path

from pypdf import PdfReader

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
# `make screenshots` sets this; ordinary runs leave the committed pictures alone.
SCREENSHOTS_ENV = "WRITE_SCREENSHOTS"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 375, "height": 812}
# A finger needs about this many CSS pixels (WCAG 2.5.5 asks 44 x 44 for AAA); our own
# stylesheet gives phones that. WCAG 2.5.8 (AA) sets 24 as the floor for any target.
TAP_HEIGHT = 44
TAP_HEIGHT_AA = 24


def amount(text: str) -> Decimal:
    """A figure as the page or a file shows it: "1,234.50", "155.5%", "—" (None)."""
    text = text.strip().rstrip("%").replace(",", "")
    return Decimal(text)


def column_values(page, table: str, header: str) -> list[str]:
    """The texts of one column of a table, found by its header text."""
    return page.evaluate(
        """([table, header]) => {
          const t = document.querySelector(table);
          const heads = [...t.querySelectorAll("thead th")].map(th => th.innerText.trim());
          const i = heads.indexOf(header);
          if (i < 0) throw new Error(`no column ${header} in ${heads}`);
          return [...t.querySelectorAll("tbody tr")].map(tr => tr.children[i].innerText.trim());
        }""",
        [table, header],
    )


def pdf_text(pdf: bytes) -> str:
    """Every page's text, as a reader of the printout would find it."""
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def pdf_page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    """Width and height of each page in points (A4 landscape is about 842 x 595)."""
    reader = PdfReader(io.BytesIO(pdf))
    return [(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages]


def missing_codes(text: str, codes) -> list[str]:
    """The project codes a printout lacks; the print check asserts this is empty."""
    # pypdf may break a line inside a table cell; whitespace inside a code is not a code.
    flat = re.sub(r"\s+", "", text)
    return [code for code in codes if code not in flat]


def horizontal_overflow(page) -> int:
    """CSS pixels the page is wider than the window (0 means no sideways scrolling)."""
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def unlabelled_controls(page) -> list[str]:
    """Visible form controls with no accessible name from a label or ARIA."""
    return page.evaluate(
        """() => [...document.querySelectorAll("input, select, textarea")]
          .filter(el => el.type !== "hidden" && el.offsetParent !== null)
          // A button-like input is named by its value.
          .filter(el => !["submit", "button", "reset"].includes(el.type))
          .filter(el => !(el.labels && el.labels.length)
                        && !el.getAttribute("aria-label")
                        && !el.getAttribute("aria-labelledby")
                        && !el.title)
          .map(el => el.outerHTML.slice(0, 120))"""
    )


def small_tap_targets(
    page, selector="input, select, textarea, button", minimum: int = TAP_HEIGHT
) -> list[str]:
    """Visible controls shorter than ``minimum`` CSS pixels (a fingertip by default)."""
    return page.evaluate(
        """([selector, min]) => [...document.querySelectorAll(selector)]
          .filter(el => el.type !== "hidden" && el.offsetParent !== null)
          .filter(el => el.getBoundingClientRect().height < min)
          .map(el => `${el.getBoundingClientRect().height}px ${el.outerHTML.slice(0, 80)}`)""",
        [selector, minimum],
    )


def shoot(page, name: str, *, height: int | None = None) -> None:
    """Save the page to docs/screenshots/<name>.png when screenshots are being regenerated.

    ``height`` takes that much of the page from the top instead of just the window.
    """
    if not os.environ.get(SCREENSHOTS_ENV):
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = str(SCREENSHOTS / f"{name}.png")
    if height is None:
        page.screenshot(path=path)
    else:
        width = page.viewport_size["width"]
        clip = {"x": 0, "y": 0, "width": width, "height": height}
        page.screenshot(path=path, full_page=True, clip=clip)
