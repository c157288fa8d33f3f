"""Locations: a tree per store, unique codes, one default, no cycles, guarded deletes."""

from __future__ import annotations

from common.roles import Role
from tests.conftest import STORE_A, STORE_B, Shop


async def test_a_tree_per_store(shop: Shop) -> None:
    floor = await shop.location("floor", is_default=True)
    assert (floor["code"], floor["store_code"], floor["is_default"]) == ("FLOOR", "NYC-01", True)
    shelf = await shop.location("SHELF-A", parent_id=floor["id"])
    duplicate = await shop.client.post(
        "/api/inventory/locations",
        json={"store_id": str(STORE_A), "code": "Floor", "name": "x"},
        headers=shop.admin,
    )
    assert duplicate.status_code == 409 and duplicate.json()["detail"][0]["field"] == "code"
    boston = await shop.location("FLOOR", STORE_B)
    cross = await shop.client.post(
        "/api/inventory/locations",
        json={"store_id": str(STORE_B), "code": "X", "name": "x", "parent_id": floor["id"]},
        headers=shop.admin,
    )
    assert cross.status_code == 422 and cross.json()["detail"][0]["field"] == "parent_id"
    cycle = await shop.client.patch(
        f"/api/inventory/locations/{floor['id']}",
        json={"parent_id": shelf["id"]},
        headers=shop.admin,
    )
    assert cycle.status_code == 422 and "under itself" in cycle.json()["detail"][0]["msg"]
    back = await shop.location("BACK", is_default=True)
    refreshed = await shop.client.get(f"/api/inventory/locations/{floor['id']}", headers=shop.admin)
    assert refreshed.json()["is_default"] is False, "one default per store"
    children = await shop.client.get(
        "/api/inventory/locations", params={"parent": floor["id"]}, headers=shop.admin
    )
    assert [location["code"] for location in children.json()["results"]] == ["SHELF-A"]
    roots = await shop.client.get(
        "/api/inventory/locations",
        params={"roots": "true", "store": str(STORE_A)},
        headers=shop.admin,
    )
    assert sorted(location["code"] for location in roots.json()["results"]) == ["BACK", "FLOOR"]
    assert back["is_default"] and boston["store_code"] == "BOS-01"


async def test_delete_is_refused_while_in_use(shop: Shop) -> None:
    await shop.article("CASE-1")
    floor = await shop.location("FLOOR")
    shelf = await shop.location("SHELF", parent_id=floor["id"])
    has_child = await shop.client.delete(
        f"/api/inventory/locations/{floor['id']}", headers=shop.admin
    )
    assert has_child.status_code == 409 and "child" in has_child.json()["detail"]
    await shop.receive("CASE-1", shelf, "2")
    holding = await shop.client.delete(
        f"/api/inventory/locations/{shelf['id']}", headers=shop.admin
    )
    assert holding.status_code == 409 and "still holds stock" in holding.json()["detail"]
    await shop.entry("issue", {"sku": "CASE-1", "quantity": "2", "source_location_id": shelf["id"]})
    history = await shop.client.delete(
        f"/api/inventory/locations/{shelf['id']}", headers=shop.admin
    )
    assert history.status_code == 409 and "deactivate" in history.json()["detail"]
    empty = await shop.location("EMPTY")
    assert (
        await shop.client.delete(f"/api/inventory/locations/{empty['id']}", headers=shop.admin)
    ).status_code == 204


async def test_staff_manage_their_own_store_only(shop: Shop, staff: object) -> None:
    boston = await shop.location("FLOOR", STORE_B)
    head = staff(Role.branch_head, STORE_A)  # type: ignore[operator]
    mine = await shop.client.post(
        "/api/inventory/locations",
        json={"store_id": str(STORE_A), "code": "BACK", "name": "Back"},
        headers=head,
    )
    assert mine.status_code == 201
    theirs = await shop.client.post(
        "/api/inventory/locations",
        json={"store_id": str(STORE_B), "code": "BACK", "name": "Back"},
        headers=head,
    )
    assert theirs.status_code == 403
    assert (
        await shop.client.get(f"/api/inventory/locations/{boston['id']}", headers=head)
    ).status_code == 403
    listed = await shop.client.get("/api/inventory/locations", headers=head)
    assert [location["code"] for location in listed.json()["results"]] == ["BACK"]
