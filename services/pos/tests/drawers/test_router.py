"""Drawers: opening and closing counts, expected/counted/variance, handoff, drops, one open
drawer per register, concurrent closes, and the property that a closed drawer's expected
amount is the sum of its movements."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, func, select

from pos.cash.models import Drawer, DrawerMovement
from tests.till import Till


async def test_open_close_with_variance(till: Till) -> None:
    await till.unit("ITM-1", "40.00")  # 43.50 with tax
    drawer = await till.drawer("150.00")
    assert (drawer["status"], drawer["expected_amount"]) == ("open", "150.00")
    await till.sell(drawer, "ITM-1", payment_method="cash", cash_tendered="50.00")
    drop = await till.client.post(
        f"/api/pos/drawers/{drawer['id']}/drop", json={"amount": "100.00"}, headers=till.cashier()
    )
    assert drop.status_code == 200 and drop.json()["expected_amount"] == "93.50"
    closed = await till.client.post(
        f"/api/pos/drawers/{drawer['id']}/close",
        json={"counted_denominations": {"20.00": 4, "10.00": 1, "1.00": 3}},
        headers=till.cashier(),
    )
    assert closed.status_code == 200, closed.text
    body = closed.json()
    # 150 + 50 tendered - 6.50 change - 100 dropped = 93.50 expected; counted 93.00
    assert (body["expected_amount"], body["counted_amount"], body["variance"]) == (
        "93.50",
        "93.00",
        "-0.50",
    )
    assert body["status"] == "closed" and body["closed_by"] == "cashier-1"
    again = await till.client.post(
        f"/api/pos/drawers/{drawer['id']}/close",
        json={"counted_amount": "93.00"},
        headers=till.cashier(),
    )
    assert again.status_code == 409 and "closed" in again.json()["detail"]
    movements = await till.client.get(
        f"/api/pos/drawers/{drawer['id']}/movements", headers=till.cashier()
    )
    assert [(row["kind"], row["amount"]) for row in movements.json()] == [
        ("opening", "150.00"),
        ("cash_sale", "50.00"),
        ("change", "-6.50"),
        ("drop", "-100.00"),
    ]


async def test_counts_must_agree_with_denominations(till: Till) -> None:
    register = await till.register()
    response = await till.client.post(
        "/api/pos/drawers",
        json={
            "register_id": register["id"],
            "opening_amount": "100.00",
            "opening_denominations": {"20.00": 4},
        },
        headers=till.cashier(),
    )
    assert response.status_code == 422
    assert "does not match its denominations (80.00)" in str(response.json()["detail"])
    negative = await till.client.post(
        "/api/pos/drawers",
        json={"register_id": register["id"], "opening_amount": "-5"},
        headers=till.cashier(),
    )
    assert negative.status_code == 422 and "opening_amount" in str(negative.json()["detail"])


async def test_one_open_drawer_per_register(till: Till) -> None:
    drawer = await till.drawer()
    second = await till.client.post(
        "/api/pos/drawers",
        json={"register_id": drawer["register_id"], "opening_amount": "50.00"},
        headers=till.cashier("cashier-2"),
    )
    assert second.status_code == 409 and drawer["id"] in second.json()["detail"]


async def test_two_concurrent_closes_one_wins(till: Till) -> None:
    drawer = await till.drawer("80.00")
    url = f"/api/pos/drawers/{drawer['id']}/close"
    first, second = await asyncio.gather(
        till.client.post(url, json={"counted_amount": "80.00"}, headers=till.cashier()),
        till.client.post(url, json={"counted_amount": "79.00"}, headers=till.head()),
    )
    assert sorted([first.status_code, second.status_code]) == [200, 409]
    async with till.database.session() as session:
        stored = await session.get(Drawer, drawer["id"])
    assert stored is not None and stored.status == "closed"
    assert stored.counted_amount in (Decimal("80.00"), Decimal("79.00"))


async def test_only_the_cashier_or_a_branch_head_closes(till: Till) -> None:
    drawer = await till.drawer()
    url = f"/api/pos/drawers/{drawer['id']}/close"
    other = await till.client.post(
        url, json={"counted_amount": "100.00"}, headers=till.cashier("cashier-2")
    )
    assert other.status_code == 403
    head = await till.client.post(url, json={"counted_amount": "100.00"}, headers=till.head())
    assert head.status_code == 200


async def test_handoff_keeps_the_open_cart(till: Till) -> None:
    await till.unit("ITM-H", "10.00")
    drawer = await till.drawer("100.00")
    cart = await till.cart(drawer, "ITM-H")
    handed = await till.client.post(
        f"/api/pos/drawers/{drawer['id']}/handoff",
        json={"counted_amount": "100.00", "incoming_cashier_id": "cashier-2"},
        headers=till.cashier(),
    )
    assert handed.status_code == 200, handed.text
    closed, opened = handed.json()["closed"], handed.json()["opened"]
    assert (closed["status"], closed["variance"], closed["handed_off_to_id"]) == (
        "closed",
        "0.00",
        opened["id"],
    )
    assert (opened["cashier_id"], opened["opening_amount"], opened["register_id"]) == (
        "cashier-2",
        "100.00",
        drawer["register_id"],
    )
    done = await till.client.post(
        f"/api/pos/carts/{cart['id']}/complete",
        json={"payment_method": "cash", "cash_tendered": "20.00"},
        headers=till.cashier("cashier-2"),
    )
    assert done.status_code == 200, done.text
    assert done.json()["drawer_id"] == opened["id"]
    now = await till.client.get(
        f"/api/pos/drawers/{opened['id']}", headers=till.cashier("cashier-2")
    )
    assert now.json()["expected_amount"] == "110.88"  # 100 + 20 - 9.12 change (10.88 total)


async def test_drop_more_than_the_drawer_holds_is_refused(till: Till) -> None:
    drawer = await till.drawer("30.00")
    response = await till.client.post(
        f"/api/pos/drawers/{drawer['id']}/drop", json={"amount": "30.01"}, headers=till.cashier()
    )
    assert response.status_code == 409 and "30.00" in response.json()["detail"]
    zero = await till.client.post(
        f"/api/pos/drawers/{drawer['id']}/drop", json={"amount": "0"}, headers=till.cashier()
    )
    assert zero.status_code == 422


async def test_filters(till: Till) -> None:
    first = await till.drawer(code="REG-1")
    second = await till.drawer(code="REG-2")
    await till.client.post(
        f"/api/pos/drawers/{first['id']}/close",
        json={"counted_amount": "100.00"},
        headers=till.cashier(),
    )

    async def ids(**params: Any) -> set[str]:
        response = await till.client.get("/api/pos/drawers", params=params, headers=till.head())
        assert response.status_code == 200, response.text
        return {row["id"] for row in response.json()["results"]}

    assert await ids(status="open") == {second["id"]}
    assert await ids(register=first["register_id"]) == {first["id"]}
    # ?date= is the day the drawer opened in the store's time zone (New York)
    local = datetime.fromisoformat(first["opened_at"]).astimezone(ZoneInfo("America/New_York"))
    assert await ids(date=local.date().isoformat()) == {first["id"], second["id"]}
    assert await ids(date=(local.date() - timedelta(days=1)).isoformat()) == set()
    bad = await till.client.get("/api/pos/drawers", params={"status": "ajar"}, headers=till.head())
    assert bad.status_code == 422


STEP = st.tuples(
    st.sampled_from(["sale", "drop", "sale_exact", "card"]),
    st.integers(min_value=1, max_value=9000),
)


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(STEP, min_size=1, max_size=6), opening=st.integers(0, 20000))
async def test_a_closed_drawer_expects_the_sum_of_its_movements(
    till: Till, steps: list[tuple[str, int]], opening: int
) -> None:
    """Any mix of cash sales (with change), exact cash, card sales and drops (refused ones
    included): at the close, expected = Σ movements = the hand-computed cash."""
    cents = Decimal("0.01")
    index = await _next_index(till)
    drawer = await till.drawer(str(Decimal(opening) * cents), code=f"R{index}")
    cash = Decimal(opening) * cents
    for number, (kind, amount) in enumerate(steps):
        value = Decimal(amount) * cents
        if kind == "drop":
            response = await till.client.post(
                f"/api/pos/drawers/{drawer['id']}/drop",
                json={"amount": str(value)},
                headers=till.cashier(),
            )
            assert response.status_code == (200 if value <= cash else 409)
            cash -= value if value <= cash else 0
            continue
        sku = f"P{index}-{number}"
        await till.unit(sku, str(value))
        total = (value * Decimal("1.0875")).quantize(cents, rounding="ROUND_HALF_UP")
        if kind == "card":
            await till.sell(drawer, sku, payment_method="card")
            continue
        tendered = total if kind == "sale_exact" else total + Decimal("10.00")
        await till.sell(drawer, sku, payment_method="cash", cash_tendered=str(tendered))
        cash += total
    closed = await till.client.post(
        f"/api/pos/drawers/{drawer['id']}/close",
        json={"counted_amount": str(cash)},
        headers=till.cashier(),
    )
    assert closed.status_code == 200, closed.text
    async with till.database.session() as session:
        summed = await session.scalar(
            select(func.sum(DrawerMovement.amount)).where(DrawerMovement.drawer_id == drawer["id"])
        )
    assert Decimal(closed.json()["expected_amount"]) == summed == cash
    assert closed.json()["variance"] == "0.00"


async def _next_index(till: Till) -> int:
    async with till.database.session() as session:
        return int(await session.scalar(select(func.count()).select_from(Drawer)) or 0)


async def test_counts_and_dates_are_strict(till: Till) -> None:
    """A count by denomination is an integer (``false`` is none), and ``?date=`` a date
    written YYYY-MM-DD (``0`` or ``0.5`` is no timestamp): refused naming the field."""
    register = await till.register()
    for counts in ({"20.00": False}, {"20.00": True}, {"20.00": 1.0}, {"20.00": "5"}):
        refused = await till.client.post(
            "/api/pos/drawers",
            json={"register_id": register["id"], "opening_denominations": counts},
            headers=till.cashier(),
        )
        assert refused.status_code == 422, (counts, refused.text)
        assert "opening_denominations" in str(refused.json()["detail"])
    for day in ("0", "0.5", "1700000000", "2026-11-29T10:00:00"):
        listed = await till.client.get(
            "/api/pos/drawers", params={"date": day}, headers=till.head()
        )
        assert listed.status_code == 422, (day, listed.text)
        assert {error["field"] for error in listed.json()["detail"]} == {"date"}
    async with till.database.session() as session:
        assert await session.scalar(select(func.count()).select_from(Drawer)) == 0


BACKGROUND_TABLES = ("event_outbox", "event_inbox", "event_dead_letters", "revocation_")


async def test_a_page_of_drawers_costs_the_same_statements_however_many(till: Till) -> None:
    """Each open drawer shows the cash it should hold now; a page computes it for all of its
    drawers in the listing's own statement, not one query per drawer (no N+1)."""
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        # The app's background tasks share the engine (the outbox relay's sweep, the
        # consumers, the revocation refresh): a statement of theirs that lands during the
        # request is not the listing's.
        if not any(table in statement for table in BACKGROUND_TABLES):
            statements.append(statement)

    engine = till.database.engine.sync_engine

    async def listed() -> int:
        statements.clear()
        event.listen(engine, "before_cursor_execute", count)
        try:
            response = await till.client.get("/api/pos/drawers", headers=till.head())
        finally:
            event.remove(engine, "before_cursor_execute", count)
        assert response.status_code == 200, response.text
        return len(statements)

    await till.drawer("10.00", code="N-1")
    one = await listed()
    for number in range(2, 6):
        await till.drawer("10.00", code=f"N-{number}")
    five = await listed()
    assert one == five  # the count, the page (and the caller's revocation check)
    response = await till.client.get("/api/pos/drawers", headers=till.head())
    assert {row["expected_amount"] for row in response.json()["results"]} == {"10.00"}
