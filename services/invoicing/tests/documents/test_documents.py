"""Invoice documents, read back as a customer's software would (pypdf, python-docx): the PDF
and the DOCX open and carry the number, the customer's name as written and the total; they
print the snapshot taken at issue; a void one says VOID; a draft says DRAFT; bad formats 422."""

from __future__ import annotations

import io

from docx import Document
from pypdf import PdfReader

from tests.conftest import Books, line

NAME = "Zoë Łukasiewicz-Ødegård"


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


async def download(books: Books, invoice_id: str, file_format: str) -> bytes:
    response = await books.client.get(
        f"/api/invoices/{invoice_id}/download",
        params={"file_format": file_format},
        headers=books.admin,
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-disposition"].endswith(f'.{file_format}"')
    return response.content


async def test_the_pdf_and_docx_carry_number_customer_and_total(books: Books) -> None:
    invoice = await books.issued(
        lines=[line("129.00", tax_rate="8.75", description="Écran iPhone 13 — Дисплей")]
    )
    assert invoice["customer_name"] == NAME
    pdf = await download(books, invoice["id"], "pdf")
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    for expected in (invoice["number"], NAME, "140.29", "Écran iPhone 13 — Дисплей", "Manhattan"):
        assert expected in text, expected
    word = docx_text(await download(books, invoice["id"], "docx"))
    for expected in (invoice["number"], NAME, "140.29", "Дисплей"):
        assert expected in word, expected


async def test_documents_print_the_invoice_as_issued_and_mark_a_void(books: Books) -> None:
    invoice = await books.issued(lines=[line("50.00")], notes="Printed note")
    await books.client.patch(
        f"/api/invoices/{invoice['id']}", json={"notes": "Changed later"}, headers=books.admin
    )
    await books.client.post(
        f"/api/invoices/{invoice['id']}/void", json={"reason": "Billed twice"}, headers=books.admin
    )
    text = pdf_text(await download(books, invoice["id"], "pdf"))
    assert "Printed note" in text and "Changed later" not in text
    assert "VOID — Billed twice" in text and invoice["number"] in text


async def test_a_draft_prints_as_a_draft(books: Books) -> None:
    draft = await books.draft(lines=[line("10.00")])
    text = docx_text(await download(books, draft["id"], "docx"))
    assert "DRAFT" in text and "(given at issue)" in text


async def test_an_unknown_format_is_refused(books: Books) -> None:
    invoice = await books.issued()
    response = await books.client.get(
        f"/api/invoices/{invoice['id']}/download",
        params={"file_format": "exe"},
        headers=books.admin,
    )
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "file_format"
