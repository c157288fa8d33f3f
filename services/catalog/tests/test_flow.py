"""The catalog's main flow: build the taxonomy, a product and a variant; find it; change its price."""

from __future__ import annotations

import time

from common.roles import Role
from common.testing.helpers import read_events


async def test_admin_builds_catalog_and_anonymous_finds_it(
    client, admin, taxonomy, nats_url
) -> None:
    since = time.time()
    product = await client.post(
        "/api/products",
        json={
            "name": "Café Racer Phone",
            "description": "Refurbished",
            "brand": int(taxonomy["brand"]),
            "subcategory": taxonomy["subcategory"],
            "base_price": "399.00",
        },
        headers=admin,
    )
    assert product.status_code == 201, product.text
    body = product.json()
    assert body["slug"] == "cafe-racer-phone"
    assert body["category"] == taxonomy["category"] and body["department"] == taxonomy["department"]
    variant = await client.post(
        "/api/variants",
        json={
            "product": body["slug"],
            "name": "128GB Midnight",
            "sku": "crp-128-mid",
            "unit": taxonomy["unit"],
            "quality": taxonomy["quality"],
            "attributes": {"capacity": "128GB"},
        },
        headers=admin,
    )
    assert variant.status_code == 201, variant.text
    assert variant.json()["sku"] == "CRP-128-MID" and variant.json()["price"] == "399.00"

    for params in (
        {"search": "cafe"},
        {"search": "CAFÉ racer"},
        {"search": "128-mid"},
        {"category": taxonomy["category"], "min_price": "300", "max_price": "400"},
        {"brand": taxonomy["brand"]},
        {"brand": "apple"},
    ):
        found = (await client.get("/api/products", params=params)).json()
        assert [row["slug"] for row in found["results"]] == ["cafe-racer-phone"], params
    assert (await client.get("/api/products", params={"max_price": "100"})).json()["count"] == 0

    created = await read_events(nats_url, "catalog.>", expected=2, since=since)
    assert {"catalog.product.created", "catalog.variant.created"} <= {
        event.type for event in created
    }


async def test_price_change_publishes_old_and_new(client, admin, taxonomy, nats_url) -> None:
    slug = (
        await client.post(
            "/api/products", json={"name": "Pixel 8", "base_price": "499.00"}, headers=admin
        )
    ).json()["slug"]
    since = time.time()
    response = await client.patch(
        f"/api/products/{slug}", json={"base_price": "449.50"}, headers=admin
    )
    assert response.status_code == 200 and response.json()["base_price"] == "449.50"
    events = await read_events(nats_url, "catalog.product.price_changed", since=since)
    assert len(events) == 1
    assert events[0].data["old_price"] == "499.00" and events[0].data["new_price"] == "449.50"
    assert events[0].data["changed_by"] == "admin-1" and events[0].actor == "admin-1"


async def test_slug_is_immutable_and_delete_with_children_is_409(client, admin, taxonomy) -> None:
    renamed = await client.patch(
        f"/api/departments/{taxonomy['department']}", json={"slug": "other"}, headers=admin
    )
    assert renamed.status_code == 422 and renamed.json()["detail"][0]["field"] == "slug"
    same = await client.patch(
        f"/api/departments/{taxonomy['department']}", json={"name": "Phones"}, headers=admin
    )
    assert same.status_code == 200 and same.json()["slug"] == taxonomy["department"]
    blocked = await client.delete(f"/api/departments/{taxonomy['department']}", headers=admin)
    assert blocked.status_code == 409 and "1 categories" in blocked.json()["detail"]
    assert (await client.get(f"/api/departments/{taxonomy['department']}")).status_code == 200


async def test_spare_price_hidden_from_non_admins(client, admin, auth_headers) -> None:
    spare = await client.post(
        "/api/spares",
        json={"part_number": "SCR-1", "name": "Screen", "price": "89.00"},
        headers=admin,
    )
    assert spare.status_code == 201 and spare.json()["price"] == "89.00"
    spare_id = spare.json()["id"]
    for headers in ({}, auth_headers(Role.customer), auth_headers(Role.branch_head)):
        listed = (await client.get("/api/spares", headers=headers)).json()["results"][0]
        single = (await client.get(f"/api/spares/{spare_id}", headers=headers)).json()
        assert "price" not in listed and "price" not in single
    assert (await client.get(f"/api/spares/{spare_id}", headers=admin)).json()["price"] == "89.00"


async def test_bad_input_is_4xx_naming_the_field(client, admin, taxonomy) -> None:
    negative = await client.post(
        "/api/products", json={"name": "X", "base_price": "-1"}, headers=admin
    )
    assert negative.status_code == 422 and negative.json()["detail"][0]["field"] == "base_price"
    unknown = await client.post(
        "/api/products", json={"name": "X", "base_price": "1", "category": "nope"}, headers=admin
    )
    assert unknown.status_code == 422 and unknown.json()["detail"][0]["field"] == "category"
    slug = (
        await client.post("/api/products", json={"name": "Y", "base_price": "1"}, headers=admin)
    ).json()["slug"]
    await client.post(
        "/api/variants", json={"product": slug, "name": "a", "sku": "DUP-1"}, headers=admin
    )
    duplicate = await client.post(
        "/api/variants", json={"product": slug, "name": "b", "sku": "dup-1"}, headers=admin
    )
    assert duplicate.status_code == 409 and duplicate.json()["detail"][0]["field"] == "sku"
    ordering = await client.get("/api/products", params={"ordering": "secret"})
    assert ordering.status_code == 400


async def test_store_soft_delete_hides_from_list_but_resolves(client, admin, nats_url) -> None:
    since = time.time()
    store = await client.post(
        "/api/stores",
        json={
            "code": "nyc-01",
            "name": "Manhattan",
            "time_zone": "America/New_York",
            "latitude": "40.705",
            "longitude": "-74.013",
        },
        headers=admin,
    )
    assert store.status_code == 201, store.text
    store_id = store.json()["id"]
    assert store.json()["code"] == "NYC-01"
    bad_zone = await client.post(
        "/api/stores", json={"code": "x", "name": "X", "time_zone": "Mars/Olympus"}, headers=admin
    )
    assert bad_zone.status_code == 422 and bad_zone.json()["detail"][0]["field"] == "time_zone"
    assert (await client.delete(f"/api/stores/{store_id}", headers=admin)).status_code == 204
    assert (await client.get("/api/stores")).json()["count"] == 0
    kept = await client.get(f"/api/stores/{store_id}")
    assert kept.status_code == 200 and kept.json()["deleted"] is True
    events = await read_events(nats_url, "catalog.store.*", expected=2, since=since)
    assert [event.type for event in events] == ["catalog.store.created", "catalog.store.deleted"]
    assert (
        events[0].data["time_zone"] == "America/New_York"
        and events[0].data["latitude"] == "40.705000"
    )
