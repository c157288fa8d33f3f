"""Invoices through the API: drafts with their totals, bad input refused naming the field with
nothing written, issue takes the number and freezes the lines, overdue is read from the due
date in the store's calendar, drafts are deleted and issued ones never, lists filter."""

from __future__ import annotations

import time
import uuid
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update

from common.testing.helpers import read_events
from invoicing.models import Invoice, InvoiceLine
from tests.conftest import CUSTOMER, CUSTOMER_NAME, CUSTOMER_NUMBER, STORE_A, STORE_B, Books, line


def today_in_new_york() -> date:
    return datetime.now(ZoneInfo("America/New_York")).date()


async def stored_invoices(books: Books) -> tuple[int, int]:
    async with books.database.session() as session:
        invoices = await session.scalar(select(func.count()).select_from(Invoice))
        lines = await session.scalar(select(func.count()).select_from(InvoiceLine))
    return int(invoices or 0), int(lines or 0)


async def test_a_draft_carries_its_lines_totals_and_customer(books: Books) -> None:
    draft = await books.draft(
        lines=[
            line("129.00", discount_percent="10", tax_rate="8.75", sku="IP13-SCR"),
            line("19.99", quantity="2", tax_rate="8.75"),
        ],
        discount_percent="5",
    )
    # nets 116.10 + 39.98 = 156.08; 5 % = 7.80; tax 8.75 % of 148.28 = 12.97
    assert (draft["subtotal"], draft["discount_total"], draft["tax_total"], draft["total"]) == (
        "156.08",
        "7.80",
        "12.97",
        "161.25",
    )
    assert [item["net"] for item in draft["lines"]] == ["116.10", "39.98"]
    assert (draft["status"], draft["number"], draft["invoice_date"]) == ("draft", None, None)
    assert (draft["customer_number"], draft["customer_name"]) == (CUSTOMER_NUMBER, CUSTOMER_NAME)
    assert draft["balance"] == "0.00"


BAD: list[tuple[str, dict[str, Any], str]] = [
    ("negative quantity", {"lines": [line(quantity="-1")]}, "lines.0.quantity"),
    ("negative price", {"lines": [line("-5.00")]}, "lines.0.unit_price"),
    (
        "discount over 100 %",
        {"lines": [line(discount_percent="100.01")]},
        "lines.0.discount_percent",
    ),
    ("tax rate under 0", {"lines": [line(tax_rate="-1")]}, "lines.0.tax_rate"),
    ("tax rate over 100 %", {"lines": [line(tax_rate="101")]}, "lines.0.tax_rate"),
    ("invoice discount over 100 %", {"discount_percent": "150"}, "discount_percent"),
    ("a price with three decimals", {"lines": [line("1.005")]}, "lines.0.unit_price"),
    ("a due date that is no date", {"due_date": "2026-02-30"}, "due_date"),
    ("a due date that is a number", {"due_date": 0}, "due_date"),
    ("a due date with a time", {"due_date": "2026-12-15T00:00:00"}, "due_date"),
    ("issue as a number", {"issue": 1}, "issue"),
    ("a quantity of zero", {"lines": [line(quantity="0")]}, "lines.0.quantity"),
    ("a line no amount holds", {"lines": [line("9999999999.99", quantity="2")]}, "lines.0"),
    (
        "an invoice no amount holds",
        {"lines": [line("6000000000.00"), line("6000000000.00")]},
        "lines",
    ),
    ("a currency that is no code", {"currency": "dollars"}, "currency"),
    ("a currency with three decimals", {"currency": "KWD"}, "currency"),
    ("an unknown store", {"store_id": str(uuid.uuid4())}, "store_id"),
    ("an unknown customer", {"customer_id": "nobody"}, "customer_id"),
    ("an unknown field", {"status": "paid"}, "status"),
]


async def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(books: Books) -> None:
    for case, change, field in BAD:
        body = {"store_id": str(STORE_A), "customer_id": CUSTOMER, "lines": [line()], **change}
        response = await books.client.post("/api/invoices", json=body, headers=books.admin)
        assert response.status_code == 422, (case, response.text)
        assert field in [error["field"] for error in response.json()["detail"]], (
            case,
            response.text,
        )
        assert await stored_invoices(books) == (0, 0), case


async def test_edits_and_lists_refuse_bad_fields_naming_them_and_change_nothing(
    books: Books,
) -> None:
    draft = await books.draft(due_date="2026-12-15")
    for change, field in (
        ({"due_date": 0}, "due_date"),
        ({"due_date": "2026-12-15T00:00:00"}, "due_date"),
        ({"lines": [line(quantity="-1")]}, "lines.0.quantity"),
        ({"lines": [line("9999999999.99", quantity="2")]}, "lines.0"),
        ({"discount_percent": "100.01"}, "discount_percent"),
        ({"customer_id": "nobody"}, "customer_id"),
        ({"currency": "KWD"}, "currency"),
    ):
        edited = await books.client.patch(
            f"/api/invoices/{draft['id']}", json=change, headers=books.admin
        )
        assert edited.status_code == 422, (change, edited.text)
        assert field in [error["field"] for error in edited.json()["detail"]], edited.text
    assert await books.invoice(draft["id"]) == draft
    for url, params, field in (
        ("/api/invoices", {"date_to": "0"}, "date_to"),
        ("/api/invoices", {"date_from": "0.5"}, "date_from"),
        ("/api/invoices/propose", {"store": str(STORE_A), "invoice_date": "0"}, "invoice_date"),
    ):
        read = await books.client.get(url, params=params, headers=books.admin)
        assert read.status_code == 422, (url, params, read.text)
        assert read.json()["detail"][0]["field"] == field, read.text


async def test_a_customer_and_a_walk_in_at_once_is_refused(books: Books) -> None:
    body = {"store_id": str(STORE_A), "customer_id": CUSTOMER, "customer_name": "Bob"}
    response = await books.client.post("/api/invoices", json=body, headers=books.admin)
    assert response.status_code == 422
    assert "customer_id or customer_name" in response.text


async def test_issuing_takes_the_number_dates_it_today_at_the_store_and_announces_it(
    books: Books, nats_url: str
) -> None:
    since = time.time()
    draft = await books.draft(lines=[line("50.00", tax_rate="10")])
    issued = await books.issue(draft["id"])
    assert issued.status_code == 200, issued.text
    body = issued.json()
    year = today_in_new_york().year
    assert body["number"] == f"INV-NYC-01-{year}-000001"
    assert body["status"] == "issued" and body["invoice_date"] == today_in_new_york().isoformat()
    assert body["due_date"] == (today_in_new_york() + timedelta(days=14)).isoformat()
    assert body["balance"] == "55.00"
    [event] = await read_events(nats_url, "invoicing.invoice.issued", since=since)
    assert (event.data["number"], event.data["total"], event.data["source"]) == (
        body["number"],
        "55.00",
        "manual",
    )


async def test_an_issued_invoices_lines_are_fixed_but_its_notes_may_change(books: Books) -> None:
    issued = await books.issued()
    refused = await books.client.patch(
        f"/api/invoices/{issued['id']}", json={"lines": [line("1.00")]}, headers=books.admin
    )
    assert refused.status_code == 409
    assert "lines cannot change once issued" in refused.json()["detail"]
    assert (await books.invoice(issued["id"]))["total"] == "100.00"
    noted = await books.client.put(
        f"/api/invoices/{issued['id']}", json={"notes": "Collect on Friday"}, headers=books.admin
    )
    assert noted.status_code == 200 and noted.json()["notes"] == "Collect on Friday"
    earlier = await books.client.patch(
        f"/api/invoices/{issued['id']}", json={"due_date": "2000-01-01"}, headers=books.admin
    )
    assert earlier.status_code == 422 and earlier.json()["detail"][0]["field"] == "due_date"


async def test_a_draft_changes_lines_customer_and_currency(books: Books) -> None:
    draft = await books.draft()
    changed = await books.client.patch(
        f"/api/invoices/{draft['id']}",
        json={
            "lines": [line("10.00", quantity="3"), line("5.00")],
            "customer_id": None,
            "customer_name": "Дмитрий Иванов",
            "currency": "EUR",
        },
        headers=books.admin,
    )
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert (body["total"], body["currency"], body["customer_name"], body["customer_id"]) == (
        "35.00",
        "EUR",
        "Дмитрий Иванов",
        None,
    )
    assert [item["line_no"] for item in body["lines"]] == [1, 2]
    assert await stored_invoices(books) == (1, 2)


async def test_a_draft_without_lines_cannot_be_issued(books: Books) -> None:
    draft = await books.draft(lines=[])
    response = await books.issue(draft["id"])
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "lines"
    assert (await books.invoice(draft["id"]))["number"] is None


async def test_a_draft_is_deleted_an_issued_invoice_never(books: Books) -> None:
    draft, issued = await books.draft(), await books.issued()
    assert (
        await books.client.delete(f"/api/invoices/{draft['id']}", headers=books.admin)
    ).status_code == 204
    refused = await books.client.delete(f"/api/invoices/{issued['id']}", headers=books.admin)
    assert refused.status_code == 409 and "never deleted" in refused.json()["detail"]
    assert await stored_invoices(books) == (1, 1)


async def test_an_open_invoice_past_its_due_date_reads_overdue(books: Books) -> None:
    late, on_time = await books.issued(), await books.issued()
    yesterday = today_in_new_york() - timedelta(days=1)
    async with books.database.session() as session:  # the due date passed (as time would make it)
        await session.execute(
            update(Invoice)
            .where(Invoice.id == uuid.UUID(late["id"]))
            .values(due_date=yesterday, invoice_date=yesterday - timedelta(days=14))
        )
    assert (await books.invoice(late["id"]))["status"] == "overdue"
    assert (await books.invoice(on_time["id"]))["status"] == "issued"
    overdue = await books.client.get(
        "/api/invoices", params={"status": "overdue"}, headers=books.admin
    )
    issued = await books.client.get(
        "/api/invoices", params={"status": "issued"}, headers=books.admin
    )
    assert [row["id"] for row in overdue.json()["results"]] == [late["id"]]
    assert [row["id"] for row in issued.json()["results"]] == [on_time["id"]]
    paid = await books.pay(late["id"], "100.00")
    assert paid.status_code == 201, paid.text
    assert (await books.invoice(late["id"]))["status"] == "paid"


async def test_the_list_filters_searches_orders_and_pages(books: Books) -> None:
    a = await books.issued(lines=[line("30.00")])
    b = await books.issued(store=STORE_B, customer_name="Walk-in Wanda", lines=[line("10.00")])
    c = await books.draft(lines=[line("20.00")])

    async def ids(**params: Any) -> list[str]:
        response = await books.client.get("/api/invoices", params=params, headers=books.admin)
        assert response.status_code == 200, response.text
        return [row["id"] for row in response.json()["results"]]

    assert await ids(store=str(STORE_B)) == [b["id"]]
    assert await ids(customer=CUSTOMER_NUMBER, ordering="total") == [c["id"], a["id"]]
    assert await ids(customer=CUSTOMER, status="draft") == [c["id"]]
    assert await ids(search="wanda") == [b["id"]]
    assert await ids(search="NYC-01") == [a["id"]]
    today = today_in_new_york().isoformat()
    assert sorted(await ids(date_from=today, date_to=today)) == sorted([a["id"], b["id"]])
    assert await ids(ordering="-total") == [a["id"], c["id"], b["id"]]
    page = await books.client.get("/api/invoices", params={"page_size": 2}, headers=books.admin)
    assert page.json()["count"] == 3 and page.json()["next"] is not None
    bad = await books.client.get(
        "/api/invoices", params={"ordering": "secret"}, headers=books.admin
    )
    assert bad.status_code == 400 and "Allowed" in bad.json()["detail"]
    not_a_date = await books.client.get(
        "/api/invoices", params={"date_from": "yesterday"}, headers=books.admin
    )
    assert not_a_date.status_code == 422 and not_a_date.json()["detail"][0]["field"] == "date_from"


async def test_propose_tells_the_next_number_without_taking_it(books: Books) -> None:
    year = today_in_new_york().year
    url = "/api/invoices/propose"
    first = await books.client.get(url, params={"store": str(STORE_A)}, headers=books.admin)
    assert first.status_code == 200 and first.json()["number"] == f"INV-NYC-01-{year}-000001"
    again = await books.client.get(url, params={"store": str(STORE_A)}, headers=books.admin)
    assert again.json()["number"] == first.json()["number"]
    await books.issued()
    after = await books.client.get(url, params={"store": str(STORE_A)}, headers=books.admin)
    assert after.json()["sequence"] == 2
    next_year = await books.client.get(
        url,
        params={"store": str(STORE_A), "invoice_date": f"{year + 1}-01-01"},
        headers=books.admin,
    )
    assert next_year.json()["number"] == f"INV-NYC-01-{year + 1}-000001"
    unknown = await books.client.get(url, params={"store": str(uuid.uuid4())}, headers=books.admin)
    assert unknown.status_code == 422 and unknown.json()["detail"][0]["field"] == "store"


async def test_a_booking_is_invoiced_once(books: Books) -> None:
    booking = {"source": "booking", "source_id": "BK-1001"}
    await books.issued(**booking)
    again = await books.client.post(
        "/api/invoices",
        json={"store_id": str(STORE_A), "customer_id": CUSTOMER, "lines": [line()], **booking},
        headers=books.admin,
    )
    assert again.status_code == 409 and "invoiced already" in again.json()["detail"]
    pos = await books.client.post(
        "/api/invoices",
        json={
            "store_id": str(STORE_A),
            "customer_id": CUSTOMER,
            "source": "pos_sale",
            "source_id": "x",
        },
        headers=books.admin,
    )
    assert pos.status_code == 422  # POS sales are invoiced from POS's events only


async def test_a_draft_is_published_when_written_changed_and_deleted(
    books: Books, nats_url: str
) -> None:
    """Audit logs what is published (issue 13): a draft's life before any number."""
    since = time.time()
    draft = await books.draft(lines=[line("50.00")])
    url = f"/api/invoices/{draft['id']}"
    changed = await books.client.patch(url, json={"notes": "Call first"}, headers=books.admin)
    assert changed.status_code == 200, changed.text
    assert (await books.client.delete(url, headers=books.admin)).status_code == 204
    forced = await books.draft()
    removed = await books.client.post(
        f"/api/invoices/{forced['id']}/force-delete", json={}, headers=books.admin
    )
    assert removed.status_code == 200, removed.text

    events = await read_events(nats_url, "invoicing.invoice.*", expected=5, since=since)
    assert [(e.type, e.data["invoice_id"], e.data["changed"]) for e in events] == [
        ("invoicing.invoice.drafted", draft["id"], []),
        ("invoicing.invoice.updated", draft["id"], ["notes"]),
        ("invoicing.invoice.deleted", draft["id"], []),
        ("invoicing.invoice.drafted", forced["id"], []),
        ("invoicing.invoice.deleted", forced["id"], []),
    ]
    first = events[0]
    assert (first.data["status"], first.data["number"], first.data["total"]) == (
        "draft",
        None,
        "50.00",
    )
    assert (first.data["customer_id"], first.actor) == (CUSTOMER, "admin-1")
