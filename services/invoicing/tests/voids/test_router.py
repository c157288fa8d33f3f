"""Voids and deletions: delete-preview tells what force-delete will do, force-delete deletes
a draft and voids anything issued (its number stays used, its payments reversed, even a
paid one's), a void needs a reason, and bulk-delete is all or nothing."""

from __future__ import annotations

import time
import uuid

from common.testing.helpers import read_events
from tests.conftest import Books


async def test_the_preview_tells_what_force_delete_then_does(books: Books, nats_url: str) -> None:
    since = time.time()
    invoice = await books.issued()
    payment = (await books.pay(invoice["id"], "100.00")).json()
    preview = await books.client.get(
        f"/api/invoices/{invoice['id']}/delete-preview", headers=books.admin
    )
    assert preview.status_code == 200
    body = preview.json()
    assert (body["action"], body["reason_required"], body["payments_total"], body["documents"]) == (
        "voided",
        True,
        "100.00",
        [],
    )
    assert [p["payment_id"] for p in body["payments"]] == [payment["id"]]
    no_reason = await books.client.post(
        f"/api/invoices/{invoice['id']}/force-delete", json={}, headers=books.admin
    )
    assert no_reason.status_code == 422 and no_reason.json()["detail"][0]["field"] == "reason"
    assert (await books.invoice(invoice["id"]))["status"] == "paid"
    forced = await books.client.post(
        f"/api/invoices/{invoice['id']}/force-delete",
        json={"reason": "Duplicate"},
        headers=books.admin,
    )
    assert forced.status_code == 200, forced.text
    assert forced.json()["action"] == "voided"
    assert [p["payment_id"] for p in forced.json()["reversed_payments"]] == [payment["id"]]
    now = await books.invoice(invoice["id"])
    assert (now["status"], now["number"], now["paid_amount"], now["void_reason"]) == (
        "void",
        invoice["number"],
        "0.00",
        "Duplicate",
    )
    [event] = await read_events(nats_url, "invoicing.invoice.voided", since=since)
    assert event.data["number"] == invoice["number"] and event.data["reason"] == "Duplicate"
    again = await books.client.post(
        f"/api/invoices/{invoice['id']}/force-delete", json={"reason": "x"}, headers=books.admin
    )
    assert again.status_code == 409


async def test_force_delete_of_a_draft_deletes_it(books: Books) -> None:
    draft = await books.draft()
    preview = await books.client.get(
        f"/api/invoices/{draft['id']}/delete-preview", headers=books.admin
    )
    assert (preview.json()["action"], preview.json()["reason_required"]) == ("deleted", False)
    gone = await books.client.post(
        f"/api/invoices/{draft['id']}/force-delete", json={}, headers=books.admin
    )
    assert gone.status_code == 200 and gone.json()["action"] == "deleted"
    assert (
        await books.client.get(f"/api/invoices/{draft['id']}", headers=books.admin)
    ).status_code == 404


async def test_bulk_delete_is_all_or_nothing(books: Books) -> None:
    draft, issued = await books.draft(), await books.issued()
    void = await books.issued()
    await books.client.post(
        f"/api/invoices/{void['id']}/void", json={"reason": "x"}, headers=books.admin
    )
    url = "/api/invoices/bulk-delete"
    refused = await books.client.post(
        url,
        json={"ids": [draft["id"], issued["id"], void["id"]], "reason": "cleanup"},
        headers=books.admin,
    )
    assert refused.status_code == 409 and void["number"] in refused.json()["detail"]
    unknown = await books.client.post(
        url,
        json={"ids": [draft["id"], str(uuid.uuid4())], "reason": "cleanup"},
        headers=books.admin,
    )
    assert unknown.status_code == 404
    no_reason = await books.client.post(
        url, json={"ids": [draft["id"], issued["id"]]}, headers=books.admin
    )
    assert no_reason.status_code == 422
    assert (await books.invoice(draft["id"]))["status"] == "draft"
    assert (await books.invoice(issued["id"]))["status"] == "issued"
    done = await books.client.post(
        url, json={"ids": [draft["id"], issued["id"]], "reason": "cleanup"}, headers=books.admin
    )
    assert done.status_code == 200, done.text
    assert [result["action"] for result in done.json()["results"]] == ["deleted", "voided"]
    assert (await books.invoice(issued["id"]))["status"] == "void"
