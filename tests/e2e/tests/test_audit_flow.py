"""Audit through the gateway: a catalog change, a POS sale and an approval signature each
become a row of /api/logs/ with its actor and entity, and the CSV export holding them
verifies offline — with hashlib and json only, the way an accountant checks a download."""

from __future__ import annotations

import asyncio
import csv
import hashlib
import io
import itertools
import json
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

PASSWORD = "audit e2e passphrase"
# The chained cells, in the order docs/architecture.md (audit) gives them.
CHAINED = [
    "month",
    "position",
    "event_id",
    "occurred_at",
    "recorded_at",
    "stream",
    "stream_sequence",
    "source",
    "action",
    "actor",
    "entity_type",
    "entity_id",
    "store_id",
    "request_id",
    "trace_id",
    "schema_version",
    "parse_error",
    "payload",
    "raw",
]


async def until(
    attempt: Callable[[], Awaitable[httpx.Response]],
    ok: Callable[[httpx.Response], bool],
    timeout: float = 60,
) -> httpx.Response:
    """Repeat a request until ``ok`` holds for its answer (an event has arrived)."""
    deadline = time.monotonic() + timeout
    while True:
        response = await attempt()
        if ok(response) or time.monotonic() > deadline:
            return response
        await asyncio.sleep(0.3)


async def logged(
    client: httpx.AsyncClient, headers: dict[str, str], action: str, entity_id: str
) -> dict[str, Any]:
    """The log row of ``action`` on ``entity_id``, once audit has recorded it. (Until the
    first event of an action arrives, naming it is a 422: the log has not seen it yet.)"""
    found = await until(
        lambda: client.get(
            "/api/logs/", params={"action": action, "entity_id": entity_id}, headers=headers
        ),
        ok=lambda response: response.status_code == 200 and response.json()["count"] == 1,
    )
    assert found.status_code == 200 and found.json()["count"] == 1, found.text
    row: dict[str, Any] = found.json()["results"][0]
    return row


def verify_csv(body: str) -> list[dict[str, str | None]]:
    """Every row's hash from its cells, the links within each month, the trailer's count and
    head; the rows come back (an empty cell is null)."""
    *lines, trailer = body.rstrip("\n").split("\n")
    assert trailer.startswith("# rows="), trailer
    fields = dict(part.split("=", 1) for part in trailer[2:].split(" "))
    rows = [
        {key: value or None for key, value in row.items()}
        for row in csv.DictReader(io.StringIO("\n".join(lines) + "\n"))
    ]
    for row in rows:
        line = json.dumps(
            [row["prev_hash"], *(row[name] for name in CHAINED)],
            ensure_ascii=False,
            separators=(",", ":"),
        )
        assert hashlib.sha256(line.encode()).hexdigest() == row["hash"], row["id"]
    for earlier, later in itertools.pairwise(rows):
        if (
            later["month"] == earlier["month"]
            and int(later["position"] or 0) == int(earlier["position"] or 0) + 1
        ):
            assert later["prev_hash"] == earlier["hash"], later["id"]
    assert int(fields["rows"]) == len(rows)
    assert fields["chain_head"] == rows[-1]["hash"]
    return rows


async def login(client: httpx.AsyncClient, email: str, password: str) -> dict[str, str]:
    response = await client.post("/api/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access']}"}


async def sell_one_unit(
    client: httpx.AsyncClient, admin: dict[str, str], store_id: str
) -> dict[str, Any]:
    """A location, register and open drawer for the store, a unit on the shelf, its sale."""
    location = await until(
        lambda: client.post(
            "/api/inventory/locations/",
            json={"store_id": store_id, "code": "FLOOR", "name": "Floor", "is_default": True},
            headers=admin,
        ),
        ok=lambda response: response.status_code == 201,
    )
    assert location.status_code == 201, location.text
    register = await until(  # catalog's store event reaches POS
        lambda: client.post(
            "/api/pos/registers/",
            json={"store_id": store_id, "code": "REG-1", "name": "Front"},
            headers=admin,
        ),
        ok=lambda response: response.status_code == 201,
    )
    assert register.status_code == 201, register.text
    drawer = await client.post(
        "/api/pos/drawers/",
        json={"register_id": register.json()["id"], "opening_amount": "50.00"},
        headers=admin,
    )
    assert drawer.status_code == 201, drawer.text
    item = await client.post(
        "/api/inventory/items/",
        json={
            "name": "E2E audit phone",
            "store_id": store_id,
            "location_id": location.json()["id"],
            "price": "99.00",
            "condition": "good",
            "source": "trade_in",
        },
        headers=admin,
    )
    assert item.status_code == 201, item.text
    ready = await client.post(f"/api/inventory/items/{item.json()['id']}/ready", headers=admin)
    assert ready.status_code == 200, ready.text
    cart = await client.post(
        "/api/pos/carts/", json={"drawer_id": drawer.json()["id"]}, headers=admin
    )
    assert cart.status_code == 201, cart.text
    added = await until(  # inventory's item event reaches POS
        lambda: client.post(
            f"/api/pos/carts/{cart.json()['id']}/add-item/",
            json={"sku": ready.json()["sku"]},
            headers=admin,
        ),
        ok=lambda response: response.status_code == 200,
    )
    assert added.status_code == 200, added.text
    sale = await client.post(
        f"/api/pos/carts/{cart.json()['id']}/complete/",
        json={"payment_method": "cash", "cash_tendered": "100.00"},
        headers={**admin, "Idempotency-Key": f"e2e-audit-{uuid.uuid4()}"},
    )
    assert sale.status_code == 200, sale.text
    return dict(sale.json())


async def sign_a_purchase_order(
    client: httpx.AsyncClient, admin: dict[str, str], store_id: str
) -> str:
    """An advisor drafts and submits an order; the admin signs it. Returns the order id."""
    advisor_email = f"e2e-audit-{uuid.uuid4().hex[:6]}@example.com"
    created = await client.post(
        "/api/accounts/users/",
        json={
            "email": advisor_email,
            "password": PASSWORD,
            "role": "advisor",
            "store_ids": [store_id],
        },
        headers=admin,
    )
    assert created.status_code == 201, created.text
    advisor = await login(client, advisor_email, PASSWORD)
    template = await client.post(
        "/api/approvals/templates",
        # Templates are global: the highest min_amount an order reaches wins. This one only
        # applies to this test's (very large) order, never to another flow's.
        json={
            "name": "E2E audit orders",
            "min_amount": "900000.00",
            "signers": [{"role": "system_admin"}],
            "min_signatures": 1,
        },
        headers=admin,
    )
    assert template.status_code == 201, template.text
    vendor = await client.post(
        "/api/inventory/vendors",
        json={"code": f"E2E-AUD-{uuid.uuid4().hex[:4]}", "name": "E2E Audit Parts"},
        headers=advisor,
    )
    assert vendor.status_code == 201, vendor.text
    draft = await until(
        lambda: client.post(
            "/api/inventory/purchase-orders",
            json={
                "vendor_id": vendor.json()["id"],
                "store_id": store_id,
                "lines": [
                    {
                        "description": "E2E audit part",
                        "unit_tracked": True,
                        "quantity": "1",
                        "unit_cost": "950000",
                    }
                ],
            },
            headers=advisor,
        ),
        ok=lambda response: response.status_code == 201,
    )
    assert draft.status_code == 201, draft.text
    order_id: str = draft.json()["id"]
    submitted = await client.post(
        f"/api/inventory/purchase-orders/{order_id}/submit", headers=advisor
    )
    assert submitted.status_code == 200, submitted.text
    signed = await client.post(
        f"/api/inventory/purchase-orders/{order_id}/sign", json={"comment": "ok"}, headers=admin
    )
    assert signed.status_code == 200, signed.text
    return order_id


async def test_changes_sales_and_signatures_are_logged_and_their_export_verifies(
    platform: Any, admin_headers: dict[str, str]
) -> None:
    async with httpx.AsyncClient(base_url=platform.gateway, timeout=15) as client:
        me = await client.get("/api/auth/me", headers=admin_headers)
        admin_id = me.json()["id"]
        store = await client.post(
            "/api/stores",
            json={"code": "E2E-AUD", "name": "E2E Audit Store", "time_zone": "UTC"},
            headers=admin_headers,
        )
        assert store.status_code == 201, store.text
        store_id = store.json()["id"]
        department = await client.post(
            "/api/departments", json={"name": "E2E Audit Dept"}, headers=admin_headers
        )
        product = await client.post(
            "/api/products",
            json={
                "name": "E2E Audit Widget",
                "department": department.json()["slug"],
                "base_price": "5.00",
            },
            headers=admin_headers,
        )
        assert product.status_code == 201, product.text
        sale = await sell_one_unit(client, admin_headers, store_id)
        order_id = await sign_a_purchase_order(client, admin_headers, store_id)

        changed = await logged(
            client, admin_headers, "catalog.product.created", product.json()["id"]
        )
        assert (changed["actor"], changed["entity_type"], changed["source"]) == (
            admin_id,
            "product",
            "catalog",
        )
        sold = await logged(client, admin_headers, "pos.sale.completed", sale["id"])
        assert (sold["actor"], sold["entity_type"], sold["store_id"]) == (
            admin_id,
            "sale",
            store_id,
        )
        signatures = await until(
            lambda: client.get(
                "/api/logs/",
                # the approval payload names the order, not the store: found by its text
                params={"action": "inventory.approval.signed", "search": order_id},
                headers=admin_headers,
            ),
            ok=lambda response: response.status_code == 200 and response.json()["count"] >= 1,
        )
        assert signatures.status_code == 200, signatures.text
        [signature] = signatures.json()["results"]
        assert (signature["actor"], signature["entity_type"]) == (admin_id, "approval")
        assert signature["entity_id"] == signature["payload"]["flow_id"]
        assert signature["payload"]["object_id"] == order_id

        export = await client.get(
            "/api/logs/export/", params={"format": "csv"}, headers=admin_headers, timeout=60
        )
        assert export.status_code == 200, export.text
        rows = verify_csv(export.text)
        exported = {row["id"] for row in rows}
        assert {str(changed["id"]), str(sold["id"]), str(signature["id"])} <= exported
        month = changed["month"]
        verified = await client.get(
            "/api/audit/verify", params={"month": month}, headers=admin_headers
        )
        assert verified.status_code == 200 and verified.json()["valid"] is True, verified.text


async def test_a_login_is_logged_with_its_actor(
    platform: Any, admin_headers: dict[str, str]
) -> None:
    async with httpx.AsyncClient(base_url=platform.gateway, timeout=15) as client:
        me = (await client.get("/api/auth/me", headers=admin_headers)).json()
        found = await until(
            lambda: client.get(
                "/api/logs/", params={"actor": me["id"], "entity": "session"}, headers=admin_headers
            ),
            ok=lambda response: response.status_code == 200 and response.json()["count"] >= 1,
            timeout=20,
        )
        assert found.status_code == 200 and found.json()["count"] >= 1, found.text
