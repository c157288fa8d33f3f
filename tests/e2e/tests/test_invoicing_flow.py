"""Invoicing through the gateway: POS sells a unit inventory received, invoicing turns the
sale's `pos.sale.completed` into a paid invoice with its payment and announces
`invoicing.payment.recorded` on JetStream; a void in POS voids the invoice and reverses the
payment (`invoicing.invoice.voided`). POS never calls invoicing: only events connect them."""

from __future__ import annotations

import time
from typing import Any

import httpx
from test_pos_flow import eventually, open_shop

from common.testing.helpers import read_events


async def invoice_of_store(
    client: httpx.AsyncClient, headers: dict[str, str], store_id: str, status: str
) -> dict[str, Any]:
    listed = await eventually(
        lambda: client.get("/api/invoices/", params={"store": store_id}, headers=headers),
        ok=lambda response: (
            response.status_code == 200
            and [row["status"] for row in response.json()["results"]] == [status]
        ),
        timeout=60,
    )
    assert listed.status_code == 200, listed.text
    [invoice] = listed.json()["results"]
    assert invoice["status"] == status, listed.text
    return dict(invoice)


async def test_a_pos_sale_is_invoiced_paid_and_its_void_voids_the_invoice(
    platform, admin_headers, nats_url
) -> None:
    since = time.time()
    async with httpx.AsyncClient(base_url=platform.gateway, timeout=10) as client:
        shop, location_id, drawer_id = await open_shop(client, admin_headers, "E2E-BILL")
        unit = await shop.unit_on_shelf(location_id, "E2E refurbished iPhone", "250.00")
        sale = await shop.sell(drawer_id, unit["sku"], "300.00")
        assert sale["total"] == "250.00"

        invoice = await invoice_of_store(client, admin_headers, shop.store_id, "paid")
        assert (invoice["source"], invoice["source_id"]) == ("pos_sale", sale["id"])
        assert (invoice["total"], invoice["paid_amount"], invoice["balance"]) == (
            "250.00",
            "250.00",
            "0.00",
        )
        assert invoice["number"].startswith("INV-E2E-BILL-")
        payments = await client.get(
            "/api/payments/", params={"invoice": invoice["id"]}, headers=admin_headers
        )
        assert [(p["method"], p["amount"]) for p in payments.json()["results"]] == [
            ("cash", "250.00")
        ]
        recorded = await read_events(
            nats_url, "invoicing.payment.recorded", since=since, timeout=30
        )
        mine = [event for event in recorded if event.data["source_id"] == sale["id"]]
        assert [
            (e.data["amount"], e.data["status_after"], e.data["balance_after"]) for e in mine
        ] == [("250.00", "paid", "0.00")]

        voided = await client.post(
            f"/api/pos/carts/{sale['id']}/void",
            json={"reason": "Customer changed their mind"},
            headers=admin_headers,
        )
        assert voided.status_code == 200, voided.text
        void = await invoice_of_store(client, admin_headers, shop.store_id, "void")
        assert (void["id"], void["number"], void["paid_amount"]) == (
            invoice["id"],
            invoice["number"],
            "0.00",
        )
        payments = await client.get(
            "/api/payments/", params={"invoice": invoice["id"]}, headers=admin_headers
        )
        assert all(p["reversed_at"] is not None for p in payments.json()["results"])
        events = await read_events(nats_url, "invoicing.invoice.voided", since=since, timeout=30)
        assert [event.data["source_id"] for event in events] == [sale["id"]]
