"""The receipt as a PDF on an 80 mm till roll (fpdf2): the same sections as the text receipt,
amounts flush right, a red VOID banner on a voided sale, and a page as long as the receipt
(drawn once to measure it, then for real). fpdf2's core fonts know Latin-1 only, so any
other character prints as '?'."""

from __future__ import annotations

from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos

from pos.receipts import printed
from pos.receipts.printed import Row
from pos.receipts.schemas import ReceiptOut

PAGE_WIDTH = 80.0  # mm: the till roll
MARGIN = 4.0
LINE = 3.8  # mm per line at 8 pt
INDENT = 3.0
LONGEST_PAGE = 1000.0  # mm; a longer receipt goes on to further pages
FONT = "Helvetica"


def latin1(text: str) -> str:
    return text.encode("latin-1", "replace").decode("latin-1")


def fit(pdf: FPDF, text: str, width: float) -> str:
    """``text`` cut short until it fits ``width`` (with the cell's own padding)."""
    text = latin1(text)
    while text and pdf.get_string_width(text) + 2 * pdf.c_margin > width:
        text = text[:-1]
    return text


def rule(pdf: FPDF) -> None:
    y = pdf.get_y() + LINE / 3
    pdf.line(pdf.l_margin, y, pdf.l_margin + pdf.epw, y)
    pdf.set_y(y + LINE / 3)


def centred(pdf: FPDF, text: str, size: float = 8, style: str = "") -> None:
    pdf.set_font(FONT, style, size)
    pdf.multi_cell(
        0, LINE * size / 8, latin1(text), align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )


def row(pdf: FPDF, content: Row, indent: float = 0, style: str = "") -> None:
    """The label (wrapped), the value flush right on its last line."""
    pdf.set_font(FONT, style, 8)
    right_width = 0.0
    if content.right:
        right_width = min(
            pdf.get_string_width(latin1(content.right)) + 2 * pdf.c_margin, pdf.epw * 0.6
        )
    pdf.set_x(pdf.l_margin + indent)
    pdf.multi_cell(
        pdf.epw - indent - right_width,
        LINE,
        latin1(content.left),
        align=Align.L,
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    if content.right:
        below = pdf.get_y()
        pdf.set_xy(pdf.l_margin + pdf.epw - right_width, below - LINE)
        pdf.cell(right_width, LINE, fit(pdf, content.right, right_width), align=Align.R)
        pdf.set_xy(pdf.l_margin, below)


def void_banner(pdf: FPDF) -> None:
    pdf.set_text_color(200, 0, 0)
    pdf.set_font(FONT, "B", 16)
    pdf.cell(0, 9, printed.VOID, border=1, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(0, 0, 0)


def draw(receipt: ReceiptOut, height: float) -> FPDF:
    pdf = FPDF(unit="mm", format=(PAGE_WIDTH, height))
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, MARGIN)
    pdf.set_title(latin1(f"Receipt {receipt.receipt_number}"))
    pdf.set_creator("Shopfloor POS")
    pdf.add_page()
    name, *rest = printed.header(receipt)
    centred(pdf, name, 11, "B")
    for part in rest:
        centred(pdf, part)
    rule(pdf)
    voided = receipt.status == "voided"
    if voided:
        void_banner(pdf)
    for content in printed.particulars(receipt):
        row(pdf, content)
    rule(pdf)
    for item in printed.items(receipt):
        row(pdf, Row(item.title))
        row(pdf, item.row, indent=INDENT)
    rule(pdf)
    *sums, total = printed.totals(receipt)
    for content in sums:
        row(pdf, content)
    row(pdf, total, style="B")
    rule(pdf)
    for content in printed.payments(receipt):
        row(pdf, content)
    rule(pdf)
    if voided:
        void_banner(pdf)
        for notice in printed.void_notice(receipt):
            row(pdf, Row(notice))
    centred(pdf, printed.FAREWELL)
    return pdf


def render(receipt: ReceiptOut) -> bytes:
    measured = draw(receipt, LONGEST_PAGE)
    if measured.page == 1:
        height = measured.get_y() + 2 * MARGIN
        return bytes(draw(receipt, height).output())
    return bytes(measured.output())
