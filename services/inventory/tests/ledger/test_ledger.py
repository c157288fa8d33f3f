"""The stock ledger: balances always equal the ledger's sum, races for the last unit,
append-only rows, moving-average valuation and low-stock alerts once per crossing."""

from __future__ import annotations

import asyncio
import time
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from common.db import Database
from common.testing.helpers import read_events
from tests.conftest import Shop
from tests.invariants import ledger_mismatches, negative_balances, outbox_subjects


async def set_config(shop: Shop, **values: Any) -> None:
    body = {
        "default_low_stock_threshold": "0",
        "low_stock_overrides": {},
        "allow_negative_stock": False,
        "valuation_method": "moving_average",
        **values,
    }
    response = await shop.client.put("/api/inventory-config", json=body, headers=shop.admin)
    assert response.status_code == 200, response.text


async def draft(shop: Shop, entry_type: str, **line: Any) -> str:
    entry = await shop.entry(entry_type, line, post=False)
    return str(entry["id"])


async def post(shop: Shop, entry_id: str) -> int:
    response = await shop.client.post(f"/api/stock-entries/{entry_id}/post", headers=shop.admin)
    assert response.status_code in (200, 409), response.text
    return response.status_code


async def test_two_postings_racing_for_the_last_unit(shop: Shop, database: Database) -> None:
    await shop.article("CASE-1")
    floor = await shop.location("FLOOR")
    await shop.receive("CASE-1", floor, "1")
    issues = [
        await draft(shop, "issue", sku="CASE-1", quantity="1", source_location_id=floor["id"])
        for _ in range(2)
    ]
    statuses = await asyncio.gather(*(post(shop, entry_id) for entry_id in issues))
    assert sorted(statuses) == [200, 409]
    assert await shop.balance("CASE-1", floor) == 0
    assert await ledger_mismatches(database) == []
    refused = issues[statuses.index(409)]
    entry = await shop.client.get(f"/api/stock-entries/{refused}", headers=shop.admin)
    assert entry.json()["status"] == "draft", "the refused posting wrote nothing"


async def test_racing_postings_both_pass_when_negative_stock_is_allowed(
    shop: Shop, database: Database
) -> None:
    await set_config(shop, allow_negative_stock=True)
    await shop.article("CASE-1")
    floor = await shop.location("FLOOR")
    await shop.receive("CASE-1", floor, "1")
    issues = [
        await draft(shop, "issue", sku="CASE-1", quantity="1", source_location_id=floor["id"])
        for _ in range(2)
    ]
    assert await asyncio.gather(*(post(shop, entry_id) for entry_id in issues)) == [200, 200]
    assert await shop.balance("CASE-1", floor) == -1
    assert await ledger_mismatches(database) == []


async def test_not_enough_stock_names_sku_location_and_quantities(shop: Shop) -> None:
    await shop.article("CASE-1")
    floor = await shop.location("FLOOR")
    await shop.receive("CASE-1", floor, "2")
    entry_id = await draft(
        shop, "issue", sku="CASE-1", quantity="3", source_location_id=floor["id"]
    )
    response = await shop.client.post(f"/api/stock-entries/{entry_id}/post", headers=shop.admin)
    assert response.status_code == 409
    detail = response.json()["detail"]
    assert (
        "CASE-1" in detail and "FLOOR" in detail and "2 on hand" in detail and "3 needed" in detail
    )


OPERATION = st.tuples(
    st.sampled_from(["receipt", "issue", "transfer", "adjustment"]),
    st.sampled_from(["KEY-A", "KEY-B"]),
    st.integers(min_value=0, max_value=2),
    st.integers(min_value=0, max_value=2),
    st.integers(min_value=1, max_value=5),
)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(batches=st.lists(st.lists(OPERATION, min_size=1, max_size=4), min_size=1, max_size=4))
async def test_balances_equal_the_ledger_under_concurrent_postings(
    shop: Shop, database: Database, batches: list[list[tuple[str, str, int, int, int]]]
) -> None:
    """Any mix of entries, each batch posted concurrently: no balance drifts from its ledger,
    none goes negative, and every refusal is a 409 that wrote nothing."""
    locations = await _locations(shop)
    for batch in batches:
        ids = []
        for kind, sku, source, target, quantity in batch:
            if kind == "transfer" and source == target:
                target = (source + 1) % 3
            line: dict[str, Any] = {"sku": sku, "quantity": str(quantity)}
            if kind in ("issue", "transfer"):
                line["source_location_id"] = locations[source]["id"]
            if kind != "issue":
                line["target_location_id"] = locations[target]["id"]
            ids.append(await draft(shop, kind, **line))
        await asyncio.gather(*(post(shop, entry_id) for entry_id in ids))
        assert await ledger_mismatches(database) == []
        assert await negative_balances(database) == []
    drafts = await shop.client.get(
        "/api/stock-entries", params={"status": "draft", "page_size": 1}, headers=shop.admin
    )
    posted = await shop.client.get(
        "/api/stock-entries", params={"status": "posted", "page_size": 1}, headers=shop.admin
    )
    total = sum(len(batch) for batch in batches)
    assert drafts.json()["count"] + posted.json()["count"] >= total


async def _locations(shop: Shop) -> list[dict[str, Any]]:
    """Three locations and two articles, created once and reused across hypothesis examples."""
    listed = await shop.client.get("/api/inventory/locations", headers=shop.admin)
    existing = sorted(listed.json()["results"], key=lambda location: location["code"])
    if len(existing) == 3:
        return existing
    await shop.article("KEY-A")
    await shop.article("KEY-B")
    return [await shop.location(code) for code in ("LOC-0", "LOC-1", "LOC-2")]


async def test_the_ledger_refuses_updates_and_deletes(shop: Shop, database: Database) -> None:
    await shop.article("CASE-1")
    floor = await shop.location("FLOOR")
    await shop.receive("CASE-1", floor, "3")
    for statement in (
        "UPDATE stock_ledger SET quantity_change = 99",
        "DELETE FROM stock_ledger",
    ):
        with pytest.raises(DBAPIError, match="append-only"):
            async with database.session() as session:
                await session.execute(text(statement))
    assert await shop.balance("CASE-1", floor) == 3


async def test_moving_average_valuation(shop: Shop) -> None:
    await shop.article("CASE-1")
    floor = await shop.location("FLOOR")
    back = await shop.location("BACK")
    await shop.receive("CASE-1", floor, "10", cost="40")
    await shop.receive("CASE-1", floor, "30", cost="50")
    await shop.entry(
        "transfer",
        {
            "sku": "CASE-1",
            "quantity": "4",
            "source_location_id": floor["id"],
            "target_location_id": back["id"],
        },
    )
    response = await shop.client.get(
        "/api/inventory/stock", params={"sku": "CASE-1"}, headers=shop.admin
    )
    rows = {row["location_code"]: row for row in response.json()["results"]}
    assert Decimal(rows["FLOOR"]["valuation_rate"]) == Decimal("47.5")
    assert Decimal(rows["FLOOR"]["quantity"]) == 36
    assert Decimal(rows["FLOOR"]["stock_value"]) == Decimal("1710.00")
    assert Decimal(rows["BACK"]["valuation_rate"]) == Decimal("47.5"), "a transfer keeps the value"


async def test_low_stock_is_published_once_per_crossing(
    shop: Shop, database: Database, nats_url: str
) -> None:
    await set_config(shop, default_low_stock_threshold="5", low_stock_overrides={"case-2": "2"})
    await shop.article("CASE-1")
    await shop.article("CASE-2")
    floor = await shop.location("FLOOR")
    since = time.time()
    await shop.receive("CASE-1", floor, "10")

    async def issue(sku: str, quantity: str) -> None:
        await shop.entry(
            "issue", {"sku": sku, "quantity": quantity, "source_location_id": floor["id"]}
        )

    await issue("CASE-1", "6")  # 10 → 4: crosses below 5
    await issue("CASE-1", "1")  # 4 → 3: still low, no second alert
    assert await outbox_subjects(database, "inventory.stock.low") == ["inventory.stock.low"]
    await shop.receive("CASE-1", floor, "10")  # 13: back above
    await issue("CASE-1", "10")  # 3: crosses again
    assert len(await outbox_subjects(database, "inventory.stock.low")) == 2
    await shop.receive("CASE-2", floor, "3")
    await issue("CASE-2", "1")  # 2 is not under its override of 2
    assert len(await outbox_subjects(database, "inventory.stock.low")) == 2
    events = await read_events(nats_url, "inventory.stock.low", expected=2, since=since)
    assert [event.data["quantity"] for event in events] == ["4", "3"]
    assert events[0].data["threshold"] == "5" and events[0].data["sku"] == "CASE-1"
    assert events[0].data["location_code"] == "FLOOR"
    low = await shop.client.get("/api/inventory/stock", params={"low": "true"}, headers=shop.admin)
    assert [row["sku"] for row in low.json()["results"]] == ["CASE-1"]
