"""Payouts: one per consignee and period (a second call, or two at once, get the same),
the minimum payout carrying lines forward, paying once; and the ledger's balance:
Σ paid + unpaid lines = Σ attributed shares - adjustments (a property)."""

from __future__ import annotations

import asyncio
import itertools
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from pos.consignment.models import EntryStatus, LedgerEntry, Payout, PayoutStatus
from tests.consignment.shop import CONSIGNEE, STORE_ZONE, Consignment, store_day
from tests.till import Till

TODAY = store_day()


def period(days_back: int = 0) -> dict[str, str]:
    return {
        "period_start": (TODAY - timedelta(days=days_back)).isoformat(),
        "period_end": TODAY.isoformat(),
    }


async def generate(till: Till, body: dict[str, str] | None = None) -> Any:
    return await till.client.post(
        "/api/consignment/payouts/generate", json=body or period(), headers=till.head()
    )


async def sold(shop: Consignment, *prices: str, **terms: Any) -> dict[str, Any]:
    await shop.account()
    agreement = await shop.agreement(**terms)
    for index, price in enumerate(prices):
        await shop.item(agreement, f"C-{index}", price)
    drawer = await shop.till.drawer()
    for index in range(len(prices)):
        await shop.till.sell(drawer, f"C-{index}")
    return drawer


async def test_a_second_generation_returns_the_same_payouts(till: Till) -> None:
    shop = Consignment(till)
    await sold(shop, "100.00", "60.00")

    first = await generate(till)
    second = await generate(till)

    assert first.status_code == 201, first.text
    assert second.status_code == 200, second.text
    assert second.json()["payouts"] == first.json()["payouts"]
    (payout,) = first.json()["payouts"]
    assert (payout["amount"], payout["line_count"], payout["status"]) == ("80.00", 2, "pending")
    generated = [s for s, _ in await shop.events("pos.consignment.payout.")]
    assert generated == ["pos.consignment.payout.generated"]


async def test_two_generations_at_once_make_one_payout(till: Till) -> None:
    shop = Consignment(till)
    await sold(shop, "100.00")

    both = await asyncio.gather(generate(till), generate(till))

    assert sorted(response.status_code for response in both) == [200, 201]
    assert both[0].json()["payouts"] == both[1].json()["payouts"]
    async with till.database.session() as session:
        payouts = await session.scalar(select(func.count()).select_from(Payout))
        taken = await session.scalar(select(func.count()).where(LedgerEntry.payout_id.is_not(None)))
    assert (payouts, taken) == (1, 1)


async def test_below_the_minimum_the_lines_are_carried_into_the_next_period(till: Till) -> None:
    shop = Consignment(till)
    drawer = await sold(shop, "40.00", minimum_payout="25.00")  # owed 20.00

    first = await generate(till, period(3))
    (carried,) = first.json()["payouts"]
    assert (carried["status"], carried["amount"]) == ("carried_forward", "20.00")
    pay = await till.client.patch(
        f"/api/consignment/payouts/{carried['id']}/pay",
        json={"method": "cash"},
        headers=till.head(),
    )
    assert pay.status_code == 409 and "carried forward" in pay.json()["detail"]

    agreements = await till.client.get("/api/consignment/agreements", headers=till.head())
    agreement = agreements.json()["results"][0]
    await shop.item(agreement, "C-MORE", "20.00")
    await till.sell(drawer, "C-MORE")
    later = await generate(till, period(0))
    (payout,) = later.json()["payouts"]
    assert (payout["status"], payout["amount"], payout["line_count"]) == ("pending", "30.00", 2)


async def test_paying_records_method_and_reference_once(till: Till) -> None:
    shop = Consignment(till)
    await sold(shop, "100.00")
    (payout,) = (await generate(till)).json()["payouts"]
    url = f"/api/consignment/payouts/{payout['id']}"

    paid = await till.client.patch(
        f"{url}/pay", json={"method": "check", "reference": "CHK-1"}, headers=till.head()
    )
    twice = await till.client.patch(
        f"{url}/pay", json={"method": "cash", "reference": "X"}, headers=till.head()
    )
    edit = await till.client.patch(url, json={"notes": "changed"}, headers=till.head())
    delete = await till.client.delete(url, headers=till.head())

    assert paid.status_code == 200, paid.text
    assert (paid.json()["status"], paid.json()["method"], paid.json()["reference"]) == (
        "paid",
        "check",
        "CHK-1",
    )
    assert twice.status_code == 409 and "paid" in twice.json()["detail"]
    assert edit.status_code == 409 and delete.status_code == 409
    shown = await till.client.get(url, headers=till.head())
    assert (shown.json()["method"], shown.json()["notes"]) == ("check", "")
    subjects = [s for s, _ in await shop.events("pos.consignment.payout.")]
    assert subjects == ["pos.consignment.payout.generated", "pos.consignment.payout.paid"]


async def test_a_deleted_payout_gives_its_lines_back(till: Till) -> None:
    shop = Consignment(till)
    await sold(shop, "100.00")
    (payout,) = (await generate(till, period(1))).json()["payouts"]
    gone = await till.client.delete(f"/api/consignment/payouts/{payout['id']}", headers=till.head())
    assert gone.status_code == 204
    again = (await generate(till, period(2))).json()["payouts"]
    assert [(p["amount"], p["line_count"]) for p in again] == [("50.00", 1)]


async def test_one_consignees_payout_by_post(till: Till) -> None:
    shop = Consignment(till)
    await sold(shop, "100.00")
    body = {"consignee_id": CONSIGNEE, **period()}
    made = await till.client.post("/api/consignment/payouts", json=body, headers=till.head())
    again = await till.client.post("/api/consignment/payouts", json=body, headers=till.head())
    assert (made.status_code, again.status_code) == (201, 200)
    assert made.json()["id"] == again.json()["id"]


async def test_bad_periods_are_refused(till: Till) -> None:
    shop = Consignment(till)
    await sold(shop, "100.00")
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    future = await generate(till, {"period_start": TODAY.isoformat(), "period_end": tomorrow})
    backwards = await generate(
        till, {"period_start": TODAY.isoformat(), "period_end": "2020-01-01"}
    )
    assert future.status_code == 422 and "future" in future.json()["detail"]
    assert backwards.status_code == 422 and "before period_start" in backwards.text
    async with till.database.session() as session:
        assert await session.scalar(select(func.count()).select_from(Payout)) == 0


# -- the balance, as a property ----------------------------------------------------------------

OPERATION = st.one_of(
    st.tuples(st.just("sell"), st.integers(min_value=1, max_value=9000)),
    st.tuples(st.just("void"), st.integers(min_value=0, max_value=5)),
    st.tuples(st.just("generate"), st.just(0)),
    st.tuples(st.just("pay"), st.integers(min_value=0, max_value=5)),
)
EXAMPLES = itertools.count()
PERIODS = itertools.count(10)


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=st.lists(OPERATION, min_size=1, max_size=8))
async def test_paid_and_unpaid_lines_always_equal_shares_less_adjustments(
    till: Till, operations: list[tuple[str, int]]
) -> None:
    """Each example: a new consignee (50 %, minimum payout 30.00) sells, voids, generates
    and pays in any order; after every step Σ paid payouts + Σ lines no paid payout took =
    Σ shares of sales not voided (a void cancels its share, or adds the negative)."""
    example = next(EXAMPLES)
    shop = Consignment(till)
    user = f"prop-{example}"
    await shop.account(user)
    agreement = await shop.agreement(user, minimum_payout="30.00")
    drawer = await _drawer(till, example)
    sales: list[tuple[dict[str, Any], Decimal]] = []
    voided: set[int] = set()
    for step, (operation, number) in enumerate(operations):
        if operation == "sell":
            price = Decimal(number) / 100 * 10
            await shop.item(agreement, f"P-{example}-{step}", f"{price:.2f}")
            sales.append((await till.sell(drawer, f"P-{example}-{step}"), price))
        elif operation == "void" and sales:
            index = number % len(sales)
            if index not in voided:
                response = await till.client.post(
                    f"/api/pos/carts/{sales[index][0]['id']}/void",
                    json={"reason": "property"},
                    headers=till.head(),
                )
                assert response.status_code == 200, response.text
                voided.add(index)
        elif operation == "generate":
            response = await generate(till, period(next(PERIODS)))
            assert response.status_code in (200, 201), response.text
        elif operation == "pay":
            pending = await _payouts(till, user, PayoutStatus.pending)
            if pending:
                payout = pending[number % len(pending)]
                paid = await till.client.patch(
                    f"/api/consignment/payouts/{payout.id}/pay",
                    json={"method": "cash"},
                    headers=till.head(),
                )
                assert paid.status_code == 200, paid.text
        expected = sum(
            (price / 2 for index, (_, price) in enumerate(sales) if index not in voided),
            Decimal("0.00"),
        )
        assert await _paid_and_unpaid(till, user) == expected, (operation, step)


async def _drawer(till: Till, example: int) -> dict[str, Any]:
    return await till.drawer(code=f"PROP-{example}")


async def _payouts(till: Till, user: str, status: PayoutStatus) -> list[Payout]:
    async with till.database.session() as session:
        found = await session.scalars(
            select(Payout).where(Payout.consignee_id == user, Payout.status == status)
        )
        return list(found)


async def _paid_and_unpaid(till: Till, user: str) -> Decimal:
    async with till.database.session() as session:
        paid = await session.scalar(
            select(func.coalesce(func.sum(Payout.amount), 0)).where(
                Payout.consignee_id == user, Payout.status == PayoutStatus.paid
            )
        )
        paid_ids = select(Payout.id).where(Payout.status == PayoutStatus.paid)
        unpaid = await session.scalar(
            select(func.coalesce(func.sum(LedgerEntry.amount), 0)).where(
                LedgerEntry.consignee_id == user,
                LedgerEntry.status == EntryStatus.owed,
                (LedgerEntry.payout_id.is_(None)) | LedgerEntry.payout_id.not_in(paid_ids),
            )
        )
    return Decimal(paid) + Decimal(unpaid)


async def test_a_period_is_the_stores_calendar_days_not_utcs(till: Till) -> None:
    """Store A is in New York: a sale at 23:30 there (04:30 UTC the next day) belongs to its
    own day's period; one at 00:30 the next morning to the next period."""
    shop = Consignment(till)
    await sold(shop, "100.00", "60.00")
    day = store_day() - timedelta(days=2)
    zone = ZoneInfo(STORE_ZONE)
    late = datetime.combine(day, time(23, 30), tzinfo=zone)
    next_morning = datetime.combine(day + timedelta(days=1), time(0, 30), tzinfo=zone)
    async with till.database.session() as session:
        entries = list(await session.scalars(select(LedgerEntry).order_by(LedgerEntry.amount)))
        entries[0].occurred_at, entries[1].occurred_at = next_morning, late  # 30.00, 50.00

    response = await generate(
        till, {"period_start": day.isoformat(), "period_end": day.isoformat()}
    )

    assert response.status_code == 201, response.text
    (payout,) = response.json()["payouts"]
    assert (payout["amount"], payout["line_count"]) == ("50.00", 1)
