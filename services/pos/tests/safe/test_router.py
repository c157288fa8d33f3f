"""The safe: drops in, draws to and returns from drawers, audits, its transactions, and
who may touch which store's cash (the safe's and the bank runs' routes)."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import func, select

from common.roles import Role
from pos.bank.models import BankTransaction
from pos.cash.models import SafeTransaction
from tests.safe.arrange import (
    BANK,
    SAFE,
    admin,
    bank_run,
    drop,
    expected_in_drawer,
    fields_named,
    move_safe,
    safe_status,
    stored_counts,
)
from tests.till import STORE_A, STORE_B, Till

# -- the safe ---------------------------------------------------------------------------------


async def test_drop_draw_and_return_keep_the_safe_and_the_drawer_right(till: Till) -> None:
    drawer = await till.drawer("100.00")
    await drop(till, drawer, "60.00")

    drawn = await move_safe(till, "draw", "25.00", drawer, note="Change for REG-1")
    assert drawn.status_code == 200, drawn.text
    body = drawn.json()
    assert (body["kind"], body["amount"], body["balance_after"]) == ("draw", "-25.00", "35.00")
    assert (body["drawer_id"], body["drawer_expected_amount"]) == (drawer["id"], "65.00")
    assert (body["actor"], body["note"]) == ("head-1", "Change for REG-1")

    returned = await move_safe(till, "return", "15.00", drawer)
    assert returned.status_code == 200, returned.text
    assert (
        returned.json()["amount"],
        returned.json()["balance_after"],
        returned.json()["drawer_expected_amount"],
    ) == ("15.00", "50.00", "50.00")

    alone = await move_safe(till, "draw", "5.00")  # to the bank bag, no drawer
    assert alone.status_code == 200, alone.text
    assert (alone.json()["balance_after"], alone.json()["drawer_expected_amount"]) == (
        "45.00",
        None,
    )

    status = await till.client.get(SAFE, headers=till.head())  # the head's only store
    assert status.status_code == 200, status.text
    assert status.json() == {
        "store_id": str(STORE_A),
        "balance": "45.00",
        "last_audit": None,
        "transactions_today": 4,
    }
    assert await expected_in_drawer(till, drawer) == "50.00"
    movements = await till.client.get(
        f"/api/pos/drawers/{drawer['id']}/movements", headers=till.head()
    )
    assert [(row["kind"], row["amount"]) for row in movements.json()] == [
        ("opening", "100.00"),
        ("drop", "-60.00"),
        ("supplemental_draw", "25.00"),
        ("supplemental_return", "-15.00"),
    ]


async def test_more_than_the_safe_or_the_drawer_holds_is_refused_and_writes_nothing(
    till: Till,
) -> None:
    drawer = await till.drawer("100.00")
    await drop(till, drawer, "60.00")  # safe 60.00, drawer 40.00
    before = await stored_counts(till)

    too_much = await move_safe(till, "draw", "60.01", drawer)
    assert too_much.status_code == 409
    assert too_much.json()["detail"] == "The safe holds 60.00; it cannot give 60.01."
    back_too_much = await move_safe(till, "return", "40.01", drawer)
    assert back_too_much.status_code == 409
    assert "should hold 40.00" in back_too_much.json()["detail"]

    assert await stored_counts(till) == before
    assert (await safe_status(till))["balance"] == "60.00"
    assert await expected_in_drawer(till, drawer) == "40.00"
    everything = await move_safe(till, "draw", "60.00", drawer)
    assert everything.status_code == 200 and everything.json()["balance_after"] == "0.00"


async def test_the_drawer_must_be_open_and_in_the_store(till: Till) -> None:
    await till.drawer("100.00")
    closed = await till.drawer("50.00", code="REG-2")
    shut = await till.client.post(
        f"/api/pos/drawers/{closed['id']}/close",
        json={"counted_amount": "50.00"},
        headers=till.cashier(),
    )
    assert shut.status_code == 200, shut.text
    await move_safe(till, "return", "30.00")  # something in the safe to draw

    into_closed = await move_safe(till, "draw", "10.00", closed)
    assert into_closed.status_code == 409 and "closed" in into_closed.json()["detail"]

    register_b = await till.register("REG-B", STORE_B)
    opened_b = await till.client.post(
        "/api/pos/drawers",
        json={"register_id": register_b["id"], "opening_amount": "20.00"},
        headers=till.cashier("cashier-b", STORE_B),
    )
    assert opened_b.status_code == 201, opened_b.text
    other_store = await move_safe(till, "draw", "10.00", opened_b.json())
    assert other_store.status_code == 422
    assert other_store.json()["detail"].startswith("drawer_id: ")
    unknown = await move_safe(till, "draw", "10.00", {"id": str(uuid.uuid4())})
    assert unknown.status_code == 422 and unknown.json()["detail"].startswith("drawer_id: ")
    assert (await safe_status(till))["balance"] == "30.00"


async def test_an_audit_records_expected_counted_and_variance(till: Till) -> None:
    drawer = await till.drawer("100.00")
    await drop(till, drawer, "60.00")
    audited = await till.client.post(
        f"{SAFE}/audit",
        json={"store_id": str(STORE_A), "counted_amount": "57.50", "note": "Evening count"},
        headers=till.head(),
    )
    assert audited.status_code == 200, audited.text
    body = audited.json()
    assert (
        body["expected_amount"],
        body["counted_amount"],
        body["variance"],
        body["balance_after"],
    ) == ("60.00", "57.50", "-2.50", "57.50")
    assert (body["actor"], body["note"]) == ("head-1", "Evening count")

    status = await safe_status(till)
    assert status["balance"] == "57.50"
    assert status["last_audit"] == {
        "at": body["created_at"],
        "counted_amount": "57.50",
        "variance": "-2.50",
    }
    async with till.database.session() as session:
        row = await session.get(SafeTransaction, body["id"])
    assert row is not None and (row.kind, row.amount, row.variance) == (
        "audit",
        Decimal("-2.50"),
        Decimal("-2.50"),
    )
    exact = await till.client.post(
        f"{SAFE}/audit",
        json={"store_id": str(STORE_A), "counted_amount": "57.50"},
        headers=till.head(),
    )
    assert (exact.json()["expected_amount"], exact.json()["variance"]) == ("57.50", "0.00")


async def test_transactions_are_listed_newest_first(till: Till) -> None:
    drawer = await till.drawer("100.00")
    await drop(till, drawer, "60.00")
    await move_safe(till, "draw", "20.00", drawer)
    await move_safe(till, "return", "5.00", drawer)
    await till.client.post(
        f"{SAFE}/audit",
        json={"store_id": str(STORE_A), "counted_amount": "45.00"},
        headers=till.head(),
    )

    listed = await till.client.get(f"{SAFE}/transactions", headers=till.head())
    assert listed.status_code == 200, listed.text
    rows = listed.json()["results"]
    assert listed.json()["count"] == 4
    assert [(row["kind"], row["amount"], row["balance_after"]) for row in rows] == [
        ("audit", "0.00", "45.00"),
        ("return", "5.00", "45.00"),
        ("draw", "-20.00", "40.00"),
        ("drop", "60.00", "60.00"),
    ]
    assert rows[-1]["drawer_id"] == drawer["id"]

    draws = await till.client.get(
        f"{SAFE}/transactions", params={"kind": "draw"}, headers=till.head()
    )
    assert [row["kind"] for row in draws.json()["results"]] == ["draw"]
    page = await till.client.get(
        f"{SAFE}/transactions", params={"page_size": 3}, headers=till.head()
    )
    assert len(page.json()["results"]) == 3 and page.json()["next"] is not None
    unknown_kind = await till.client.get(
        f"{SAFE}/transactions", params={"kind": "theft"}, headers=till.head()
    )
    assert unknown_kind.status_code == 422 and fields_named(unknown_kind) == {"kind"}


async def test_which_store_the_status_is_about(till: Till) -> None:
    nobody = await till.client.get(SAFE, headers=admin(till))
    assert nobody.status_code == 422 and nobody.json()["detail"].startswith("store: ")
    two_stores = till.auth_headers(
        Role.branch_head, user_id="head-2", stores=[str(STORE_A), str(STORE_B)]
    )
    ambiguous = await till.client.get(SAFE, headers=two_stores)
    assert ambiguous.status_code == 422 and "2 stores" in ambiguous.json()["detail"]
    named = await till.client.get(SAFE, params={"store": str(STORE_B)}, headers=two_stores)
    assert named.status_code == 200 and named.json()["store_id"] == str(STORE_B)
    assert named.json()["balance"] == "0.00"
    unknown = await till.client.get(SAFE, params={"store": str(uuid.uuid4())}, headers=admin(till))
    assert unknown.status_code == 422 and unknown.json()["detail"].startswith("store: no store")


async def test_bad_amounts_and_stores_are_refused_naming_the_field(till: Till) -> None:
    for action in ("draw", "return"):
        for amount in ("0", "-5.00", "ten", "1.005"):
            refused = await move_safe(till, action, amount)
            assert refused.status_code == 422, (action, amount)
            assert fields_named(refused) == {"amount"}, (action, amount)
    negative_count = await till.client.post(
        f"{SAFE}/audit",
        json={"store_id": str(STORE_A), "counted_amount": "-1.00"},
        headers=till.head(),
    )
    assert fields_named(negative_count) == {"counted_amount"}
    extra = await move_safe(till, "draw", "5.00", reason="why not")
    assert extra.status_code == 422 and fields_named(extra) == {"reason"}

    stranger = str(uuid.uuid4())
    for path, body in (
        (f"{SAFE}/return", {"store_id": stranger, "amount": "5.00"}),
        (f"{SAFE}/audit", {"store_id": stranger, "counted_amount": "5.00"}),
        (BANK, {"store_id": stranger, "kind": "deposit", "amount": "5.00"}),
    ):
        unknown = await till.client.post(path, json=body, headers=admin(till))
        assert unknown.status_code == 422, path
        assert unknown.json()["detail"].startswith(f"store_id: no store {stranger}"), path

    for field, body in (
        ("amount", {"store_id": str(STORE_A), "kind": "deposit", "amount": "0"}),
        ("kind", {"store_id": str(STORE_A), "kind": "wire", "amount": "5.00"}),
    ):
        refused = await till.client.post(BANK, json=body, headers=till.head())
        assert refused.status_code == 422 and fields_named(refused) == {field}, body
    async with till.database.session() as session:
        assert await session.scalar(select(func.count()).select_from(SafeTransaction)) == 0
        assert await session.scalar(select(func.count()).select_from(BankTransaction)) == 0


# -- who may ----------------------------------------------------------------------------------


Call = tuple[str, str, dict[str, str] | None]
LISTINGS = (f"{SAFE}/transactions", BANK)


async def store_a_cash(till: Till) -> list[Call]:
    """Store A's safe holding 60.00 from a drop and a pending 10.00 deposit: every cash
    management route on them, with a body it would accept."""
    drawer = await till.drawer("100.00")
    await drop(till, drawer, "60.00")
    run = f"{BANK}/{(await bank_run(till, 'deposit', '10.00'))['id']}"
    store = str(STORE_A)
    movement = {"store_id": store, "amount": "5.00", "drawer_id": drawer["id"]}
    return [
        ("GET", f"{SAFE}?store={store}", None),
        ("POST", f"{SAFE}/draw", movement),
        ("POST", f"{SAFE}/return", movement),
        ("POST", f"{SAFE}/audit", {"store_id": store, "counted_amount": "0.00"}),
        ("GET", f"{SAFE}/transactions", None),
        ("GET", BANK, None),
        ("POST", BANK, {"store_id": store, "kind": "deposit", "amount": "5.00"}),
        ("GET", run, None),
        ("PUT", run, {"amount": "1.00"}),
        ("PATCH", run, {"amount": "1.00"}),
        ("PATCH", f"{run}/complete", None),
        ("DELETE", run, None),
    ]


async def nothing_moved(till: Till) -> None:
    """Store A's cash is as ``store_a_cash`` left it."""
    assert await stored_counts(till) == (1, 2)  # the drop; the opening and the drop
    assert (await safe_status(till))["balance"] == "60.00"
    async with till.database.session() as session:
        runs = (await session.execute(select(BankTransaction.status, BankTransaction.amount))).all()
    assert [tuple(run) for run in runs] == [("pending", Decimal("10.00"))]


async def test_a_branch_head_of_another_store_cannot_touch_store_a_cash(till: Till) -> None:
    head_b = till.head(STORE_B)
    for method, path, body in await store_a_cash(till):
        if method == "GET" and path in LISTINGS:
            continue
        response = await till.client.request(method, path, json=body, headers=head_b)
        assert response.status_code == 403, (method, path, response.text)
        assert response.json()["detail"] == "You can only act on your own store.", path
    await nothing_moved(till)

    own_safe = await till.client.get(SAFE, headers=head_b)
    assert own_safe.json()["store_id"] == str(STORE_B)
    for path in LISTINGS:
        listed = await till.client.get(path, headers=head_b)
        assert listed.status_code == 200 and listed.json()["count"] == 0, path
        narrowed = await till.client.get(path, params={"store": str(STORE_A)}, headers=head_b)
        assert narrowed.json()["count"] == 0, path
        by_admin = await till.client.get(path, headers=admin(till))
        assert by_admin.json()["count"] == 1, path


async def test_an_advisor_may_not_manage_cash(till: Till) -> None:
    for method, path, body in await store_a_cash(till):
        response = await till.client.request(method, path, json=body, headers=till.cashier())
        assert response.status_code == 403, (method, path, response.text)
    await nothing_moved(till)
