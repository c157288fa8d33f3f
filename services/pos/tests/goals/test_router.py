"""Daily revenue goals: create, read, change, delete, one per store and day, filters, and who
may set which store's goals."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import func, select

from common.roles import Role
from pos.goals.models import RevenueGoal
from tests.till import STORE_A, STORE_B, Till

GOALS = "/api/pos/revenue-goals"


async def goal(
    till: Till, day: str, amount: str = "5000.00", store: uuid.UUID = STORE_A, **fields: str
) -> dict[str, Any]:
    response = await till.client.post(
        GOALS,
        json={"store_id": str(store), "day": day, "amount": amount, **fields},
        headers=till.head(store),
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


async def test_a_goal_is_created_read_changed_and_deleted(till: Till) -> None:
    created = await goal(till, "2026-11-27", "8000.00", notes="Black Friday")
    assert {key: created[key] for key in ("store_id", "day", "amount", "notes")} == {
        "store_id": str(STORE_A),
        "day": "2026-11-27",
        "amount": "8000.00",
        "notes": "Black Friday",
    }
    url = f"{GOALS}/{created['id']}"
    read = await till.client.get(url, headers=till.head())
    assert read.status_code == 200 and read.json() == created

    patched = await till.client.patch(url, json={"amount": "8500"}, headers=till.head())
    assert patched.status_code == 200, patched.text
    assert (patched.json()["amount"], patched.json()["notes"]) == ("8500.00", "Black Friday")
    put = await till.client.put(
        url, json={"day": "2026-11-28", "notes": "Moved"}, headers=till.head()
    )
    assert put.status_code == 200, put.text
    assert (put.json()["day"], put.json()["amount"], put.json()["notes"]) == (
        "2026-11-28",
        "8500.00",
        "Moved",
    )
    async with till.database.session() as session:
        stored = await session.get(RevenueGoal, uuid.UUID(created["id"]))
    assert stored is not None and (stored.day, str(stored.amount)) == (
        date(2026, 11, 28),
        "8500.00",
    )

    deleted = await till.client.delete(url, headers=till.head())
    assert deleted.status_code == 204
    gone = await till.client.get(url, headers=till.head())
    assert gone.status_code == 404 and gone.json()["detail"] == "No such revenue goal."
    zero = await goal(till, "2026-12-25", "0")  # closed for the holiday: a goal of nothing
    assert zero["amount"] == "0.00"


async def test_one_goal_per_store_and_day(till: Till) -> None:
    first = await goal(till, "2026-11-29")
    twice = await till.client.post(
        GOALS,
        json={"store_id": str(STORE_A), "day": "2026-11-29", "amount": "1.00"},
        headers=till.head(),
    )
    assert twice.status_code == 409
    assert twice.json()["detail"] == "day: the store already has a revenue goal for 2026-11-29."
    await goal(till, "2026-11-29", store=STORE_B)  # another store's day is its own

    other = await goal(till, "2026-11-30")
    onto_taken = await till.client.patch(
        f"{GOALS}/{other['id']}", json={"day": "2026-11-29"}, headers=till.head()
    )
    assert onto_taken.status_code == 409 and "2026-11-29" in onto_taken.json()["detail"]
    async with till.database.session() as session:
        days = (
            await session.execute(
                select(RevenueGoal.day, func.count())
                .where(RevenueGoal.store_id == STORE_A)
                .group_by(RevenueGoal.day)
                .order_by(RevenueGoal.day)
            )
        ).all()
    assert [(str(day), count) for day, count in days] == [("2026-11-29", 1), ("2026-11-30", 1)]
    unchanged = await till.client.get(f"{GOALS}/{first['id']}", headers=till.head())
    assert unchanged.json()["amount"] == "5000.00"


async def test_goals_are_filtered_by_store_and_dates(till: Till) -> None:
    for day in ("2026-11-01", "2026-11-02", "2026-11-03"):
        await goal(till, day)
    await goal(till, "2026-11-02", store=STORE_B)
    admin = till.auth_headers(Role.system_admin, user_id="admin-1")

    async def days(**params: str) -> list[tuple[str, str]]:
        response = await till.client.get(GOALS, params=params, headers=admin)
        assert response.status_code == 200, response.text
        return [(row["day"], row["store_id"][-1]) for row in response.json()["results"]]

    assert await days(store=str(STORE_A)) == [
        ("2026-11-01", "a"),
        ("2026-11-02", "a"),
        ("2026-11-03", "a"),
    ]
    assert await days(date_from="2026-11-02", date_to="2026-11-02") == [
        ("2026-11-02", "a"),
        ("2026-11-02", "b"),
    ]
    assert await days(date_from="2026-11-03") == [("2026-11-03", "a")]
    assert await days(date_to="2026-11-01") == [("2026-11-01", "a")]
    backwards = await till.client.get(
        GOALS, params={"date_from": "2026-11-03", "date_to": "2026-11-01"}, headers=admin
    )
    assert backwards.status_code == 422 and backwards.json()["detail"].startswith("date_from: ")
    not_a_date = await till.client.get(GOALS, params={"date_from": "soon"}, headers=admin)
    assert not_a_date.status_code == 422
    assert {error["field"] for error in not_a_date.json()["detail"]} == {"date_from"}


async def test_bad_goals_are_refused_naming_the_field(till: Till) -> None:
    for field, body in (
        ("amount", {"day": "2026-11-29", "amount": "-1.00"}),
        ("amount", {"day": "2026-11-29", "amount": "1.001"}),
        ("day", {"day": "2026-13-01", "amount": "1.00"}),
        ("day", {"amount": "1.00"}),
        ("target", {"day": "2026-11-29", "amount": "1.00", "target": "9"}),
    ):
        refused = await till.client.post(
            GOALS, json={"store_id": str(STORE_A), **body}, headers=till.head()
        )
        assert refused.status_code == 422, body
        assert {error["field"] for error in refused.json()["detail"]} == {field}, body
    stranger = str(uuid.uuid4())
    unknown = await till.client.post(
        GOALS,
        json={"store_id": stranger, "day": "2026-11-29", "amount": "1.00"},
        headers=till.auth_headers(Role.system_admin, user_id="admin-1"),
    )
    assert unknown.status_code == 422
    assert unknown.json()["detail"].startswith(f"store_id: no store {stranger}")
    async with till.database.session() as session:
        assert await session.scalar(select(func.count()).select_from(RevenueGoal)) == 0


async def test_only_the_store_s_managers_set_its_goals(till: Till) -> None:
    store_a_goal = await goal(till, "2026-11-29")
    url = f"{GOALS}/{store_a_goal['id']}"
    new_goal = {"store_id": str(STORE_A), "day": "2026-11-30", "amount": "1.00"}
    calls: tuple[tuple[str, str, dict[str, str] | None], ...] = (
        ("POST", GOALS, new_goal),
        ("GET", url, None),
        ("PUT", url, {"amount": "1.00"}),
        ("PATCH", url, {"amount": "1.00"}),
        ("DELETE", url, None),
    )
    for method, path, body in calls:
        response = await till.client.request(method, path, json=body, headers=till.head(STORE_B))
        assert response.status_code == 403, (method, path, response.text)
        assert response.json()["detail"] == "You can only act on your own store."
    for method, path, body in (*calls, ("GET", GOALS, None)):
        response = await till.client.request(method, path, json=body, headers=till.cashier())
        assert response.status_code == 403, (method, path, response.text)

    listed = await till.client.get(GOALS, headers=till.head(STORE_B))
    assert listed.status_code == 200 and listed.json()["count"] == 0
    narrowed = await till.client.get(
        GOALS, params={"store": str(STORE_A)}, headers=till.head(STORE_B)
    )
    assert narrowed.json()["count"] == 0
    still = await till.client.get(url, headers=till.head())
    assert still.json()["amount"] == "5000.00"
    async with till.database.session() as session:
        assert await session.scalar(select(func.count()).select_from(RevenueGoal)) == 1


async def test_a_day_is_written_as_a_date_never_a_number(till: Till) -> None:
    """``day: 0`` would otherwise be read as a timestamp (1970-01-01); so would ``0.5`` in a
    date filter. Both are refused naming the field (issue 11)."""
    for day in (0, 1700000000, "0", "2026-11-29T00:00:00"):
        refused = await till.client.post(
            GOALS,
            json={"store_id": str(STORE_A), "day": day, "amount": "1.00"},
            headers=till.head(),
        )
        assert refused.status_code == 422, (day, refused.text)
        assert {error["field"] for error in refused.json()["detail"]} == {"day"}
    created = await goal(till, "2026-11-29")
    moved = await till.client.patch(
        f"{GOALS}/{created['id']}", json={"day": 0}, headers=till.head()
    )
    assert moved.status_code == 422 and moved.json()["detail"][0]["field"] == "day"
    admin = till.auth_headers(Role.system_admin, user_id="admin-1")
    for param in ("date_from", "date_to"):
        for value in ("0", "0.5", "1700000000"):
            listed = await till.client.get(GOALS, params={param: value}, headers=admin)
            assert listed.status_code == 422, (param, value)
            assert {error["field"] for error in listed.json()["detail"]} == {param}
    async with till.database.session() as session:
        days = list(await session.scalars(select(RevenueGoal.day)))
    assert days == [date(2026, 11, 29)]


async def test_explicit_null_on_a_goal_is_refused_naming_the_field(till: Till) -> None:
    created = await goal(till, "2026-11-29", "5000.00", notes="Sale")
    url = f"{GOALS}/{created['id']}"
    for field in ("day", "amount", "notes"):
        refused = await till.client.put(url, json={field: None}, headers=till.head())
        assert refused.status_code == 422, (field, refused.text)
        assert [error["field"] for error in refused.json()["detail"]] == [field]
    unchanged = await till.client.get(url, headers=till.head())
    assert unchanged.json() == created
