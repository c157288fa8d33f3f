"""Each report against a hand-computed February 2026, sold through the POS path (the code
``pos.sale.completed`` runs) at chosen instants:

- S1, New York, 04:59 UTC on 10 Feb = 23:59 on 9 Feb at the store (EST): screen 100.00 + 8.75 %
  tax = 108.75, card. Customer CUS-000042.
- S2, New York, 15:00 UTC on 10 Feb: two cases at 25.00 + 8.75 % = 54.38, cash. CUS-000042.
- S3, Kiritimati (UTC+14), 10:30 UTC on 9 Feb = 00:30 on 10 Feb there: screen 100.00, no tax,
  card. A walk-in.
- S4, New York, 16 Feb (the next ISO week): battery 60.00 + 8.75 % = 65.25, card, CUS-000042 —
  then voided (its payment reversed today).

By UTC dates S1 and S3 would swap days: the rows below only hold in the stores' calendars."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update

from common.roles import Role
from invoicing.events.contracts import SaleCompleted
from invoicing.models import Invoice
from invoicing.sales.service import SaleInvoicing
from tests.conftest import CUSTOMER, CUSTOMER_NAME, CUSTOMER_NUMBER, STORE_A, STORE_K, Books, line

FEBRUARY = {"date_from": "2026-02-01", "date_to": "2026-02-28"}
A, K = str(STORE_A), str(STORE_K)


def sold(
    store: uuid.UUID,
    at: str,
    name: str,
    sku: str,
    quantity: str,
    price: str,
    rate: str,
    total: str,
    method: str,
    customer: str | None,
) -> SaleCompleted:
    return SaleCompleted.model_validate(
        {
            "sale_id": str(uuid.uuid4()),
            "receipt_number": f"R-{sku}-{at[:10]}",
            "store_id": str(store),
            "customer_number": customer,
            "currency": "USD",
            "lines": [{"sku": sku, "name": name, "quantity": quantity, "unit_price": price}],
            "tax_rate": rate,
            "total": total,
            "payments": [{"method": method, "amount": total}],
            "completed_at": at,
        }
    )


async def sell_february(books: Books) -> dict[str, SaleCompleted]:
    sales = {
        "S1": sold(STORE_A, "2026-02-10T04:59:00+00:00", "Screen", "SCR", "1", "100.00", "0.0875", "108.75", "card", CUSTOMER_NUMBER),
        "S2": sold(STORE_A, "2026-02-10T15:00:00+00:00", "Case", "CASE", "2", "25.00", "0.0875", "54.38", "cash", CUSTOMER_NUMBER),
        "S3": sold(STORE_K, "2026-02-09T10:30:00+00:00", "Screen", "SCR", "1", "100.00", "0", "100.00", "card", None),
        "S4": sold(STORE_A, "2026-02-16T12:00:00+00:00", "Battery", "BAT", "1", "60.00", "0.0875", "65.25", "card", CUSTOMER_NUMBER),
    }  # fmt: skip
    for sale in sales.values():
        async with books.database.session() as session:
            await SaleInvoicing.for_event(session, None).invoice_sale(sale)
    async with books.database.session() as session:
        await SaleInvoicing.for_event(session, None).void_sale(
            sales["S4"].sale_id, "Wrong battery", datetime.now(ZoneInfo("UTC"))
        )
    return sales


@pytest.fixture
async def february(books: Books) -> Books:
    await sell_february(books)
    return books


async def report(books: Books, name: str, **params: str) -> dict[str, Any]:
    response = await books.client.get(f"/api/reports/{name}", params=params, headers=books.admin)
    assert response.status_code == 200, response.text
    return dict(response.json())


def rows(body: dict[str, Any], key: str, *fields: str) -> list[tuple[Any, ...]]:
    return [tuple(row[field] for field in fields) for row in body[key]]


async def test_revenue_counts_each_sale_on_its_stores_day(february: Books) -> None:
    body = await report(february, "revenue", **FEBRUARY)
    assert rows(
        body, "rows", "period", "store_code", "invoices", "net", "tax", "total", "paid"
    ) == [
        ("2026-02-09", "NYC-01", 1, "100.00", "8.75", "108.75", "108.75"),
        ("2026-02-10", "KIR-01", 1, "100.00", "0.00", "100.00", "100.00"),
        ("2026-02-10", "NYC-01", 1, "50.00", "4.38", "54.38", "54.38"),
    ]
    assert body["totals"] == [
        {
            "currency": "USD",
            "invoices": 3,
            "total": "263.13",
            "paid": "263.13",
            "outstanding": "0.00",
        }
    ]
    weekly = await report(february, "revenue", group_by="week", **FEBRUARY)
    assert rows(weekly, "rows", "period", "store_code", "invoices", "total") == [
        ("2026-02-09", "KIR-01", 1, "100.00"),
        ("2026-02-09", "NYC-01", 2, "163.13"),
    ]
    one_day = await report(february, "revenue", date_from="2026-02-09", date_to="2026-02-09")
    assert rows(one_day, "rows", "store_code", "total") == [("NYC-01", "108.75")]


async def test_revenue_as_csv(february: Books) -> None:
    response = await february.client.get(
        "/api/reports/revenue", params={"format": "csv", **FEBRUARY}, headers=february.admin
    )
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(response.text)))
    assert [(row["period"], row["store_code"], row["total"]) for row in table] == [
        ("2026-02-09", "NYC-01", "108.75"),
        ("2026-02-10", "KIR-01", "100.00"),
        ("2026-02-10", "NYC-01", "54.38"),
    ]
    bad = await february.client.get(
        "/api/reports/revenue", params={"format": "xls"}, headers=february.admin
    )
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "format"


async def test_kpi_dashboard(february: Books) -> None:
    [kpis] = (await report(february, "kpi-dashboard", **FEBRUARY))["kpis"]
    assert kpis == {
        "currency": "USD",
        "invoices_issued": 3,
        "revenue": "263.13",
        "tax": "13.13",
        "average_invoice": "87.71",
        "paid_invoices": 3,
        "collected": "263.13",
        "outstanding": "0.00",
        "overdue_invoices": 0,
        "overdue_amount": "0.00",
        "voided_invoices": 1,
    }


async def test_invoice_status_and_the_sequence_integrity(february: Books) -> None:
    body = await report(february, "invoice-status", **FEBRUARY)
    assert rows(body, "statuses", "status", "invoices", "total", "balance") == [
        ("paid", 3, "263.13", "0.00"),
        ("void", 1, "65.25", "0.00"),
    ]
    by_store = {item["store_code"]: item for item in body["sequence_integrity"]}
    assert set(by_store) == {"NYC-01", "KIR-01"}
    nyc = by_store["NYC-01"]
    assert (nyc["year"], nyc["counter"], nyc["issued"], nyc["gaps"], nyc["intact"]) == (
        2026,
        3,
        3,
        [],
        True,
    )
    assert (nyc["first_number"], nyc["last_number"]) == (
        "INV-NYC-01-2026-000001",
        "INV-NYC-01-2026-000003",
    )
    assert [(void["number"], void["reason"]) for void in nyc["voids"]] == [
        ("INV-NYC-01-2026-000003", "POS sale voided: Wrong battery")
    ]
    assert by_store["KIR-01"]["counter"] == 1 and by_store["KIR-01"]["intact"]


async def test_monthly_invoices(february: Books) -> None:
    body = await report(february, "monthly-invoices", **FEBRUARY)
    assert rows(
        body, "months", "month", "store_code", "issued", "paid", "voided", "total", "outstanding"
    ) == [
        ("2026-02-01", "KIR-01", 1, 1, 0, "100.00", "0.00"),
        ("2026-02-01", "NYC-01", 2, 2, 1, "163.13", "0.00"),
    ]


async def test_cash_flow_received_by_payment_day_reversed_by_void_day(february: Books) -> None:
    body = await report(february, "cash-flow", **FEBRUARY)
    assert rows(body, "rows", "period", "store_code", "method", "received", "reversed", "net") == [
        ("2026-02-09", "NYC-01", "card", "108.75", "0.00", "108.75"),
        ("2026-02-10", "KIR-01", "card", "100.00", "0.00", "100.00"),
        ("2026-02-10", "NYC-01", "cash", "54.38", "0.00", "54.38"),
        ("2026-02-16", "NYC-01", "card", "65.25", "0.00", "65.25"),
    ]
    today = datetime.now(ZoneInfo("America/New_York")).date().isoformat()
    everything = await report(february, "cash-flow", store=A)
    assert ("2026-02-16", "65.25", "0.00") in rows(
        everything, "rows", "period", "received", "reversed"
    )
    assert (today, "0.00", "65.25") in rows(everything, "rows", "period", "received", "reversed")


async def test_customer_lifetime_value(february: Books) -> None:
    body = await report(february, "customer-ltv", **FEBRUARY)
    assert body["customers"] == [
        {
            "customer_number": CUSTOMER_NUMBER,
            "customer_id": CUSTOMER,
            "name": CUSTOMER_NAME,
            "currency": "USD",
            "invoices": 2,
            "total": "163.13",
            "paid": "163.13",
            "outstanding": "0.00",
            "average_invoice": "81.57",
            "first_invoice": "2026-02-09",
            "last_invoice": "2026-02-10",
        }
    ]


async def test_product_revenue_and_demand(february: Books) -> None:
    revenue = await report(february, "product-revenue", **FEBRUARY)
    assert rows(revenue, "products", "sku", "quantity", "net", "lines") == [
        ("SCR", "2.000", "200.00", 2),
        ("CASE", "2.000", "50.00", 1),
    ]
    demand = await report(february, "product-demand", **FEBRUARY)
    assert rows(demand, "rows", "period", "sku", "quantity") == [
        ("2026-02-09", "SCR", "1.000"),
        ("2026-02-10", "CASE", "2.000"),
        ("2026-02-10", "SCR", "1.000"),
    ]
    top_one = await report(february, "product-demand", limit="1", **FEBRUARY)
    assert {row["sku"] for row in top_one["rows"]} == {"CASE"}  # 2 each: the tie goes by SKU


async def test_a_branch_head_sees_only_their_stores(february: Books) -> None:
    head = february.staff(Role.branch_head, STORE_A)
    response = await february.client.get("/api/reports/revenue", params=FEBRUARY, headers=head)
    assert {row["store_code"] for row in response.json()["rows"]} == {"NYC-01"}
    refused = await february.client.get(
        "/api/reports/revenue", params={"store": K, **FEBRUARY}, headers=head
    )
    assert refused.status_code == 403


async def test_open_and_overdue_amounts(books: Books) -> None:
    late = await books.issued(lines=[line("80.00")])
    await books.pay(late["id"], "30.00")
    async with books.database.session() as session:
        await session.execute(
            update(Invoice)
            .where(Invoice.id == uuid.UUID(late["id"]))
            .values(invoice_date="2026-01-02", due_date="2026-01-16")
        )
    [kpis] = (await report(books, "kpi-dashboard"))["kpis"]
    assert (kpis["outstanding"], kpis["overdue_invoices"], kpis["overdue_amount"]) == (
        "50.00",
        1,
        "50.00",
    )
    statuses = await report(books, "invoice-status")
    assert rows(statuses, "statuses", "status", "balance") == [("overdue", "50.00")]


async def test_bad_report_filters_are_named(books: Books) -> None:
    for params, field in (
        ({"date_from": "2026-02-30"}, "date_from"),
        ({"date_to": "0"}, "date_to"),
        ({"date_from": "0.5"}, "date_from"),
        ({"date_from": "2026-03-01", "date_to": "2026-02-01"}, "date_from"),
        ({"group_by": "year"}, "group_by"),
        ({"store": str(uuid.uuid4())}, "store"),
    ):
        response = await books.client.get(
            "/api/reports/revenue", params=params, headers=books.admin
        )
        assert response.status_code == 422, (params, response.text)
        assert response.json()["detail"][0]["field"] == field, response.text


async def test_sums_outgrow_the_largest_amount_of_one_invoice(books: Books) -> None:
    for _ in range(2):  # each as large as an invoice may be, together more
        await books.issued(lines=[line("6000000000.00")])
    [kpis] = (await report(books, "kpi-dashboard"))["kpis"]
    assert (kpis["revenue"], kpis["outstanding"]) == ("12000000000.00", "12000000000.00")
    revenue = await report(books, "revenue")
    assert rows(revenue, "totals", "currency", "total") == [("USD", "12000000000.00")]
    [customer] = (await report(books, "customer-ltv"))["customers"]
    assert customer["total"] == "12000000000.00"
