"""The consignee portal: their own items, payouts and summary (the amounts the next payout
will have), and never another consignee's — another's item by id is 404."""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from pos.consignment.models import ConsignedItem
from tests.consignment.shop import OTHER_CONSIGNEE, STORE_ZONE, Consignment, store_day
from tests.till import Till

TODAY = store_day().isoformat()


async def test_the_portal_shows_only_the_consignees_own_and_the_next_payout(till: Till) -> None:
    shop = Consignment(till)
    await shop.account()
    await shop.account(OTHER_CONSIGNEE)
    mine = await shop.agreement(fee_per_item="1.00")
    theirs = await shop.agreement(OTHER_CONSIGNEE)
    sold = await shop.item(mine, "C-SOLD", "100.00")
    await shop.item(mine, "C-FLOOR", "70.00")
    other = await shop.item(theirs, "O-1", "500.00")
    drawer = await till.drawer()
    await till.sell(drawer, "C-SOLD", "O-1")
    me = shop.consignee()

    items = await till.client.get("/api/consignment/my/items", headers=me)
    summary = await till.client.get("/api/consignment/my/summary", headers=me)
    probe = await till.client.get(f"/api/consignment/my/items/{other['id']}", headers=me)
    own = await till.client.get(f"/api/consignment/my/items/{sold['id']}", headers=me)

    assert sorted(row["sku"] for row in items.json()["results"]) == ["C-FLOOR", "C-SOLD"]
    assert own.status_code == 200 and own.json()["share_amount"] == "49.00"
    assert probe.status_code == 404
    assert summary.json() == {
        "items_on_floor": 1,
        "sold_this_month": 1,
        "sold_this_month_amount": "49.00",
        "owed_now": "49.00",
        "awaiting_payment": "0.00",
        "paid_to_date": "0.00",
    }
    generated = await till.client.post(
        "/api/consignment/payouts/generate",
        json={"period_start": TODAY, "period_end": TODAY},
        headers=till.head(),
    )
    payout = next(p for p in generated.json()["payouts"] if p["consignee_id"] == "consignee-1")
    assert payout["amount"] == "49.00"  # exactly what the portal said was owed
    await till.client.patch(
        f"/api/consignment/payouts/{payout['id']}/pay",
        json={"method": "cash"},
        headers=till.head(),
    )
    payouts = await till.client.get("/api/consignment/my/payouts", headers=me)
    after = await till.client.get("/api/consignment/my/summary", headers=me)
    assert [(p["id"], p["status"]) for p in payouts.json()["results"]] == [(payout["id"], "paid")]
    assert (after.json()["owed_now"], after.json()["paid_to_date"]) == ("0.00", "49.00")
    theirs_payouts = await till.client.get(
        "/api/consignment/my/payouts", headers=shop.consignee(OTHER_CONSIGNEE)
    )
    assert [p["amount"] for p in theirs_payouts.json()["results"]] == ["250.00"]


async def test_this_month_is_the_stores_month_not_utcs(till: Till) -> None:
    """Store A is in New York: a sale at 22:00 there on the last day of last month (after
    midnight UTC, on the 1st) was not sold this month."""
    shop = Consignment(till)
    await shop.account()
    agreement = await shop.agreement()
    late = await shop.item(agreement, "C-LATE", "100.00")
    await shop.item(agreement, "C-NOW", "60.00")
    await till.sell(await till.drawer(), "C-LATE", "C-NOW")
    zone = ZoneInfo(STORE_ZONE)
    first = datetime.combine(store_day().replace(day=1), time.min, tzinfo=zone)
    async with till.database.session() as session:
        item = await session.get(ConsignedItem, uuid.UUID(late["id"]))
        assert item is not None
        item.sold_at = first - timedelta(hours=2)

    summary = await till.client.get("/api/consignment/my/summary", headers=shop.consignee())

    assert summary.status_code == 200, summary.text
    body = summary.json()
    assert (body["sold_this_month"], body["sold_this_month_amount"]) == (1, "30.00")
