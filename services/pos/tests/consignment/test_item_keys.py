"""Taking an item in with the client's ``Idempotency-Key``: a retry (same key, same body)
answers the item the first request took in (200, same id) and makes no second unit in
inventory; the same key with another body is a 422 naming the key. POS sends inventory a
key derived from the client's, so a retry after POS failed behind inventory's back (the
unit made, POS's transaction lost) takes that same unit in."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import func, select

from pos.consigned.service import ConsignedService, inventory_key
from pos.consignment.models import ConsignedItem
from tests.consignment.shop import Consignment
from tests.consignment.standins import StandInInventory, StandIns
from tests.till import Till

UNIT = {"name": "Gibson Les Paul 1959", "category": "Guitars", "price": "9000.00"}
KEY = "3f1b9c52-6d0e-4f7a-9b3e-2c8d5a7e1f04"


async def consigned(till: Till) -> list[ConsignedItem]:
    async with till.database.session() as session:
        return list((await session.scalars(select(ConsignedItem))).all())


async def arranged(till: Till, stand_ins: StandIns) -> tuple[dict[str, Any], StandInInventory]:
    shop = Consignment(till)
    await shop.account()
    inventory = StandInInventory()
    stand_ins.inventory = inventory
    return await shop.agreement(), inventory


async def take_in(till: Till, body: dict[str, Any], key: str = KEY) -> Any:
    return await till.client.post(
        "/api/consignment/items",
        json=body,
        headers={**till.cashier(), "Idempotency-Key": key},
    )


async def test_a_retry_with_the_same_key_answers_the_same_item_and_makes_one_unit(
    till: Till, stand_ins: StandIns
) -> None:
    agreement, inventory = await arranged(till, stand_ins)
    body = {"agreement_id": agreement["id"], "unit": UNIT}

    first = await take_in(till, body)
    again = await take_in(till, body)

    assert first.status_code == 201, first.text
    assert again.status_code == 200, again.text
    assert again.json() == first.json()
    assert len(inventory.units) == 1 and len(inventory.creations) == 1
    assert inventory.creations[0].headers["Idempotency-Key"] == inventory_key(KEY)
    [row] = await consigned(till)
    assert (str(row.id), row.idempotency_key) == (first.json()["id"], KEY)
    events = await Consignment(till).events("pos.consignment.item.")
    assert [subject for subject, _ in events] == ["pos.consignment.item.created"]


async def test_the_same_key_with_another_body_is_422_naming_the_key(
    till: Till, stand_ins: StandIns
) -> None:
    agreement, inventory = await arranged(till, stand_ins)
    first = await take_in(till, {"agreement_id": agreement["id"], "unit": UNIT})

    other = await take_in(
        till, {"agreement_id": agreement["id"], "unit": {**UNIT, "price": "8500.00"}}
    )

    assert first.status_code == 201, first.text
    assert other.status_code == 422, other.text
    assert (
        f"Idempotency-Key {KEY!r} was used for consigned item {first.json()['id']}"
        in (other.json()["detail"])
    )
    assert len(await consigned(till)) == 1 and len(inventory.units) == 1


async def test_a_retry_after_pos_failed_behind_inventorys_back_takes_that_unit_in(
    till: Till, stand_ins: StandIns, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The orphan unit: inventory made it, POS's transaction was lost; the retry links it."""
    agreement, inventory = await arranged(till, stand_ins)
    publish = ConsignedService._publish
    crashes = [RuntimeError("POS lost its transaction after inventory answered")]

    async def crashing_once(self: ConsignedService, item: ConsignedItem, what: str) -> None:
        if crashes:
            raise crashes.pop()
        await publish(self, item, what)

    monkeypatch.setattr(ConsignedService, "_publish", crashing_once)
    body = {"agreement_id": agreement["id"], "unit": UNIT}

    lost = await take_in(till, body)
    assert lost.status_code == 500
    assert await consigned(till) == [] and len(inventory.units) == 1
    retried = await take_in(till, body)

    assert retried.status_code == 201, retried.text
    [unit] = inventory.units.values()
    assert retried.json()["item_id"] == unit["id"]  # inventory answered its unit again (200)
    assert len(inventory.creations) == 2 and len(inventory.units) == 1
    assert {r.headers["Idempotency-Key"] for r in inventory.creations} == {inventory_key(KEY)}
    assert len(await consigned(till)) == 1


async def test_a_linked_unit_retried_with_its_key_is_the_same_item(till: Till) -> None:
    shop = Consignment(till)
    await shop.account()
    agreement = await shop.agreement()
    unit = await till.unit("LINK-1")
    body = {"agreement_id": agreement["id"], "item_id": str(unit.id)}

    first = await take_in(till, body, key="link-1")
    again = await take_in(till, body, key="link-1")
    without_key = await till.client.post(
        "/api/consignment/items", json=body, headers=till.cashier()
    )

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert without_key.status_code == 409 and "consigned already" in without_key.json()["detail"]


async def test_two_concurrent_requests_with_one_key_take_one_item_in(
    till: Till, stand_ins: StandIns
) -> None:
    agreement, inventory = await arranged(till, stand_ins)
    body = {"agreement_id": agreement["id"], "unit": UNIT}

    answers = await asyncio.gather(*(take_in(till, body) for _ in range(2)))

    statuses = sorted(answer.status_code for answer in answers)
    assert statuses in ([200, 201], [201, 409]), [a.text for a in answers]
    if 409 in statuses:
        refused = next(a for a in answers if a.status_code == 409)
        assert "still in flight" in refused.json()["detail"]
    assert len(await consigned(till)) == 1 and len(inventory.units) == 1
    async with till.database.session() as session:
        assert await session.scalar(select(func.count()).select_from(ConsignedItem)) == 1
