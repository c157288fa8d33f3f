"""Vendors: unique codes, validation, soft delete through is_active, and orders keep them."""

from __future__ import annotations

from tests.conftest import STORE_A, Shop
from tests.procurement import order, vendor


async def test_vendor_lifecycle(shop: Shop) -> None:
    created = await vendor(shop.client, shop.admin, "parts-co")
    assert created["code"] == "PARTS-CO" and created["is_active"] is True
    duplicate = await shop.client.post(
        "/api/inventory/vendors", json={"code": "Parts-Co", "name": "Other"}, headers=shop.admin
    )
    assert duplicate.status_code == 409 and duplicate.json()["detail"][0]["field"] == "code"
    for body, field in (
        ({"code": "X", "name": "X", "email": "not-an-email"}, "email"),
        ({"code": "X", "name": "X", "currency": "usd"}, "currency"),
        ({"code": "bad code", "name": "X"}, "code"),
        ({"code": "X", "name": "X", "id": "00000000-0000-0000-0000-000000000000"}, "id"),
    ):
        response = await shop.client.post("/api/inventory/vendors", json=body, headers=shop.admin)
        assert response.status_code == 422 and response.json()["detail"][0]["field"] == field, body
    url = f"/api/inventory/vendors/{created['id']}"
    patched = await shop.client.patch(
        url, json={"phone": "+1 212 555 0199", "email": "o@p.example"}, headers=shop.admin
    )
    assert patched.status_code == 200 and patched.json()["phone"] == "+1 212 555 0199"
    po = await order(shop.client, shop.admin, created["id"], [])
    assert (await shop.client.delete(url, headers=shop.admin)).status_code == 204
    listed = await shop.client.get("/api/inventory/vendors", headers=shop.admin)
    assert listed.json()["count"] == 0, "removed vendors leave the default list"
    removed = await shop.client.get(
        "/api/inventory/vendors", params={"is_active": "false"}, headers=shop.admin
    )
    assert [row["code"] for row in removed.json()["results"]] == ["PARTS-CO"]
    kept = await shop.client.get(f"/api/inventory/purchase-orders/{po['id']}", headers=shop.admin)
    assert kept.json()["vendor_name"] == "parts-co Wholesale"
    refused = await shop.client.post(
        "/api/inventory/purchase-orders",
        json={"vendor_id": created["id"], "store_id": str(STORE_A)},
        headers=shop.admin,
    )
    assert refused.status_code == 422 and refused.json()["detail"][0]["field"] == "vendor_id"
    back = await shop.client.patch(url, json={"is_active": True}, headers=shop.admin)
    assert back.json()["is_active"] is True
    search = await shop.client.get(
        "/api/inventory/vendors", params={"search": "wholesale"}, headers=shop.admin
    )
    assert search.json()["count"] == 1
