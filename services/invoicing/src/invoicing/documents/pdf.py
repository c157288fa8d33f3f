"""An invoice as a PDF (fpdf2, A4), in DejaVu Sans so every name prints as written
(Łukasiewicz, Ødegård, Дмитрий), not as the '?' of the core Latin-1 fonts."""

from __future__ import annotations

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from invoicing.documents.layout import BOLD, LINE_HEADERS, REGULAR, Document

FONT = "DejaVu"
WIDTHS = (78.0, 16.0, 24.0, 18.0, 16.0, 28.0)  # mm, 180 in all


def render_pdf(document: Document) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_font(FONT, "", str(REGULAR))
    pdf.add_font(FONT, "B", str(BOLD))
    pdf.set_title(f"{document.title} {document.facts[0][1]}")
    pdf.add_page()
    pdf.set_font(FONT, "B", 18)
    pdf.cell(0, 10, document.title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if document.banner:
        pdf.set_text_color(200, 0, 0)
        pdf.set_font(FONT, "B", 12)
        pdf.multi_cell(0, 7, document.banner, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(0, 0, 0)
    pdf.ln(2)
    pdf.set_font(FONT, "", 10)
    for label, value in document.facts:
        pdf.cell(40, 6, label)
        pdf.cell(0, 6, value, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    _parties(pdf, document)
    pdf.ln(4)
    _lines(pdf, document)
    pdf.ln(3)
    for label, value in document.totals:
        last = label.startswith("Total")
        pdf.set_font(FONT, "B" if last else "", 11 if last else 10)
        pdf.cell(WIDTHS[0] + sum(WIDTHS[1:5]) - 40, 6, "")
        pdf.cell(40 + 0.0, 6, label, align="R")
        pdf.cell(WIDTHS[5], 6, value, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if document.notes:
        pdf.ln(4)
        pdf.set_font(FONT, "", 9)
        pdf.multi_cell(0, 5, document.notes, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())


def _parties(pdf: FPDF, document: Document) -> None:
    top = pdf.get_y()
    half = pdf.epw / 2
    for column, (heading, lines) in enumerate(
        (("From", document.seller), ("Bill to", document.buyer))
    ):
        pdf.set_xy(pdf.l_margin + column * half, top)
        pdf.set_font(FONT, "B", 10)
        pdf.cell(half, 6, heading, new_x=XPos.LEFT, new_y=YPos.NEXT)
        pdf.set_font(FONT, "", 10)
        for text in lines:
            pdf.set_x(pdf.l_margin + column * half)
            pdf.multi_cell(half - 4, 5, text, new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_x(pdf.l_margin)


def _lines(pdf: FPDF, document: Document) -> None:
    pdf.set_font(FONT, "", 9)
    with pdf.table(
        col_widths=WIDTHS,
        text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"),
        line_height=5.5,
        first_row_as_headings=True,
    ) as table:
        header = table.row()
        for text in LINE_HEADERS:
            header.cell(text)
        for line in document.lines:
            row = table.row()
            for text in line:
                row.cell(text)
