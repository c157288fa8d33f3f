"""Receipts: a sale found by its receipt number (any case), only in the caller's stores, as
JSON, as 80-column text in the store's time zone, and as a PDF."""

from __future__ import annotations

import re
import uuid
import zlib
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import update

from pos.carts.models import Cart, CartLine
from pos.shops.models import Store
from tests.till import STORE_A, STORE_B, Till

# 2026-02-11 04:30 UTC is 23:30 the evening before in New York (EST, UTC-5).
SOLD_AT = datetime(2026, 2, 11, 4, 30, tzinfo=UTC)


def pdf_text(document: bytes) -> str:
    """The strings a PDF shows (fpdf2 deflates its page streams)."""
    shown = []
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", document, re.S):
        try:
            content = zlib.decompress(stream.group(1)).decode("latin-1")
        except zlib.error:
            continue
        shown += re.findall(r"\((.*?)\) Tj", content)
    return "\n".join(shown)


async def a_cash_sale(till: Till) -> dict[str, Any]:
    """Store A (8.75 % tax): a phone and three cases, paid 500.00 in cash, sold at SOLD_AT."""
    async with till.database.session() as session:
        await session.execute(
            update(Store)
            .where(Store.id == STORE_A)
            .values(address="350 5th Ave\nNew York, NY 10118", phone="+1 212 555 0100")
        )
    await till.unit("ITM-000001", "379.00")
    await till.article("CASE-1", "19.99")
    drawer = await till.drawer("100.00")
    sale = await till.sell(
        drawer,
        "ITM-000001",
        "CASE-1",
        "CASE-1",
        "CASE-1",
        payment_method="cash",
        cash_tendered="500.00",
    )
    async with till.database.session() as session:
        await session.execute(
            update(Cart).where(Cart.id == uuid.UUID(sale["id"])).values(completed_at=SOLD_AT)
        )
    return sale


async def test_a_receipt_is_found_by_its_number_in_any_case(till: Till) -> None:
    sale = await a_cash_sale(till)
    number = sale["receipt_number"]
    found = await till.client.get(
        "/api/pos/receipts", params={"receipt_number": number.lower()}, headers=till.cashier()
    )
    assert found.status_code == 200, found.text
    assert found.json()["count"] == 1
    receipt = found.json()["results"][0]
    assert receipt["receipt_number"] == number and receipt["sale_id"] == sale["id"]
    assert receipt["status"] == "completed"
    assert receipt["store"] == {
        "id": str(STORE_A),
        "code": "NYC-01",
        "name": "Manhattan",
        "address": "350 5th Ave\nNew York, NY 10118",
        "phone": "+1 212 555 0100",
        "time_zone": "America/New_York",
    }
    assert (receipt["register_code"], receipt["cashier_id"]) == ("REG-1", "cashier-1")
    assert [(line["sku"], line["quantity"], line["line_total"]) for line in receipt["lines"]] == [
        ("ITM-000001", "1.000", "379.00"),
        ("CASE-1", "3.000", "59.97"),
    ]
    # 379.00 + 3 x 19.99 = 438.97; tax 8.75 % = 38.409875 → 38.41; total 477.38
    assert (receipt["subtotal"], receipt["tax_total"], receipt["total"]) == (
        "438.97",
        "38.41",
        "477.38",
    )
    assert receipt["payments"] == [{"method": "cash", "amount": "477.38", "tendered": "500.00"}]
    assert receipt["change_due"] == "22.62"  # 500.00 - 477.38
    assert receipt["completed_at"] == "2026-02-11T04:30:00Z"

    one = await till.client.get(f"/api/pos/receipts/{number.lower()}", headers=till.cashier())
    assert one.status_code == 200 and one.json() == receipt

    missing = await till.client.get("/api/pos/receipts/NYC-01-1999-000001", headers=till.head())
    assert missing.status_code == 404
    assert missing.json() == {"detail": "No receipt NYC-01-1999-000001."}
    none = await till.client.get(
        "/api/pos/receipts", params={"receipt_number": "NOPE-1"}, headers=till.cashier()
    )
    assert none.status_code == 200 and none.json()["count"] == 0


async def test_another_stores_receipt_is_not_shown(till: Till) -> None:
    number = (await a_cash_sale(till))["receipt_number"]
    store_b = till.cashier(user="cashier-b", store=STORE_B)
    listed = await till.client.get(
        "/api/pos/receipts", params={"receipt_number": number}, headers=store_b
    )
    assert listed.status_code == 200 and listed.json()["count"] == 0
    for suffix in ("", "/text", "/pdf"):
        refused = await till.client.get(f"/api/pos/receipts/{number}{suffix}", headers=store_b)
        assert refused.status_code == 403, suffix
        assert "own store" in refused.json()["detail"]
    customer = till.auth_headers("customer", user_id="c-1", stores=[str(STORE_A)])
    assert (await till.client.get("/api/pos/receipts", headers=customer)).status_code == 403
    assert (await till.client.get("/api/pos/receipts")).status_code == 401


async def test_the_text_receipt_fits_80_columns_in_the_stores_time(till: Till) -> None:
    async with till.database.session() as session:
        await session.execute(
            update(Store).where(Store.id == STORE_A).values(name="Manhattan " * 12)
        )
    sale = await a_cash_sale(till)
    number = sale["receipt_number"]
    async with till.database.session() as session:
        await session.execute(
            update(Cart)
            .where(Cart.id == uuid.UUID(sale["id"]))
            .values(customer_number="CUS-42", cashier_id="a-cashier-with-a-long-id-" + "x" * 39)
        )
        await session.execute(
            update(CartLine)
            .where(CartLine.cart_id == uuid.UUID(sale["id"]), CartLine.line_no == 1)
            .values(name="iPhone 13 128GB " * 10 + "Supercalifragilistic" * 5)
        )
    response = await till.client.get(f"/api/pos/receipts/{number}/text", headers=till.cashier())
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    lines = response.text.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert max(len(line) for line in lines) == 80  # rules run the full width
    assert lines[0].strip().startswith("Manhattan")
    text = response.text
    assert f"Receipt {number}" in text
    assert "2026-02-10 23:30 EST" in text  # SOLD_AT in New York, the day before in UTC
    assert "350 5th Ave" in text and "Tel. +1 212 555 0100" in text
    assert "Customer CUS-42" in text
    assert "ITM-000001 iPhone 13 128GB" in text and "Supercalifragilistic" in text
    # amounts flush right at column 80
    assert any(line.startswith("Subtotal") and line.endswith(" 438.97") for line in lines)
    assert any(line.startswith("Tax 8.75%") and line.endswith(" 38.41") for line in lines)
    assert any(line.startswith("TOTAL USD") and line.endswith(" 477.38") for line in lines)
    assert any(line.strip().startswith("3 x 19.99") and line.endswith(" 59.97") for line in lines)
    assert any(
        line.startswith("Cash (tendered 500.00)") and line.endswith(" 477.38") for line in lines
    )
    assert any(line.startswith("Change") and line.endswith(" 22.62") for line in lines)
    assert "VOID" not in text


async def test_a_voided_sale_prints_void(till: Till) -> None:
    sale = await a_cash_sale(till)
    voided = await till.client.post(
        f"/api/pos/carts/{sale['id']}/void", json={"reason": "Wrong phone"}, headers=till.head()
    )
    assert voided.status_code == 200, voided.text
    number = sale["receipt_number"]
    listed = await till.client.get(
        "/api/pos/receipts", params={"receipt_number": number}, headers=till.cashier()
    )
    receipt = listed.json()["results"][0]
    assert (receipt["status"], receipt["void_reason"], receipt["voided_by"]) == (
        "voided",
        "Wrong phone",
        "head-1",
    )
    text = (await till.client.get(f"/api/pos/receipts/{number}/text", headers=till.head())).text
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert any(line.startswith("*") and line.strip("* ") == "VOID" for line in lines)
    assert "Reason: Wrong phone" in text and "by head-1" in text
    assert "477.38" in text
    pdf = await till.client.get(f"/api/pos/receipts/{number}/pdf", headers=till.head())
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    shown = pdf_text(pdf.content).splitlines()
    assert shown.count("VOID") == 2 and "Reason: Wrong phone" in shown


async def test_the_pdf_receipt(till: Till) -> None:
    async with till.database.session() as session:
        await session.execute(
            update(Store).where(Store.id == STORE_A).values(name="Café ☕ 漢字 Manhattan")
        )
    number = (await a_cash_sale(till))["receipt_number"]
    response = await till.client.get(f"/api/pos/receipts/{number}/pdf", headers=till.cashier())
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert number in response.headers["content-disposition"]
    assert response.content.startswith(b"%PDF") and response.content.rstrip().endswith(b"%%EOF")
    shown = pdf_text(response.content)
    assert "Caf\xe9 ? ?? Manhattan" in shown  # Latin-1 kept, the rest as '?'
    assert f"Receipt {number}" in shown and "2026-02-10 23:30 EST" in shown
    for amount in ("438.97", "38.41", "477.38", "22.62"):
        assert amount in shown.splitlines(), amount
    missing = await till.client.get("/api/pos/receipts/NYC-01-1999-9/pdf", headers=till.head())
    assert missing.status_code == 404 and "NYC-01-1999-9" in missing.json()["detail"]
