"""An invoice as a Word document (python-docx): the same sections as the PDF, text in
Unicode as written (the reader's fonts draw it; DejaVu Sans is named as the font)."""

from __future__ import annotations

from io import BytesIO

from docx import Document as new_docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt, RGBColor

from invoicing.documents.layout import LINE_HEADERS, Document

FONT = "DejaVu Sans"


def render_docx(document: Document) -> bytes:
    doc = new_docx()
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10)
    doc.add_heading(document.title, level=0)
    if document.banner:
        run = doc.add_paragraph().add_run(document.banner)
        run.bold = True
        run.font.color.rgb = RGBColor(0xC8, 0, 0)
    facts = doc.add_table(rows=0, cols=2)
    for label, value in document.facts:
        cells = facts.add_row().cells
        cells[0].text, cells[1].text = label, value
    parties = doc.add_table(rows=1, cols=2)
    for cell, (heading, lines) in zip(
        parties.rows[0].cells, (("From", document.seller), ("Bill to", document.buyer)), strict=True
    ):
        cell.paragraphs[0].add_run(heading).bold = True
        for text in lines:
            cell.add_paragraph(text)
    doc.add_paragraph()
    table = doc.add_table(rows=1, cols=len(LINE_HEADERS))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, LINE_HEADERS, strict=True):
        cell.paragraphs[0].add_run(text).bold = True
    for line in document.lines:
        cells = table.add_row().cells
        for index, (cell, text) in enumerate(zip(cells, line, strict=True)):
            cell.text = text
            if index:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph()
    totals = doc.add_table(rows=0, cols=2)
    for label, value in document.totals:
        cells = totals.add_row().cells
        cells[0].text, cells[1].text = label, value
        cells[1].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if label.startswith("Total"):
            for cell in cells:
                for run in cell.paragraphs[0].runs:
                    run.bold = True
    if document.notes:
        doc.add_paragraph(document.notes)
    out = BytesIO()
    doc.save(out)
    return out.getvalue()
