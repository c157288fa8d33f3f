"""Bad input is refused with a 422 naming the field, and changes nothing: booleans,
integers and dates are strict (``0`` is not ``false``, ``false`` is not ``0``, ``0`` is not
a date, ``since=0.5`` is not a moment), an explicit ``null`` is refused on a field that
cannot be empty, and ``%`` / ``_`` in a search match themselves, not every row."""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import STORE_A, Shop
from tests.procurement import act, order, template, vendor


def refused_field(response: httpx.Response) -> str:
    assert response.status_code == 422, response.text
    return str(response.json()["detail"][0]["field"])


async def test_booleans_refuse_numbers(shop: Shop) -> None:
    supplier = await vendor(shop.client, shop.admin)
    url = f"/api/inventory/vendors/{supplier['id']}"
    for value in (0, 1, "false"):
        patched = await shop.client.patch(url, json={"is_active": value}, headers=shop.admin)
        assert refused_field(patched) == "is_active", value
    assert (await shop.client.get(url, headers=shop.admin)).json()["is_active"] is True
    config = {"default_low_stock_threshold": "1", "allow_negative_stock": 1}
    put = await shop.client.put("/api/inventory-config", json=config, headers=shop.admin)
    assert refused_field(put) == "allow_negative_stock"
    current = await shop.client.get("/api/inventory-config", headers=shop.admin)
    assert current.json()["allow_negative_stock"] is False
    location = {"store_id": str(STORE_A), "code": "BIN", "name": "Bin", "is_default": 1}
    created = await shop.client.post("/api/inventory/locations", json=location, headers=shop.admin)
    assert refused_field(created) == "is_default"
    line = {"description": "Lot", "quantity": "1", "unit_cost": "1", "unit_tracked": 1}
    made = await shop.client.post(
        "/api/inventory/purchase-orders",
        json={"vendor_id": supplier["id"], "store_id": str(STORE_A), "lines": [line]},
        headers=shop.admin,
    )
    assert refused_field(made) == "lines.0.unit_tracked"
    listed = await shop.client.get("/api/inventory/locations", headers=shop.admin)
    assert listed.json()["count"] == 0


async def test_dates_and_integers_are_strict(shop: Shop) -> None:
    supplier = await vendor(shop.client, shop.admin)
    freight = {"description": "Freight", "quantity": "1", "unit_cost": "5"}
    made = await order(shop.client, shop.admin, supplier["id"], [freight])
    url = f"/api/inventory/purchase-orders/{made['id']}"
    for value in (0, "0", 20261201, "2026-13-01", "01.12.2026", True):
        patched = await shop.client.patch(
            url, json={"expected_delivery": value}, headers=shop.admin
        )
        assert refused_field(patched) == "expected_delivery", value
    good = await shop.client.patch(
        url, json={"expected_delivery": "2026-12-01"}, headers=shop.admin
    )
    assert good.status_code == 200 and good.json()["expected_delivery"] == "2026-12-01"
    cleared = await shop.client.patch(url, json={"expected_delivery": None}, headers=shop.admin)
    assert cleared.status_code == 200 and cleared.json()["expected_delivery"] is None
    submitted = await act(shop.client, shop.admin, made["id"], "submit")
    assert submitted.json()["status"] == "approved", submitted.text
    paid = await act(shop.client, shop.admin, made["id"], "mark-paid", date=0)
    assert refused_field(paid) == "date"
    floor = await shop.location("FLOOR")
    for value in (False, True, "1", 1.0):
        received = await shop.client.post(
            f"{url}/receive-stock",
            json={"lines": [{"line_id": value, "quantity": "1", "location_id": floor["id"]}]},
            headers=shop.admin,
        )
        assert refused_field(received) == "lines.0.line_id", value
    assert (await shop.client.get(url, headers=shop.admin)).json()["status"] == "approved"
    signers = [{"role": "advisor"}, {"role": "branch_head"}]
    bad_template = {"name": "POs", "signers": signers, "min_signatures": True}
    refused = await shop.client.post(
        "/api/approvals/templates", json=bad_template, headers=shop.admin
    )
    assert refused_field(refused) == "min_signatures"
    ok = await template(shop.client, shop.admin, signers, min_signatures=2)
    assert ok["min_signatures"] == 2


async def test_since_is_an_iso_moment(shop: Shop) -> None:
    for value in ("0.5", "0", "1700000000", "yesterday"):
        response = await shop.client.get(
            "/api/stock-ledgers", params={"since": value}, headers=shop.admin
        )
        assert refused_field(response) == "since", value
    for value in ("2026-01-01", "2026-01-01T09:30:00Z", "2026-01-01T09:30:00+01:00"):
        response = await shop.client.get(
            "/api/stock-ledgers", params={"since": value}, headers=shop.admin
        )
        assert response.status_code == 200, (value, response.text)


async def test_explicit_null_is_refused_where_a_field_cannot_be_empty(shop: Shop) -> None:
    await shop.article("CASE-1")
    floor = await shop.location("FLOOR")
    item = await shop.item(price="10.00")
    supplier = await vendor(shop.client, shop.admin)
    made = await order(shop.client, shop.admin, supplier["id"], [])
    entry = await shop.entry(
        "receipt", {"sku": "CASE-1", "quantity": "1", "target_location_id": floor["id"]}, post=False
    )
    cases: list[tuple[str, str, dict[str, Any]]] = [
        ("PATCH", f"/api/inventory/items/{item['id']}", {"name": None}),
        ("PUT", f"/api/inventory/items/{item['id']}", {"location_id": None}),
        ("POST", f"/api/inventory/items/{item['id']}/check-in", {"location_id": None}),
        ("PATCH", f"/api/inventory/locations/{floor['id']}", {"code": None}),
        ("PATCH", f"/api/inventory/vendors/{supplier['id']}", {"name": None}),
        ("PATCH", f"/api/stock-entries/{entry['id']}", {"lines": None}),
        ("PUT", f"/api/stock-entries/{entry['id']}", {"reference": None}),
        ("PATCH", f"/api/inventory/purchase-orders/{made['id']}", {"lines": None}),
        ("PATCH", f"/api/inventory/purchase-orders/{made['id']}", {"notes": None}),
    ]
    for method, url, body in cases:
        response = await shop.client.request(method, url, json=body, headers=shop.admin)
        [field] = body
        assert refused_field(response) == field, (method, url)
        assert "cannot be null" in response.json()["detail"][0]["msg"], response.text
    still = await shop.client.get(f"/api/inventory/items/{item['id']}", headers=shop.admin)
    assert still.json()["name"] == item["name"] and still.json()["status"] == "intake"
    cleared = await shop.client.patch(
        f"/api/inventory/items/{item['id']}", json={"price": None}, headers=shop.admin
    )
    assert cleared.status_code == 200 and cleared.json()["price"] is None
    vendor_email = await shop.client.patch(
        f"/api/inventory/vendors/{supplier['id']}", json={"email": None}, headers=shop.admin
    )
    assert vendor_email.status_code == 200 and vendor_email.json()["email"] == ""


async def test_wildcards_in_a_search_match_themselves(shop: Shop) -> None:
    await vendor(shop.client, shop.admin, code="PARTS-CO")
    await shop.article("CASE-1")
    for number in ("SN-100", "SN_2%"):
        response = await shop.client.post(
            "/api/serials", json={"serial_number": number, "sku": "CASE-1"}, headers=shop.admin
        )
        assert response.status_code == 201, response.text

    async def found(path: str, search: str, field: str) -> list[str]:
        response = await shop.client.get(path, params={"search": search}, headers=shop.admin)
        assert response.status_code == 200, response.text
        return sorted(row[field] for row in response.json()["results"])

    assert await found("/api/inventory/vendors", "%", "code") == []
    assert await found("/api/inventory/vendors", "_", "code") == []
    assert await found("/api/inventory/vendors", "parts", "code") == ["PARTS-CO"]
    assert await found("/api/serials", "%", "serial_number") == ["SN_2%"]
    assert await found("/api/serials", "_", "serial_number") == ["SN_2%"]
    assert await found("/api/serials", "SN", "serial_number") == ["SN-100", "SN_2%"]
