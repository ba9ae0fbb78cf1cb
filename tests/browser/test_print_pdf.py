"""A real browser prints the report's print view to PDF: every project and the headline rate.

Chromium's own print-to-PDF renders the page the view serves with its print
stylesheet (A4 landscape, head repeated, page numbers); the PDF's text is then
read back. Skipped where Chromium is not installed.
"""

import re
import shutil
import subprocess

import pytest
from django.conf import settings
from pypdf import PdfReader

CHROMIUM = next((p for p in map(shutil.which, ("chromium", "chromium-browser")) if p), None)


# No ``django_db``: the test reads the journeys' committed ledger (``cast``), which a test
# transaction would take with it when rolled back.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed"),
]


def print_to_pdf(html: str, tmp_path) -> PdfReader:
    # The page links its stylesheet by URL; point it at the same file on disk.
    static = (settings.BASE_DIR / "static").as_uri() + "/"
    page = tmp_path / "report.html"
    page.write_text(html.replace(settings.STATIC_URL, static), encoding="utf-8")
    pdf = tmp_path / "report.pdf"
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return PdfReader(pdf)


def test_printed_report_holds_all_147_projects_and_the_rate(cast, client, tmp_path):
    # The journeys' demo ledger (``cast``): loading it a second time for this module took
    # 15–23 s, and the journeys leave the first quarter's figures as the article's.
    client.force_login(cast["manager"])
    response = client.get("/reports/2024/q1/print/")
    assert response.status_code == 200
    reader = print_to_pdf(response.content.decode(), tmp_path)
    text = "\n".join(page.extract_text() for page in reader.pages)
    codes = set(re.findall(r"CY2024-\d{3}", text))
    assert len(codes) == 147
    assert "155.5%" in text and "173.3%" in text
    # A4 landscape: wider than tall, 297 x 210 mm in points.
    box = reader.pages[0].mediabox
    assert round(float(box.width)) == 842 and round(float(box.height)) == 595
    # Page numbers from the print stylesheet's @page footer.
    assert f"1 / {len(reader.pages)}" in reader.pages[0].extract_text()
