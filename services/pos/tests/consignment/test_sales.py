"""A consigned unit sold at the register: its share (price, discount, share %, fee, amount
owed) is stored with the sale, from the item's agreement version; a void before any payout
cancels it, a void after its payout becomes a negative adjustment for the next payout."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from pos.consignment.models import LedgerEntry
from tests.consignment.shop import CONSIGNEE, Consignment, store_day
from tests.till import Till

TIERS = [
    {"min_price": "0.00", "max_price": "100.00", "share_percent": "40.00"},
    {"min_price": "100.00", "max_price": None, "share_percent": "60.00"},
]
TODAY = store_day().isoformat()


async def ledger(till: Till) -> list[LedgerEntry]:
    async with till.database.session() as session:
        found = await session.scalars(
            select(LedgerEntry).order_by(LedgerEntry.occurred_at, LedgerEntry.kind)
        )
        return list(found)


async def void(till: Till, sale: dict[str, Any]) -> None:
    response = await till.client.post(
        f"/api/pos/carts/{sale['id']}/void", json={"reason": "returned"}, headers=till.head()
    )
    assert response.status_code == 200, response.text


async def test_the_share_is_stored_with_the_sale_from_tiers_categories_and_fee(
    till: Till,
) -> None:
    shop = Consignment(till)
    await shop.account()
    agreement = await shop.agreement(
        tiers=TIERS, category_shares={"Guitars": "70.00"}, fee_per_item="2.50"
    )
    await shop.item(agreement, "C-CHEAP", "80.00")
    await shop.item(agreement, "C-DEAR", "150.00")
    await shop.item(agreement, "C-GTR", "200.00", category="Guitars")
    await till.article("PLAIN", "5.00")
    drawer = await till.drawer()

    sale = await till.sell(drawer, "C-CHEAP", "C-DEAR", "C-GTR", "PLAIN")

    rows = {row.line_no: row for row in await ledger(till)}
    assert sorted(rows) == [1, 2, 3]  # the article is no one's
    cheap, dear, guitar = rows[1], rows[2], rows[3]
    assert (cheap.price, cheap.share_percent, cheap.fee, cheap.amount) == (80, 40, 2.5, 29.5)
    assert (dear.share_percent, dear.amount) == (60, 87.5)
    assert (guitar.share_percent, guitar.amount) == (70, 137.5)
    assert {row.receipt_number for row in rows.values()} == {sale["receipt_number"]}
    items = await till.client.get(
        "/api/consignment/items", params={"status": "sold"}, headers=till.cashier()
    )
    assert sorted(row["share_amount"] for row in items.json()["results"]) == [
        "137.50",
        "29.50",
        "87.50",
    ]
    sold = [data for subject, data in await shop.events() if subject.endswith(".item.sold")]
    assert sorted(data["amount_owed"] for data in sold) == ["137.50", "29.50", "87.50"]
    assert {data["sale_id"] for data in sold} == {sale["id"]}


async def test_the_share_follows_the_line_and_cart_discounts(till: Till) -> None:
    shop = Consignment(till)
    await shop.account()
    await shop.item(await shop.agreement(), "C-1", "200.00")
    drawer = await till.drawer()
    cart = await till.cart(drawer, "C-1")
    for path, body in (
        ("lines/1", {"discount_percent": "10"}),
        ("discount", {"discount_percent": "5"}),
    ):
        method = "PATCH" if path.startswith("lines") else "POST"
        changed = await till.client.request(
            method, f"/api/pos/carts/{cart['id']}/{path}", json=body, headers=till.cashier()
        )
        assert changed.status_code == 200, changed.text
    done = await till.client.post(
        f"/api/pos/carts/{cart['id']}/complete",
        json={"payment_method": "card"},
        headers=till.cashier(),
    )
    assert done.status_code == 200, done.text

    (row,) = await ledger(till)
    # 200 - 10 % = 180, less 5 % cart discount (9.00) = 171.00; half of it is owed
    assert (row.price, row.discount, row.share_percent, row.amount) == (200, 29, 50, 85.5)


async def test_a_version_edit_after_intake_does_not_change_the_share(till: Till) -> None:
    shop = Consignment(till)
    await shop.account()
    agreement = await shop.agreement()
    await shop.item(agreement, "C-1", "100.00")
    edited = await till.client.patch(
        f"/api/consignment/agreements/{agreement['id']}",
        json={"share_percent": "90.00"},
        headers=till.head(),
    )
    assert edited.status_code == 200
    await till.sell(await till.drawer(), "C-1")
    (row,) = await ledger(till)
    assert (row.agreement_id.hex, row.share_percent, row.amount) == (
        agreement["id"].replace("-", ""),
        50,
        50,
    )


async def test_a_void_before_the_payout_cancels_the_share(till: Till) -> None:
    shop = Consignment(till)
    await shop.account()
    item = await shop.item(await shop.agreement(), "C-1", "100.00")
    sale = await till.sell(await till.drawer(), "C-1")

    await void(till, sale)

    (row,) = await ledger(till)
    assert (row.kind, row.status) == ("share", "cancelled")
    shown = await till.client.get(f"/api/consignment/items/{item['id']}", headers=till.cashier())
    assert (shown.json()["status"], shown.json()["share_amount"]) == ("on_floor", None)
    voided = [data for subject, data in await shop.events() if subject.endswith("sale_voided")]
    assert len(voided) == 1 and voided[0]["adjustment"] is None
    summary = await till.client.get("/api/consignment/my/summary", headers=shop.consignee())
    assert summary.json()["owed_now"] == "0.00"


async def test_a_void_after_the_payout_is_carried_into_the_next_one(till: Till) -> None:
    shop = Consignment(till)
    await shop.account()
    agreement = await shop.agreement()
    await shop.item(agreement, "C-1", "100.00")
    await shop.item(agreement, "C-2", "30.00")
    drawer = await till.drawer()
    first = await till.sell(drawer, "C-1")
    generated = await till.client.post(
        "/api/consignment/payouts/generate",
        json={"period_start": TODAY, "period_end": TODAY},
        headers=till.head(),
    )
    assert generated.status_code == 201, generated.text
    (payout,) = generated.json()["payouts"]
    assert payout["amount"] == "50.00"

    await void(till, first)
    await till.sell(drawer, "C-2")

    entries = await ledger(till)
    assert sorted((row.kind, row.amount) for row in entries) == [
        ("adjustment", -50),
        ("share", 15),
        ("share", 50),
    ]
    summary = await till.client.get("/api/consignment/my/summary", headers=shop.consignee())
    assert summary.json()["owed_now"] == "-35.00"  # what the next payout will carry
    paid_before = await till.client.get(
        f"/api/consignment/payouts/{payout['id']}", headers=till.head()
    )
    assert paid_before.json()["amount"] == "50.00"  # a generated payout is never recomputed
    assert payout["consignee_id"] == CONSIGNEE
