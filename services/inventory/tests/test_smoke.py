"""The stock path end to end inside the service: receive, balance, ledger, items, lookup."""

from __future__ import annotations

from decimal import Decimal

from tests.conftest import Shop


async def test_receive_then_balance_ledger_and_lookup(shop: Shop) -> None:
    await shop.article("IP13-SCR")
    floor = await shop.location("FLOOR", is_default=True)
    entry = await shop.receive("IP13-SCR", floor, "10", cost="40.00")
    assert entry["status"] == "posted"
    assert await shop.balance("IP13-SCR", floor) == Decimal(10)
    ledger = await shop.client.get(
        "/api/stock-ledgers", params={"sku": "IP13-SCR"}, headers=shop.admin
    )
    assert ledger.status_code == 200
    [row] = ledger.json()["results"]
    assert Decimal(row["quantity_change"]) == 10 and Decimal(row["quantity_after"]) == 10
    assert row["voucher_type"] == "stock_entry" and row["voucher_id"] == entry["id"]
    item = await shop.item(price="379.00", location_id=floor["id"])
    assert item["status"] == "intake" and item["sku"].startswith("ITM-")
    ready = await shop.client.post(f"/api/inventory/items/{item['id']}/ready", headers=shop.admin)
    assert ready.status_code == 200, ready.text
    lookup = await shop.client.get(f"/api/inventory/items/lookup/{item['sku'].lower()}")
    assert lookup.status_code == 200
    assert lookup.json()["available"] is True and lookup.json()["price"] == "379.00"
    assert "cost" not in lookup.json()
