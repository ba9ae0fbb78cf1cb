"""The briefing (通报) as a Word document, from a template the office can restyle.

The layout follows the usual form of a government 通报 (A4, 仿宋 body, 黑体
headings, 文号 under the issuer, page numbers "— 1 —" at the foot). Every
paragraph is set in a named style ("Briefing Body", "Briefing Title", ...): the
office restyles those in Word, saves the file and points BRIEFING_TEMPLATE at
it; the built-in defaults below only apply to styles the template lacks.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from django.conf import settings
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from lxml import etree

from ..briefing.wording import Outline, Table, outline
from ..briefing.wording import title as briefing_title
from ..scope_labels import WHOLE_LIST, Scope
from ..selectors import QuarterlyReport
from ..selectors.briefing import briefing_from_report
from ..text import header_text, xml_text
from .registry import Exporter, register
from .stable import stamped_zip

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# East Asian faces with the Latin face and Word's fallback name beside each:
# 仿宋 / 黑体 come with every Chinese Windows; altName lets Word (and WPS) pick the
# English-named install, and LibreOffice falls back to any CJK face it has.
FANGSONG = ("仿宋", "FangSong")
HEITI = ("黑体", "SimHei")
LATIN = "Times New Roman"
RED = RGBColor(0xC0, 0x00, 0x00)


@dataclass(frozen=True)
class StyleSpec:
    """A paragraph style's defaults: face, size in points, bold, alignment, colour."""

    font: tuple[str, str]
    size: float
    align: int | None = None
    bold: bool = False
    first_line_chars: int = 0
    colour: RGBColor | None = None
    space_after: float = 0


STYLES = {
    "Briefing Issuer": StyleSpec(HEITI, 26, WD_ALIGN_PARAGRAPH.CENTER, colour=RED, space_after=6),
    "Briefing Number": StyleSpec(FANGSONG, 16, WD_ALIGN_PARAGRAPH.CENTER, space_after=18),
    "Briefing Title": StyleSpec(HEITI, 22, WD_ALIGN_PARAGRAPH.CENTER, space_after=18),
    "Briefing Heading": StyleSpec(HEITI, 16, first_line_chars=2),
    # Left, not justified: figures like "（1934.8%）" cannot break, and justifying
    # around them spreads a line's characters apart.
    "Briefing Body": StyleSpec(FANGSONG, 16, WD_ALIGN_PARAGRAPH.LEFT, first_line_chars=2),
    "Briefing Caption": StyleSpec(HEITI, 14, WD_ALIGN_PARAGRAPH.CENTER, space_after=4),
    "Briefing Table Text": StyleSpec(FANGSONG, 10.5),
    "Briefing Signature": StyleSpec(FANGSONG, 16, WD_ALIGN_PARAGRAPH.RIGHT),
}
# Body lines exactly 28 pt apart: 22 lines to an A4 page, as GB/T 9704 sets for documents.
LINE_PITCH = Pt(28)


def _set_faces(element_rpr, font: tuple[str, str]) -> None:
    fonts = element_rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        element_rpr.insert(0, fonts)
    fonts.set(qn("w:ascii"), LATIN)
    fonts.set(qn("w:hAnsi"), LATIN)
    fonts.set(qn("w:eastAsia"), font[0])


def _ensure_style(document, name: str, spec: StyleSpec):
    """The template's style of that name, or a new one with the built-in defaults."""
    styles = document.styles
    if name in [s.name for s in styles]:
        return styles[name]
    style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = styles["Normal"]
    style.font.size = Pt(spec.size)
    style.font.bold = spec.bold
    if spec.colour is not None:
        style.font.color.rgb = spec.colour
    _set_faces(style.element.get_or_add_rPr(), spec.font)
    fmt = style.paragraph_format
    if spec.align is not None:
        fmt.alignment = spec.align
    if spec.first_line_chars:
        fmt.first_line_indent = Pt(spec.size * spec.first_line_chars)
    if name in ("Briefing Heading", "Briefing Caption"):
        fmt.keep_with_next = True
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(spec.space_after)
    if spec.size <= 16 and name != "Briefing Table Text":
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = LINE_PITCH
    return style


def _declare_fallbacks(document) -> None:
    """Give Word the English names of the Chinese faces (w:altName in the font table)."""
    part = document.part
    font_part = next(
        (rel.target_part for rel in part.rels.values() if rel.reltype.endswith("/fontTable")),
        None,
    )
    if font_part is None:
        return
    root = parse_xml(font_part.blob)
    present = {f.get(qn("w:name")) for f in root.findall(qn("w:font"))}
    for name, alt in (FANGSONG, HEITI):
        if name in present:
            continue
        font = OxmlElement("w:font")
        font.set(qn("w:name"), name)
        alt_name = OxmlElement("w:altName")
        alt_name.set(qn("w:val"), alt)
        charset = OxmlElement("w:charset")
        charset.set(qn("w:val"), "86")  # GB2312
        family = OxmlElement("w:family")
        family.set(qn("w:val"), "modern")
        for child in (alt_name, charset, family):
            font.append(child)
        root.append(font)
    font_part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page_number_footer(section) -> None:
    """— 1 — centred at the foot of every page, from Word's PAGE field."""
    footer = section.footer
    paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    if paragraph.text.strip() or paragraph._p.xpath(".//w:fldChar"):
        return  # the template has its own footer
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("— ")
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)
    paragraph.add_run(" —")
    for r in paragraph.runs:
        r.font.size = Pt(14)
        _set_faces(r._r.get_or_add_rPr(), FANGSONG)


def base_document():
    """The office's template when one is configured, else a blank A4 page with our styles."""
    path = getattr(settings, "BRIEFING_TEMPLATE", "")
    document = Document(path) if path else Document()
    body = document.element.body
    for child in list(body):
        # Keep the page setup (sectPr); the template's sample text goes.
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    section = document.sections[0]
    if not path:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
        section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    for name, spec in STYLES.items():
        _ensure_style(document, name, spec)
    _declare_fallbacks(document)
    _page_number_footer(section)
    return document


def _borders(table) -> None:
    """Single lines on every cell, set directly so a template without "Table Grid" works."""
    properties = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{edge}")
        line.set(qn("w:val"), "single")
        line.set(qn("w:sz"), "4")
        line.set(qn("w:color"), "000000")
        borders.append(line)
    properties.append(borders)


def _row_flag(row, tag: str) -> None:
    flag = OxmlElement(tag)
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


def _text_width(document):
    section = document.sections[-1]
    return section.page_width - section.left_margin - section.right_margin


def _rule_below(paragraph) -> None:
    """The red line under the 文号 that divides the heading block from the text."""
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "12"), ("space", "6"), ("color", "C00000")):
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _add_table(document, table: Table) -> None:
    if table.caption:
        document.add_paragraph(xml_text(table.caption), style="Briefing Caption")
    grid = document.add_table(rows=1, cols=len(table.head))
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    _borders(grid)
    # The head repeats on every page, and no row breaks across two.
    _row_flag(grid.rows[0], "w:tblHeader")
    for cell, text in zip(grid.rows[0].cells, table.head, strict=True):
        paragraph = cell.paragraphs[0]
        paragraph.style = "Briefing Table Text"
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(xml_text(text)).bold = True
    for values in table.rows:
        cells = grid.add_row().cells
        for index, (cell, text) in enumerate(zip(cells, values, strict=True)):
            paragraph = cell.paragraphs[0]
            paragraph.style = "Briefing Table Text"
            if index == 0:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif index in table.numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            paragraph.add_run(xml_text(text))
        _row_flag(grid.rows[-1], "w:cantSplit")
    if table.widths:
        total, width = sum(table.widths), _text_width(document)
        grid.autofit = False
        for column, share in zip(grid.columns, table.widths, strict=True):
            column.width = int(width * share / total)
        for row in grid.rows:
            for cell, share in zip(row.cells, table.widths, strict=True):
                cell.width = int(width * share / total)
    # A little air after a table before the next paragraph.
    document.add_paragraph("", style="Briefing Table Text")


def render_docx(outline: Outline, *, stamp: dt.datetime | None = None) -> bytes:
    """The outline as .docx bytes; with ``stamp`` (a published edition's time) the same bytes
    on every call."""
    document = base_document()
    if stamp is not None:
        document.core_properties.created = document.core_properties.modified = stamp.replace(
            tzinfo=None
        )
    # Every string goes through xml_text: a name or note stored with a control character
    # (before the edge cleaner, or straight into the database) must not fail the file.
    document.core_properties.title = header_text(outline.title)
    document.core_properties.author = header_text(outline.issuer)
    document.add_paragraph(xml_text(outline.issuer), style="Briefing Issuer")
    _rule_below(document.add_paragraph(xml_text(outline.number), style="Briefing Number"))
    document.add_paragraph(xml_text(outline.title), style="Briefing Title")
    # An incomplete period's 通报 opens with what its figures do not yet hold.
    for text in outline.preface:
        document.add_paragraph(xml_text(text), style="Briefing Body")
    for section in outline.sections:
        document.add_paragraph(xml_text(section.heading), style="Briefing Heading")
        for text in section.paragraphs:
            document.add_paragraph(xml_text(text), style="Briefing Body")
        for table in section.tables:
            _add_table(document, table)
    document.add_paragraph(xml_text(outline.closing), style="Briefing Body")
    document.add_paragraph("", style="Briefing Body")
    document.add_paragraph(xml_text(outline.signature), style="Briefing Signature")
    document.add_paragraph(xml_text(outline.date), style="Briefing Signature")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue() if stamp is None else stamped_zip(out.getvalue(), stamp)


@register
class DocxExporter(Exporter):
    """The period's briefing (通报) as a Word document, beside the report's other files."""

    identifier = "docx"
    order = 4
    name = "Word (DOCX)"
    content_type = CONTENT_TYPE
    briefing = True

    def render(self, report: QuarterlyReport, table: str, scope: Scope = WHOLE_LIST) -> bytes:
        # The briefing adds campaigns, featured projects and stated problems to the report.
        stamp = report.edition.published_at if report.edition else None
        return render_docx(outline(briefing_from_report(report, scope)), stamp=stamp)

    def filename(self, report: QuarterlyReport, table: str, scope: Scope = WHOLE_LIST) -> str:
        return f"{header_text(briefing_title(report, scope))}.docx"


def template_docx() -> bytes:
    """A blank document carrying the styles, for the office to restyle in Word."""
    document = base_document()
    for name in STYLES:
        document.add_paragraph(f"{name}：样式示例", style=name)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
