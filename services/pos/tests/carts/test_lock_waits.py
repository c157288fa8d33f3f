"""Requests on one cart queue on its lock; the one served second sees what the first wrote.

A read that waits for the cart's lock gets the cart as it is once the lock is granted, but
the cart's lines as of its own start unless it reads them again: an add-item behind another
add-item took the line number the first one had just used, and a complete behind an add-item
sold the cart without the line just added, leaving that unit held by a completed sale.
Here a session holds the cart's lock while the requests line up behind it, in order."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

import httpx
from sqlalchemy import select, text

from pos.carts.models import Cart
from pos.shelf.models import SellableItem
from tests.till import Till


async def _waiting_for_locks(till: Till, count: int) -> None:
    """Until ``count`` sessions of this database wait for a lock."""
    query = text(
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    for _ in range(500):
        async with till.database.session() as session:
            if (await session.scalar(query) or 0) >= count:
                return
        await asyncio.sleep(0.01)
    raise AssertionError(f"{count} requests never queued on the cart's lock")


async def _behind_the_lock(
    till: Till, cart_id: str, *requests: Awaitable[httpx.Response]
) -> list[httpx.Response]:
    """Each request started in turn while a session holds the cart's lock (each queued
    before the next starts), then the lock released; their answers, in that order."""
    started: list[asyncio.Task[httpx.Response]] = []
    async with till.database.session() as holder:
        await holder.execute(select(Cart.id).where(Cart.id == cart_id).with_for_update())
        for number, request in enumerate(requests, start=1):
            started.append(asyncio.ensure_future(request))
            await _waiting_for_locks(till, number)
    return list(await asyncio.gather(*started))


def _post(till: Till, url: str, body: dict[str, Any]) -> Awaitable[httpx.Response]:
    return till.client.post(url, json=body, headers=till.cashier())


async def test_an_add_item_behind_another_numbers_its_line_after_it(till: Till) -> None:
    await till.unit("ITM-Q1", "100.00")
    await till.unit("ITM-Q2", "50.00")
    drawer = await till.drawer()
    cart = await till.cart(drawer)
    url = f"/api/pos/carts/{cart['id']}/add-item"
    first, second = await _behind_the_lock(
        till, cart["id"], _post(till, url, {"sku": "ITM-Q1"}), _post(till, url, {"sku": "ITM-Q2"})
    )
    assert (first.status_code, second.status_code) == (200, 200), second.text
    lines = second.json()["lines"]
    assert [(line["line_id"], line["sku"]) for line in lines] == [(1, "ITM-Q1"), (2, "ITM-Q2")]
    assert second.json()["subtotal"] == "150.00"


async def test_a_complete_behind_an_add_item_sells_the_line_it_added(till: Till) -> None:
    await till.unit("ITM-Q3", "100.00")
    await till.unit("ITM-Q4", "50.00")
    drawer = await till.drawer()
    cart = await till.cart(drawer, "ITM-Q3")
    base = f"/api/pos/carts/{cart['id']}"
    added, done = await _behind_the_lock(
        till,
        cart["id"],
        _post(till, f"{base}/add-item", {"sku": "ITM-Q4"}),
        _post(till, f"{base}/complete", {"payment_method": "cash", "cash_tendered": "200.00"}),
    )
    assert added.status_code == 200, added.text
    assert done.status_code == 200, done.text
    sale = done.json()
    assert [line["sku"] for line in sale["lines"]] == ["ITM-Q3", "ITM-Q4"]
    assert sale["subtotal"] == "150.00"
    async with till.database.session() as session:
        units = (
            await session.execute(
                select(SellableItem.sku, SellableItem.sold_in_sale_id).order_by(SellableItem.sku)
            )
        ).all()
    assert [(sku, str(sold)) for sku, sold in units] == [
        ("ITM-Q3", sale["id"]),
        ("ITM-Q4", sale["id"]),
    ]
