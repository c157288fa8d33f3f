"""Consignee accounts: opened for an existing user (idempotent), listed by store, edited,
closed only with nothing owed and nothing on the floor."""

from __future__ import annotations

from tests.consignment.shop import CONSIGNEE, Consignment
from tests.till import STORE_A, STORE_B, Till


async def test_an_account_is_opened_once_per_user_and_publishes(till: Till) -> None:
    shop = Consignment(till)
    body = {"store_id": str(STORE_A), "user_id": CONSIGNEE, "first_name": "Ada", "last_name": "B"}
    first = await till.client.post("/api/consignment/accounts", json=body, headers=till.head())
    again = await till.client.post("/api/consignment/accounts", json=body, headers=till.head())

    assert first.status_code == 201, first.text
    assert again.status_code == 200 and again.json() == first.json()
    assert first.json()["status"] == "active"
    assert [subject for subject, _ in await shop.events()] == ["pos.consignment.account.created"]


async def test_a_user_consigning_in_another_store_is_refused(till: Till) -> None:
    await Consignment(till).account()
    response = await till.client.post(
        "/api/consignment/accounts",
        json={"store_id": str(STORE_B), "user_id": CONSIGNEE},
        headers=till.auth_headers("system_admin", user_id="admin", stores=[]),
    )
    assert response.status_code == 409
    assert str(STORE_A) in response.json()["detail"]


async def test_listing_searches_and_keeps_to_the_callers_stores(till: Till) -> None:
    shop = Consignment(till)
    await shop.account("c-ada")
    await shop.account("c-bob")
    found = await till.client.get(
        "/api/consignment/accounts", params={"search": "c-bo"}, headers=till.head()
    )
    stranger = await till.client.get("/api/consignment/accounts", headers=till.head(STORE_B))

    assert [row["user_id"] for row in found.json()["results"]] == ["c-bob"]
    assert stranger.json()["count"] == 0


async def test_closing_is_refused_while_items_are_on_the_floor(till: Till) -> None:
    shop = Consignment(till)
    await shop.account()
    agreement = await shop.agreement()
    await shop.item(agreement, "C-1")

    refused = await till.client.delete(
        f"/api/consignment/accounts/{CONSIGNEE}", headers=till.head()
    )

    assert refused.status_code == 409
    assert "1 item(s) on the floor" in refused.json()["detail"]
    shown = await till.client.get(f"/api/consignment/accounts/{CONSIGNEE}", headers=till.head())
    assert shown.json()["status"] == "active"


async def test_closing_an_account_without_balance_is_soft(till: Till) -> None:
    await Consignment(till).account()
    closed = await till.client.delete(f"/api/consignment/accounts/{CONSIGNEE}", headers=till.head())
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    shown = await till.client.get(f"/api/consignment/accounts/{CONSIGNEE}", headers=till.head())
    assert shown.json()["status"] == "closed"


async def test_the_profile_is_managed_in_auth_and_a_patch_of_it_is_refused(till: Till) -> None:
    """auth's events own name, email and phone: a PATCH of them here would be overwritten."""
    shop = Consignment(till)
    await shop.account()
    url = f"/api/consignment/accounts/{CONSIGNEE}"

    refused = await till.client.patch(
        url,
        json={"first_name": "Not", "email": "x@example.com", "phone": "1", "notes": "ok"},
        headers=till.head(),
    )

    assert refused.status_code == 422, refused.text
    problems = {problem["field"]: problem["msg"] for problem in refused.json()["detail"]}
    assert set(problems) == {"first_name", "email", "phone"}
    assert problems["email"].startswith("email is managed in auth: change it there")
    shown = (await till.client.get(url, headers=till.head())).json()
    assert (shown["first_name"], shown["email"], shown["notes"]) == (
        "Ada",
        f"{CONSIGNEE}@example.com",
        "",
    )
    assert [subject for subject, _ in await shop.events()] == ["pos.consignment.account.created"]


async def test_a_patch_of_the_notes_publishes_the_fields_it_changed_once(till: Till) -> None:
    shop = Consignment(till)
    await shop.account()
    url = f"/api/consignment/accounts/{CONSIGNEE}"

    edited = await till.client.patch(url, json={"notes": "Guitars"}, headers=till.head())
    again = await till.client.patch(url, json={"notes": "Guitars"}, headers=till.head())

    assert edited.status_code == again.status_code == 200, edited.text
    assert again.json()["notes"] == "Guitars"
    events = await shop.events()
    assert [subject for subject, _ in events] == [
        "pos.consignment.account.created",
        "pos.consignment.account.updated",
    ]
    assert events[1][1]["changed"] == ["notes"]
