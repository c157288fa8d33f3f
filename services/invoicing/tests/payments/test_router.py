"""Payments through the API: each create, update and delete rewrites the invoice's paid amount
and status and is announced with the balance after it; overpayment is refused naming the
outstanding balance; another currency, a zero amount and a date that is no date are refused
naming the field; Idempotency-Key makes a retried create one payment."""

from __future__ import annotations

import asyncio
import time

from sqlalchemy import func, select

from common.testing.helpers import read_events
from invoicing.models import Payment
from tests.conftest import Books, line


async def payments_stored(books: Books) -> int:
    async with books.database.session() as session:
        return int(await session.scalar(select(func.count()).select_from(Payment)) or 0)


async def test_create_update_delete_move_the_invoice_and_are_announced(
    books: Books, nats_url: str
) -> None:
    since = time.time()
    invoice = await books.issued(lines=[line("80.00")])
    made = await books.pay(invoice["id"], "30.00", reference="Terminal 2")
    assert made.status_code == 201, made.text
    payment = made.json()
    assert (payment["amount"], payment["currency"], payment["invoice_number"]) == (
        "30.00",
        "USD",
        invoice["number"],
    )
    assert (await books.invoice(invoice["id"]))["balance"] == "50.00"
    changed = await books.client.patch(
        f"/api/payments/{payment['id']}", json={"amount": "80.00"}, headers=books.admin
    )
    assert changed.status_code == 200, changed.text
    assert (await books.invoice(invoice["id"]))["status"] == "paid"
    gone = await books.client.delete(f"/api/payments/{payment['id']}", headers=books.admin)
    assert gone.status_code == 204
    after = await books.invoice(invoice["id"])
    assert (after["status"], after["paid_amount"], after["balance"]) == ("issued", "0.00", "80.00")
    events = await read_events(nats_url, "invoicing.payment.*", expected=3, since=since)
    assert [
        (e.type, e.data["balance_after"], e.data["status_after"], e.data["changed"]) for e in events
    ] == [
        ("invoicing.payment.recorded", "50.00", "partially_paid", []),
        ("invoicing.payment.updated", "0.00", "paid", ["amount"]),
        ("invoicing.payment.deleted", "80.00", "issued", []),
    ]
    assert {e.data["invoice_id"] for e in events} == {invoice["id"]}
    assert {(e.data["source"], e.data["source_id"]) for e in events} == {("manual", None)}


async def test_an_overpayment_is_refused_naming_the_outstanding_balance(books: Books) -> None:
    invoice = await books.issued(lines=[line("80.00")])
    await books.pay(invoice["id"], "30.00")
    response = await books.pay(invoice["id"], "50.01")
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["field"] == "amount" and "outstanding balance of 50.00 USD" in error["msg"]
    first = (await books.client.get("/api/payments", headers=books.admin)).json()["results"][0]
    raised = await books.client.patch(
        f"/api/payments/{first['id']}", json={"amount": "80.01"}, headers=books.admin
    )
    assert raised.status_code == 422 and "outstanding balance of 80.00 USD" in raised.text
    assert await payments_stored(books) == 1
    assert (await books.invoice(invoice["id"]))["paid_amount"] == "30.00"


async def test_bad_payments_are_refused_naming_the_field(books: Books) -> None:
    invoice = await books.issued()
    cases = [
        ({"amount": "0.00"}, "amount"),
        ({"amount": "-5.00"}, "amount"),
        ({"currency": "EUR"}, "currency"),
        ({"paid_on": "2026-13-01"}, "paid_on"),
        ({"paid_on": 0}, "paid_on"),
        ({"paid_on": "2026-12-02T00:00:00"}, "paid_on"),
        ({"amount": 0}, "amount"),
        ({"method": "bitcoin"}, "method"),
    ]
    for change, field in cases:
        body = {"invoice_id": invoice["id"], "amount": "10.00", "method": "cash", **change}
        response = await books.client.post("/api/payments", json=body, headers=books.admin)
        assert response.status_code == 422, (change, response.text)
        assert field in [error["field"] for error in response.json()["detail"]], (
            change,
            response.text,
        )
    unknown = await books.pay("9b2f6c1e-4d3a-4b8e-9f1a-2c3d4e5f6a7b", "1.00")
    assert unknown.status_code == 422 and unknown.json()["detail"][0]["field"] == "invoice_id"
    assert await payments_stored(books) == 0


async def test_changes_mark_as_paid_and_lists_refuse_bad_fields_and_change_nothing(
    books: Books,
) -> None:
    invoice = await books.issued(lines=[line("80.00")])
    payment = (await books.pay(invoice["id"], "30.00")).json()
    for change, field in (
        ({"amount": "0.00"}, "amount"),
        ({"currency": "EUR"}, "currency"),
        ({"paid_on": 0}, "paid_on"),
        ({"paid_on": "yesterday"}, "paid_on"),
    ):
        changed = await books.client.patch(
            f"/api/payments/{payment['id']}", json=change, headers=books.admin
        )
        assert changed.status_code == 422, (change, changed.text)
        assert field in [error["field"] for error in changed.json()["detail"]], changed.text
    marked = await books.client.post(
        f"/api/invoices/{invoice['id']}/mark-as-paid", json={"paid_on": 0}, headers=books.admin
    )
    assert marked.status_code == 422 and marked.json()["detail"][0]["field"] == "paid_on"
    listed = await books.client.get("/api/payments", params={"date_to": "0"}, headers=books.admin)
    assert listed.status_code == 422 and listed.json()["detail"][0]["field"] == "date_to"
    stored = await books.client.get(f"/api/payments/{payment['id']}", headers=books.admin)
    assert stored.json() == payment
    assert await payments_stored(books) == 1
    assert (await books.invoice(invoice["id"]))["paid_amount"] == "30.00"


async def test_the_same_idempotency_key_and_body_give_the_same_payment(books: Books) -> None:
    invoice = await books.issued()
    body = {"invoice_id": invoice["id"], "amount": "25.00", "method": "card"}
    headers = {**books.admin, "Idempotency-Key": "till-7-sale-42"}
    first = await books.client.post("/api/payments", json=body, headers=headers)
    again = await books.client.post("/api/payments", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"
    other = await books.client.post(
        "/api/payments", json={**body, "amount": "26.00"}, headers=headers
    )
    assert other.status_code == 422 and "different body" in other.json()["detail"]
    assert await payments_stored(books) == 1
    assert (await books.invoice(invoice["id"]))["paid_amount"] == "25.00"


async def test_twenty_parallel_retries_with_one_key_make_one_payment(books: Books) -> None:
    invoice = await books.issued()
    body = {"invoice_id": invoice["id"], "amount": "40.00", "method": "cash"}
    headers = {**books.admin, "Idempotency-Key": "retry-storm"}
    responses = await asyncio.gather(
        *(books.client.post("/api/payments", json=body, headers=headers) for _ in range(20))
    )
    assert {response.status_code for response in responses} <= {201, 409}
    assert (
        len({response.json()["id"] for response in responses if response.status_code == 201}) == 1
    )
    assert await payments_stored(books) == 1
    assert (await books.invoice(invoice["id"]))["paid_amount"] == "40.00"


async def test_mark_as_paid_pays_the_balance(books: Books) -> None:
    invoice = await books.issued(lines=[line("120.00")])
    await books.pay(invoice["id"], "20.00")
    marked = await books.client.post(
        f"/api/invoices/{invoice['id']}/mark-as-paid",
        json={"method": "bank_transfer", "reference": "SEPA 1201"},
        headers=books.admin,
    )
    assert marked.status_code == 201, marked.text
    assert (marked.json()["amount"], marked.json()["method"]) == ("100.00", "bank_transfer")
    assert (await books.invoice(invoice["id"]))["status"] == "paid"
    twice = await books.client.post(
        f"/api/invoices/{invoice['id']}/mark-as-paid", json={}, headers=books.admin
    )
    assert twice.status_code == 409 and "owes nothing" in twice.json()["detail"]


async def test_a_reversed_payment_no_longer_changes(books: Books) -> None:
    invoice = await books.issued()
    payment = (await books.pay(invoice["id"], "10.00")).json()
    await books.client.post(
        f"/api/invoices/{invoice['id']}/void", json={"reason": "x"}, headers=books.admin
    )
    for method, body in (("PATCH", {"amount": "5.00"}), ("DELETE", None)):
        response = await books.client.request(
            method, f"/api/payments/{payment['id']}", json=body, headers=books.admin
        )
        assert response.status_code == 409 and "reversed" in response.json()["detail"]


async def test_payments_list_filters(books: Books) -> None:
    first, second = await books.issued(), await books.issued()
    await books.pay(first["id"], "10.00", method="cash", reference="drawer 1")
    await books.pay(second["id"], "20.00", method="card")

    async def amounts(**params: str) -> list[str]:
        response = await books.client.get("/api/payments", params=params, headers=books.admin)
        assert response.status_code == 200, response.text
        return [row["amount"] for row in response.json()["results"]]

    assert await amounts(invoice=first["id"]) == ["10.00"]
    assert await amounts(method="card") == ["20.00"]
    assert await amounts(search="drawer") == ["10.00"]
    assert await amounts(ordering="-amount") == ["20.00", "10.00"]
