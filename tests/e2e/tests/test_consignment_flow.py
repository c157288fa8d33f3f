"""Consignment through the gateway: a manager takes a consignee on (a user appears in auth),
signs an agreement and takes an item in (a unit appears in inventory, owned by the consignee,
and in POS's read-model), a cashier sells it, the period's payout holds the consignee's share,
the manager pays it, and the consignee — logged in with a password they set by reset mail —
sees it paid in their portal."""

from __future__ import annotations

import re
from datetime import datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from zoneinfo import ZoneInfo

import httpx
from conftest import MailSink, RunningPlatform
from test_pos_flow import eventually, open_shop

CASHIER_PASSWORD = "e2e cashier passphrase"
CONSIGNEE_PASSWORD = "e2e consignee passphrase"
CONSIGNEE_EMAIL = "e2e-consignee@example.com"


async def login(client: httpx.AsyncClient, email: str, password: str) -> dict[str, str]:
    response = await client.post("/api/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access']}"}


def reset_token(mail_sink: MailSink, address: str) -> str | None:
    for envelope in reversed(mail_sink.messages):
        if address in envelope.rcpt_tos and isinstance(envelope.content, bytes):
            message = message_from_bytes(envelope.content, policy=policy.default)
            assert isinstance(message, EmailMessage)
            body = message.get_body(preferencelist=("plain",))
            found = re.search(r"Reset token: (\S+)", body.get_content() if body else "")
            if found:
                return found.group(1)
    return None


async def test_consignment_from_intake_to_the_portal(
    platform: RunningPlatform, admin_headers: dict[str, str], mail_sink: MailSink
) -> None:
    async with httpx.AsyncClient(base_url=platform.gateway, timeout=15) as client:
        manager = admin_headers
        shop, location_id, _ = await open_shop(client, manager, "E2E-CSG")
        store_id = shop.store_id

        # the consignee: created in auth by POS with its service credential
        account = await client.post(
            "/api/consignment/accounts",
            json={
                "store_id": store_id,
                "first_name": "Grace",
                "last_name": "Hopper",
                "email": CONSIGNEE_EMAIL,
                "phone": "+1 555 0101",
            },
            headers=manager,
        )
        assert account.status_code == 201, account.text
        consignee_id = account.json()["user_id"]
        user = await client.get(f"/api/accounts/users/{consignee_id}", headers=manager)
        assert user.status_code == 200, user.text
        assert (user.json()["email"], user.json()["role"]) == (CONSIGNEE_EMAIL, "consignee")

        agreement = await client.post(
            "/api/consignment/agreements",
            json={
                "consignee_id": consignee_id,
                "share_percent": "60.00",
                "starts_on": "2026-01-01",
                "minimum_payout": "0.00",
                "fee_per_item": "5.00",
            },
            headers=manager,
        )
        assert agreement.status_code == 201, agreement.text

        # the item: a unit POS creates in inventory (source consignment, owned by them)
        take_in = {
            "agreement_id": agreement.json()["id"],
            "unit": {
                "name": "E2E Fender Telecaster 1978",
                "category": "Guitars",
                "price": "1000.00",
                "location_id": location_id,
            },
        }
        keyed = {**manager, "Idempotency-Key": "e2e-consigned-telecaster"}
        item = await client.post("/api/consignment/items", json=take_in, headers=keyed)
        assert item.status_code == 201, item.text
        # a retry with the same key: the same item, and no second unit in inventory
        retried = await client.post("/api/consignment/items", json=take_in, headers=keyed)
        assert retried.status_code == 200 and retried.json()["id"] == item.json()["id"]
        owned = await client.get(
            "/api/inventory/items",
            params={"store": store_id, "source": "consignment"},
            headers=manager,
        )
        assert owned.status_code == 200 and owned.json()["count"] == 1, owned.text
        unit_id = item.json()["item_id"]
        unit = await client.get(f"/api/inventory/items/{unit_id}", headers=manager)
        assert unit.status_code == 200, unit.text
        assert (unit.json()["source"], unit.json()["owner_id"], unit.json()["created_by"]) == (
            "consignment",
            consignee_id,
            "service:pos",
        )
        ready = await client.post(f"/api/inventory/items/{unit_id}/ready", headers=manager)
        assert ready.status_code == 200, ready.text
        sku = ready.json()["sku"]
        # a cashier of the store sells it from their own drawer
        cashier = await client.post(
            "/api/accounts/users/",
            json={
                "email": "e2e-csg-cashier@example.com",
                "password": CASHIER_PASSWORD,
                "role": "advisor",
                "store_ids": [store_id],
            },
            headers=manager,
        )
        assert cashier.status_code == 201, cashier.text
        register = await client.post(
            "/api/pos/registers/",
            json={"store_id": store_id, "code": "REG-2", "name": "Back"},
            headers=manager,
        )
        assert register.status_code == 201, register.text
        till = await login(client, "e2e-csg-cashier@example.com", CASHIER_PASSWORD)
        drawer = await client.post(
            "/api/pos/drawers/",
            json={"register_id": register.json()["id"], "opening_amount": "50.00"},
            headers=till,
        )
        assert drawer.status_code == 201, drawer.text
        shop.headers = till
        # sell() polls add-item (eventually) until inventory's events put the unit in POS's
        # read-model of sellable units: the 200 is POS knowing it
        sale = await shop.sell(drawer.json()["id"], sku, "1000.00")
        assert sale["total"] == "1000.00"
        await shop.sold_in_inventory(unit_id)

        # the period's payout: 60 % of 1000.00 less the 5.00 fee
        today = datetime.now(ZoneInfo("America/New_York")).date()
        payout = await client.post(
            "/api/consignment/payouts",
            json={
                "consignee_id": consignee_id,
                "period_start": today.replace(day=1).isoformat(),
                "period_end": today.isoformat(),
            },
            headers=manager,
        )
        assert payout.status_code == 201, payout.text
        assert (payout.json()["amount"], payout.json()["line_count"]) == ("595.00", 1)
        paid = await client.patch(
            f"/api/consignment/payouts/{payout.json()['id']}/pay",
            json={"method": "check", "reference": "CHK-E2E-1"},
            headers=manager,
        )
        assert paid.status_code == 200, paid.text
        assert paid.json()["status"] == "paid"

        # the consignee sets a password by reset mail, logs in and sees it paid
        forgot = await client.post("/api/auth/forgot-password", json={"email": CONSIGNEE_EMAIL})
        assert forgot.status_code in (200, 202), forgot.text
        mailed = await eventually(
            lambda: client.get("/healthz"),
            ok=lambda _: reset_token(mail_sink, CONSIGNEE_EMAIL) is not None,
        )
        token = reset_token(mail_sink, CONSIGNEE_EMAIL)
        assert token is not None, f"no reset mail for {CONSIGNEE_EMAIL} ({mailed.status_code})"
        reset = await client.post(
            "/api/auth/reset-password", json={"token": token, "new_password": CONSIGNEE_PASSWORD}
        )
        assert reset.status_code == 200, reset.text
        me = await login(client, CONSIGNEE_EMAIL, CONSIGNEE_PASSWORD)
        payouts = await eventually(  # auth.user.* gives POS the consignee's role and profile
            lambda: client.get("/api/consignment/my/payouts", headers=me),
            ok=lambda response: response.status_code == 200,
        )
        assert payouts.status_code == 200, payouts.text
        assert [(p["id"], p["status"], p["amount"]) for p in payouts.json()["results"]] == [
            (payout.json()["id"], "paid", "595.00")
        ]
        items = await client.get("/api/consignment/my/items", headers=me)
        assert items.status_code == 200, items.text
        [mine] = items.json()["results"]
        assert (mine["sku"], mine["status"], mine["sold_price"]) == (sku, "sold", "1000.00")
