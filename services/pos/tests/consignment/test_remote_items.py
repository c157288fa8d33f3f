"""A new consigned item is a unit POS creates in inventory through its HTTP API with its
service credential: ``source`` consignment, the consignee its owner, one unit per
``Idempotency-Key`` however often the call is retried; inventory not answering is a 503
naming inventory with nothing written in POS, a refusal a 422 with its reason.

inventory (and auth's token endpoint) are stood in for at the HTTP transport
(``standins.py``); inventory's side of the same request is tested in inventory
(tests/items/test_consignment_units.py). A client's ``Idempotency-Key`` on the take-in:
tests/consignment/test_item_keys.py."""

from __future__ import annotations

import json

import httpx
import pytest
from sqlalchemy import func, select

from pos.consignment.models import ConsignedItem
from tests.consignment.shop import CONSIGNEE, Consignment
from tests.consignment.standins import StandInInventory, StandIns
from tests.till import STORE_A, Till

UNIT = {"name": "Fender Telecaster 1978", "category": "Guitars", "price": "1200.00"}


async def consigned_rows(till: Till) -> int:
    async with till.database.session() as session:
        return int(await session.scalar(select(func.count()).select_from(ConsignedItem)) or 0)


async def test_a_new_unit_is_created_in_inventory_once_despite_a_retry(
    till: Till, stand_ins: StandIns
) -> None:
    shop = Consignment(till)
    await shop.account()
    agreement = await shop.agreement()
    inventory = StandInInventory(failures=1)
    stand_ins.inventory = inventory

    response = await till.client.post(
        "/api/consignment/items",
        json={"agreement_id": agreement["id"], "unit": UNIT},
        headers=till.cashier(),
    )

    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["sku"], body["name"], body["list_price"], body["status"]) == (
        "ITM-000777",
        "Fender Telecaster 1978",
        "1200.00",
        "on_floor",
    )
    assert len(inventory.creations) == 2  # the 503, then the retry with the same key
    assert len({r.headers["Idempotency-Key"] for r in inventory.creations}) == 1
    [unit] = inventory.units.values()
    assert body["item_id"] == unit["id"]
    sent = json.loads(inventory.creations[-1].content)
    assert (sent["source"], sent["owner_id"], sent["store_id"]) == (
        "consignment",
        CONSIGNEE,
        str(STORE_A),
    )
    assert inventory.creations[-1].url.path == "/api/inventory/items"
    assert inventory.creations[-1].headers["Authorization"] == "Bearer t"
    assert [s for s, _ in await shop.events("pos.consignment.item.")] == [
        "pos.consignment.item.created"
    ]


@pytest.mark.parametrize("failure", ["down", "503"])
async def test_inventory_down_is_503_naming_inventory_and_nothing_is_written(
    till: Till, stand_ins: StandIns, failure: str
) -> None:
    shop = Consignment(till)
    await shop.account()
    agreement = await shop.agreement()

    def broken(request: httpx.Request) -> httpx.Response:
        if failure == "down":
            raise httpx.ConnectError("connection refused", request=request)
        return httpx.Response(503, json={"detail": "maintenance"})

    stand_ins.inventory = broken
    response = await till.client.post(
        "/api/consignment/items",
        json={"agreement_id": agreement["id"], "unit": UNIT},
        headers=till.cashier(),
    )

    assert response.status_code == 503, response.text
    assert "inventory" in response.json()["detail"]
    assert await consigned_rows(till) == 0
    assert await shop.events("pos.consignment.item.") == []


async def test_inventory_refusing_is_422_with_its_reason_and_bad_bodies_name_the_problem(
    till: Till, stand_ins: StandIns
) -> None:
    shop = Consignment(till)
    await shop.account()
    agreement = await shop.agreement()

    def refusing(request: httpx.Request) -> httpx.Response:
        return httpx.Response(422, json={"detail": "location_id: not a location of the store"})

    stand_ins.inventory = refusing
    refused = await till.client.post(
        "/api/consignment/items",
        json={"agreement_id": agreement["id"], "unit": UNIT},
        headers=till.cashier(),
    )
    assert refused.status_code == 422
    assert "not a location of the store" in refused.json()["detail"]

    both = await till.client.post(
        "/api/consignment/items",
        json={
            "agreement_id": agreement["id"],
            "unit": UNIT,
            "item_id": "9e1c6e80-9a1b-4c2d-8e3f-4a5b6c7d8e01",
        },
        headers=till.cashier(),
    )
    neither = await till.client.post(
        "/api/consignment/items", json={"agreement_id": agreement["id"]}, headers=till.cashier()
    )
    for response in (both, neither):
        assert response.status_code == 422
        assert "exactly one of item_id" in str(response.json()["detail"])
    assert await consigned_rows(till) == 0
