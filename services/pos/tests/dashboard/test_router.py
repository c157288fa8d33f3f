"""The dashboard: numbers of the caller's stores only, each store's day by its own clock, and
the alerts. "Now" is fixed by overriding the router's clock; sales are rung up through the
API and then moved in time by updating their rows.

Store A is New York (EST, UTC-5 in February) with 8.75 % tax. NOW is Wednesday 2026-02-11
15:00 in New York (20:00 UTC): A's today is Wed 11 Feb, its week Mon 9 .. Sun 15 Feb
(ISO 2026-W07), and the weeks before start on 2 Feb (W06), 26 Jan (W05), 19 Jan (W04) and
12 Jan (W03)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi import FastAPI
from sqlalchemy import update

from common.roles import Role
from pos.carts.models import Cart
from pos.cash.models import Drawer
from pos.dashboard.models import OversoldAlert
from pos.dashboard.router import clock
from pos.goals.models import RevenueGoal
from pos.registers.models import Register
from pos.shops.models import Store
from tests.till import STORE_A, STORE_B, Till

NOW = datetime(2026, 2, 11, 20, 0, tzinfo=UTC)
NEW_YORK = ZoneInfo("America/New_York")
TOKYO = ZoneInfo("Asia/Tokyo")


def new_york(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=NEW_YORK)


@pytest.fixture
def fixed_now(app: FastAPI) -> Iterator[datetime]:
    app.dependency_overrides[clock] = lambda: NOW
    yield NOW
    app.dependency_overrides.pop(clock, None)


async def stock(till: Till) -> None:
    for sku, price in (
        ("PHONE", "80.00"),
        ("STAND", "30.00"),
        ("CASE", "12.00"),
        ("CABLE", "5.00"),
        ("BAG", "9.00"),
        ("FILM", "7.50"),
        ("PEN", "0.80"),
    ):
        await till.article(sku, price)


async def sold_at(till: Till, drawer: dict[str, Any], when: datetime, *skus: str) -> dict[str, Any]:
    """A card sale of ``skus`` (one each, repeated SKUs add up), completed at ``when``."""
    sale = await till.sell(drawer, *skus)
    await change(till, Cart, sale["id"], completed_at=when)
    return sale


async def change(till: Till, model: Any, row_id: str | uuid.UUID, **values: Any) -> None:
    async with till.database.session() as session:
        await session.execute(
            update(model).where(model.id == uuid.UUID(str(row_id))).values(**values)
        )


async def void(till: Till, sale: dict[str, Any], when: datetime, reason: str) -> None:
    voided = await till.client.post(
        f"/api/pos/carts/{sale['id']}/void", json={"reason": reason}, headers=till.head()
    )
    assert voided.status_code == 200, voided.text
    await change(till, Cart, sale["id"], voided_at=when)


async def metrics(till: Till, headers: dict[str, str], **params: str) -> dict[str, Any]:
    response = await till.client.get("/api/pos/dashboard/metrics", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


async def alerts(till: Till, headers: dict[str, str], **params: str) -> list[dict[str, Any]]:
    response = await till.client.get("/api/pos/dashboard/alerts", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return list(response.json())


async def test_the_numbers_of_a_store_day_by_its_own_clock(till: Till, fixed_now: datetime) -> None:
    await stock(till)
    drawer = await till.drawer()
    # today, 00:30 in New York (05:30 UTC): 80.00 + tax 7.00 = 87.00
    await sold_at(till, drawer, new_york(2, 11, 0, 30), "PHONE")
    # today, 14:00: 2 x 12.00 + 3 x 5.00 + 7.50 + 30.00 + 9.00 + 0.80 = 86.30;
    # tax 86.30 x 0.0875 = 7.55125 → 7.55; total 93.85
    await sold_at(
        till,
        drawer,
        new_york(2, 11, 14),
        *("CASE", "CASE", "CABLE", "CABLE", "CABLE", "FILM", "STAND", "BAG", "PEN"),
    )
    # today, 10:00, voided: 2 x 30.00 = 60.00 + 5.25 = 65.25 (no revenue, no top item)
    voided = await sold_at(till, drawer, new_york(2, 11, 10), "STAND", "STAND")
    await void(till, voided, new_york(2, 11, 11), "Customer changed their mind")
    # yesterday 23:30 in New York = today 04:30 UTC: 10 x 7.50 = 75.00 + 6.5625 → 6.56 = 81.56
    await sold_at(till, drawer, new_york(2, 10, 23, 30), *["FILM"] * 10)
    # Monday: 12.00 + 1.05 = 13.05
    await sold_at(till, drawer, new_york(2, 9, 12), "CASE")
    # Sunday 8 Feb 23:30 in New York = Monday 9 Feb 04:30 UTC, so week W06: 87.00
    await sold_at(till, drawer, new_york(2, 8, 23, 30), "PHONE")
    # W05, Wed 28 Jan: 80.00 + 30.00 = 110.00 + 9.625 → 9.63 = 119.63
    await sold_at(till, drawer, new_york(1, 28, 15), "PHONE", "STAND")
    # W04: nothing. W03, Wed 14 Jan: 2 x 12.00 = 24.00 + 2.10 = 26.10
    await sold_at(till, drawer, new_york(1, 14, 12), "CASE", "CASE")
    async with till.database.session() as session:
        session.add_all(
            [
                RevenueGoal(store_id=STORE_A, day=date(2026, 2, 11), amount=Decimal("200.00")),
                RevenueGoal(store_id=STORE_A, day=date(2026, 2, 10), amount=Decimal("50.00")),
            ]
        )

    body = await metrics(till, till.head())
    assert body["stores"] == [
        {
            "id": str(STORE_A),
            "code": "NYC-01",
            "name": "Manhattan",
            "time_zone": "America/New_York",
            "today": "2026-02-11",
        }
    ]
    assert body["today"] == "2026-02-11"
    # today: 87.00 + 93.85 = 180.85 from 2 sales (the void and yesterday 23:30 left out)
    assert body["revenue_today"] == "180.85"
    # 180.85 / 2 = 90.425 → 90.43 half up (half even would give 90.42);
    # items 1 + (2 + 3 + 1 + 1 + 1 + 1) = 10
    assert body["today_stats"] == {
        "sales_count": 2,
        "average_basket": "90.43",
        "items_sold": "10.000",
    }
    # line totals today: PHONE 80.00, STAND 30.00, CASE 24.00, CABLE 15.00, BAG 9.00,
    # FILM 7.50, PEN 0.80 → the first five (yesterday's 75.00 of FILM does not count)
    assert [
        (item["sku"], item["name"], item["quantity"], item["revenue"]) for item in body["top_items"]
    ] == [
        ("PHONE", "Article PHONE", "1.000", "80.00"),
        ("STAND", "Article STAND", "1.000", "30.00"),
        ("CASE", "Article CASE", "2.000", "24.00"),
        ("CABLE", "Article CABLE", "3.000", "15.00"),
        ("BAG", "Article BAG", "1.000", "9.00"),
    ]
    # Mon 13.05; Tue 81.56 (the 23:30 sale); Wed 180.85; Thu..Sun nothing yet
    assert [(d["date"], d["weekday"], d["revenue"], d["sales_count"]) for d in body["week"]] == [
        ("2026-02-09", "Mon", "13.05", 1),
        ("2026-02-10", "Tue", "81.56", 1),
        ("2026-02-11", "Wed", "180.85", 2),
        ("2026-02-12", "Thu", "0.00", 0),
        ("2026-02-13", "Fri", "0.00", 0),
        ("2026-02-14", "Sat", "0.00", 0),
        ("2026-02-15", "Sun", "0.00", 0),
    ]
    # W04 0.00 against W03 26.10: -100.00 %; W05 119.63 against 0.00: none;
    # W06 87.00 against 119.63: -32.63 / 119.63 = -27.2758 % → -27.28;
    # W07 13.05 + 81.56 + 180.85 = 275.46 against 87.00: 188.46 / 87.00 = 216.6207 % → 216.62
    assert [
        (w["week"], w["starts_on"], w["revenue"], w["sales_count"], w["change_percent"])
        for w in body["last_four_weeks"]
    ] == [
        ("2026-W04", "2026-01-19", "0.00", 0, "-100.00"),
        ("2026-W05", "2026-01-26", "119.63", 1, None),
        ("2026-W06", "2026-02-02", "87.00", 1, "-27.28"),
        ("2026-W07", "2026-02-09", "275.46", 4, "216.62"),
    ]
    # 180.85 / 200.00 = 90.425 % → 90.43 (yesterday's goal of 50.00 is not today's)
    assert body["goal"] == {"amount": "200.00", "revenue": "180.85", "percent": "90.43"}


async def sale_in_b(till: Till, total: str, when: datetime) -> None:
    """A completed sale in store B, written as POS would have stored it."""
    async with till.database.session() as session:
        register = Register(store_id=STORE_B, code=f"B-{uuid.uuid4().hex[:6]}", name="B")
        session.add(register)
        await session.flush()
        drawer = Drawer(
            register_id=register.id,
            store_id=STORE_B,
            cashier_id="cashier-b",
            opening_amount=Decimal("0.00"),
            opened_at=when - timedelta(hours=1),
        )
        session.add(drawer)
        await session.flush()
        session.add(
            Cart(
                drawer_id=drawer.id,
                register_id=register.id,
                store_id=STORE_B,
                cashier_id="cashier-b",
                status="completed",
                subtotal=Decimal(total),
                total=Decimal(total),
                payment_method="card",
                card_amount=Decimal(total),
                receipt_number=f"BOS-01-2026-{uuid.uuid4().int % 10**6:06d}",
                completed_at=when,
            )
        )


async def test_every_store_counts_its_own_today(till: Till, fixed_now: datetime) -> None:
    # Store B in Tokyo (UTC+9): NOW is Thursday 12 Feb 05:00 there.
    await change(till, Store, STORE_B, time_zone="Asia/Tokyo")
    await stock(till)
    drawer = await till.drawer()
    await sold_at(till, drawer, new_york(2, 11, 14), "PHONE")  # A today: 87.00
    # B today (Thu 12 Feb, 01:00 in Tokyo = Wed 11 Feb 16:00 UTC): 50.00
    await sale_in_b(till, "50.00", datetime(2026, 2, 12, 1, 0, tzinfo=TOKYO))
    # B yesterday (Wed 11 Feb 22:00 in Tokyo = 13:00 UTC, which is A's today): 30.00
    await sale_in_b(till, "30.00", datetime(2026, 2, 11, 22, 0, tzinfo=TOKYO))
    async with till.database.session() as session:
        session.add(RevenueGoal(store_id=STORE_A, day=date(2026, 2, 11), amount=Decimal("100")))

    admin = till.auth_headers(Role.system_admin, user_id="admin-1")
    every = await metrics(till, admin)
    assert [(s["code"], s["today"]) for s in every["stores"]] == [
        ("BOS-01", "2026-02-12"),
        ("NYC-01", "2026-02-11"),
    ]
    assert every["today"] == "2026-02-12"  # the store furthest ahead
    # A's today 87.00 + B's today 50.00 = 137.00 from 2 sales; 137.00 / 2 = 68.50
    assert every["revenue_today"] == "137.00"
    assert every["today_stats"]["sales_count"] == 2
    assert every["today_stats"]["average_basket"] == "68.50"
    # each store's Wed and Thu: Wed = A 87.00 + B 30.00 = 117.00; Thu = B 50.00
    week = {d["weekday"]: (d["revenue"], d["sales_count"]) for d in every["week"]}
    assert (week["Wed"], week["Thu"]) == (("117.00", 2), ("50.00", 1))
    assert every["last_four_weeks"][-1]["revenue"] == "167.00"  # 87.00 + 50.00 + 30.00
    # only A set a goal: 87.00 / 100.00 = 87.00 %
    assert every["goal"] == {"amount": "100.00", "revenue": "87.00", "percent": "87.00"}

    only_b = await metrics(till, admin, store=str(STORE_B))
    assert (only_b["today"], only_b["revenue_today"], only_b["goal"]) == (
        "2026-02-12",
        "50.00",
        None,
    )
    head_a = await metrics(till, till.head())
    assert [s["code"] for s in head_a["stores"]] == ["NYC-01"]
    assert head_a["revenue_today"] == "87.00"
    assert head_a["top_items"] == [
        {"sku": "PHONE", "name": "Article PHONE", "quantity": "1.000", "revenue": "80.00"}
    ]


async def test_who_sees_which_numbers(till: Till, fixed_now: datetime) -> None:
    await stock(till)
    drawer = await till.drawer()
    await sold_at(till, drawer, new_york(2, 11, 14), "PHONE")
    async with till.database.session() as session:
        session.add(
            OversoldAlert(
                id=uuid.uuid4(),
                store_id=STORE_A,
                sku="PHONE",
                reason="no stock",
                occurred_at=NOW - timedelta(days=1),
            )
        )

    customer = till.auth_headers(Role.customer, user_id="customer-1")
    nothing = await metrics(till, customer)
    assert nothing["stores"] == [] and nothing["revenue_today"] == "0.00"
    assert nothing["today_stats"] == {
        "sales_count": 0,
        "average_basket": "0.00",
        "items_sold": "0.000",
    }
    assert [(d["revenue"], d["sales_count"]) for d in nothing["week"]] == [("0.00", 0)] * 7
    assert [(w["revenue"], w["change_percent"]) for w in nothing["last_four_weeks"]] == [
        ("0.00", None)
    ] * 4
    assert (nothing["top_items"], nothing["goal"]) == ([], None)
    assert await alerts(till, customer) == []

    head_b = till.auth_headers(Role.branch_head, user_id="head-b", stores=[str(STORE_B)])
    assert (await metrics(till, head_b))["revenue_today"] == "0.00"
    assert await alerts(till, head_b) == []
    for path in ("metrics", "alerts"):
        url = f"/api/pos/dashboard/{path}"
        for headers in (head_b, customer):
            refused = await till.client.get(url, params={"store": str(STORE_A)}, headers=headers)
            assert refused.status_code == 403, (path, refused.text)
            assert str(STORE_A) in refused.json()["detail"]
        anonymous = await till.client.get(url)
        assert anonymous.status_code == 401
        unknown = uuid.uuid4()
        missing = await till.client.get(
            url,
            params={"store": str(unknown)},
            headers=till.auth_headers(Role.system_admin, user_id="admin-1"),
        )
        assert missing.status_code == 404 and str(unknown) in missing.json()["detail"]
    mine = await metrics(till, till.head(), store=str(STORE_A))
    assert mine["revenue_today"] == "87.00"


async def drawer_closed(till: Till, code: str, counted: str, closed_at: datetime) -> dict[str, Any]:
    """A drawer opened with 100.00, nothing sold, closed with ``counted`` at ``closed_at``."""
    drawer = await till.drawer("100.00", code=code)
    closed = await till.client.post(
        f"/api/pos/drawers/{drawer['id']}/close",
        json={"counted_amount": counted},
        headers=till.cashier(),
    )
    assert closed.status_code == 200, closed.text
    await change(till, Drawer, drawer["id"], closed_at=closed_at)
    return dict(closed.json())


async def test_alerts(till: Till, fixed_now: datetime) -> None:
    # shift_hours 10 and variance_alert 20.00 (the defaults)
    long_open = await till.drawer(code="REG-1")
    await change(till, Drawer, long_open["id"], opened_at=NOW - timedelta(hours=11))
    fresh = await till.drawer(code="REG-2")
    await change(till, Drawer, fresh["id"], opened_at=NOW - timedelta(hours=2))
    # variances counted - expected (100.00): -25.00 alerts; +5.00 and -20.00 (not beyond) do not;
    # -50.00 was yesterday (23:00 in New York, though 04:00 UTC today)
    short = await drawer_closed(till, "REG-3", "75.00", new_york(2, 11, 13))
    await drawer_closed(till, "REG-4", "105.00", new_york(2, 11, 14))
    await drawer_closed(till, "REG-5", "80.00", new_york(2, 11, 12))
    await drawer_closed(till, "REG-6", "50.00", new_york(2, 10, 23))
    await till.article("PHONE", "80.00")
    sale = await till.sell(fresh, "PHONE")  # 87.00
    await void(till, sale, new_york(2, 11, 11), "Wrong phone")
    before = await till.sell(fresh, "PHONE")
    await void(till, before, new_york(2, 10, 23, 45), "Yesterday's void")
    reports = [
        OversoldAlert(
            id=uuid.uuid4(),
            store_id=STORE_A,
            sale_id=sale["id"],
            receipt_number="NYC-01-2026-000099",
            sku="ITM-9",
            reason="sold twice",
            occurred_at=NOW - timedelta(days=3),
        ),
        OversoldAlert(
            id=uuid.uuid4(), store_id=STORE_A, sku="OLD", occurred_at=NOW - timedelta(days=8)
        ),
        OversoldAlert(
            id=uuid.uuid4(), store_id=STORE_B, sku="B-1", occurred_at=NOW - timedelta(days=1)
        ),
    ]
    async with till.database.session() as session:
        session.add_all(reports)

    found = await alerts(till, till.head())
    # critical (newest first), then warning, then info
    assert [(a["kind"], a["severity"]) for a in found] == [
        ("drawer_variance", "critical"),
        ("item_oversold", "critical"),
        ("drawer_open_too_long", "warning"),
        ("sale_voided", "info"),
    ]
    variance, oversold, open_too_long, voided = found
    assert variance["refers_to"] == {
        "drawer_id": short["id"],
        "register_id": short["register_id"],
        "cashier_id": "cashier-1",
    }
    assert variance["time"] == "2026-02-11T18:00:00Z"  # 13:00 in New York
    assert variance["message"] == (
        "Drawer on register REG-3 at NYC-01 closed -25.00 off (expected 100.00, counted 75.00); "
        "alerts are beyond ±20.00."
    )
    assert oversold["refers_to"] == {
        "alert_id": str(reports[0].id),
        "sale_id": sale["id"],
        "receipt_number": "NYC-01-2026-000099",
        "sku": "ITM-9",
    }
    assert "ITM-9" in oversold["message"] and "sold twice" in oversold["message"]
    assert open_too_long["refers_to"]["drawer_id"] == long_open["id"]
    assert open_too_long["time"] == "2026-02-11T09:00:00Z"  # NOW - 11 h
    assert "open 11 h" in open_too_long["message"] and "REG-1" in open_too_long["message"]
    assert "2026-02-11 04:00 EST" in open_too_long["message"]
    assert voided["refers_to"] == {
        "sale_id": sale["id"],
        "receipt_number": sale["receipt_number"],
        "voided_by": "head-1",
    }
    assert voided["time"] == "2026-02-11T16:00:00Z"
    assert "voided by head-1: Wrong phone" in voided["message"]
    assert {a["store_id"] for a in found} == {str(STORE_A)}

    admin = till.auth_headers(Role.system_admin, user_id="admin-1")
    every = await alerts(till, admin)
    assert sorted(a["refers_to"].get("sku", "") for a in every if a["kind"] == "item_oversold") == [
        "B-1",
        "ITM-9",
    ]
    only_b = await alerts(till, admin, store=str(STORE_B))
    assert [(a["kind"], a["store_id"]) for a in only_b] == [("item_oversold", str(STORE_B))]
