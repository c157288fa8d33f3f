"""Consigned items: a unit of POS's read-model taken in under an agreement, once; given
back while on the floor."""

from __future__ import annotations

from tests.consignment.shop import CONSIGNEE, Consignment
from tests.till import STORE_B, Till


async def test_a_unit_is_consigned_once_and_filtered(till: Till) -> None:
    shop = Consignment(till)
    await shop.account()
    agreement = await shop.agreement()
    item = await shop.item(agreement, "C-1", "250.00", category="Guitars")

    assert (item["sku"], item["list_price"], item["category"], item["status"]) == (
        "C-1",
        "250.00",
        "Guitars",
        "on_floor",
    )
    assert item["consignee_id"] == CONSIGNEE
    again = await till.client.post(
        "/api/consignment/items",
        json={"agreement_id": agreement["id"], "item_id": item["item_id"]},
        headers=till.cashier(),
    )
    assert again.status_code == 409
    listed = await till.client.get(
        "/api/consignment/items",
        params={"agreement__consignee": CONSIGNEE, "status": "on_floor"},
        headers=till.cashier(),
    )
    assert [row["id"] for row in listed.json()["results"]] == [item["id"]]
    none = await till.client.get(
        "/api/consignment/items", params={"status": "sold"}, headers=till.cashier()
    )
    assert none.json()["count"] == 0
    events = await shop.events("pos.consignment.item.")
    assert [subject for subject, _ in events] == ["pos.consignment.item.created"]


async def test_a_unit_of_another_store_or_unknown_is_refused(till: Till) -> None:
    shop = Consignment(till)
    await shop.account()
    agreement = await shop.agreement()
    elsewhere = await till.unit("B-1", store=STORE_B)
    other = await till.client.post(
        "/api/consignment/items",
        json={"agreement_id": agreement["id"], "item_id": str(elsewhere.id)},
        headers=till.cashier(),
    )
    unknown = await till.client.post(
        "/api/consignment/items",
        json={"agreement_id": agreement["id"], "item_id": "00000000-0000-4000-8000-000000000001"},
        headers=till.cashier(),
    )
    assert other.status_code == 409 and "another store" in other.json()["detail"]
    assert unknown.status_code == 422 and "item_id" in unknown.json()["detail"]


async def test_giving_an_item_back(till: Till) -> None:
    shop = Consignment(till)
    await shop.account()
    item = await shop.item(await shop.agreement(), "C-1")
    gone = await till.client.delete(f"/api/consignment/items/{item['id']}", headers=till.cashier())
    twice = await till.client.delete(f"/api/consignment/items/{item['id']}", headers=till.cashier())
    shown = await till.client.get(f"/api/consignment/items/{item['id']}", headers=till.cashier())
    assert gone.status_code == 204 and twice.status_code == 409
    assert shown.json()["status"] == "returned"
