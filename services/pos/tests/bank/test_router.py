"""Bank deposits and change pickups: pending until completed, completing moves the safe."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import select

from pos.bank.models import BankTransaction
from pos.cash.models import SafeTransaction
from tests.safe.arrange import BANK, bank_run, drop, fields_named, move_safe, safe_status
from tests.till import STORE_B, Till

# -- bank runs --------------------------------------------------------------------------------


async def test_completing_a_deposit_or_change_pickup_moves_the_safe(till: Till) -> None:
    drawer = await till.drawer("100.00")
    await drop(till, drawer, "90.00")
    deposit = await bank_run(till, "deposit", "70.00", reference="DEP-1")
    assert (deposit["status"], deposit["created_by"], deposit["completed_at"]) == (
        "pending",
        "head-1",
        None,
    )
    assert (await safe_status(till))["balance"] == "90.00"  # planning moves nothing

    done = await till.client.patch(f"{BANK}/{deposit['id']}/complete", headers=till.head())
    assert done.status_code == 200, done.text
    assert (done.json()["status"], done.json()["completed_by"]) == ("completed", "head-1")
    assert done.json()["completed_at"] is not None
    assert (await safe_status(till))["balance"] == "20.00"

    pickup = await bank_run(till, "change_pickup", "50.00")
    picked = await till.client.patch(f"{BANK}/{pickup['id']}/complete", headers=till.head())
    assert picked.status_code == 200 and picked.json()["status"] == "completed"
    assert (await safe_status(till))["balance"] == "70.00"

    async with till.database.session() as session:
        rows = (
            await session.execute(
                select(
                    SafeTransaction.kind,
                    SafeTransaction.amount,
                    SafeTransaction.bank_transaction_id,
                    SafeTransaction.note,
                )
                .where(SafeTransaction.bank_transaction_id.is_not(None))
                .order_by(SafeTransaction.id)
            )
        ).all()
    assert [(kind, amount, str(bank), note) for kind, amount, bank, note in rows] == [
        ("bank_deposit", Decimal("-70.00"), deposit["id"], "DEP-1"),
        ("change_pickup", Decimal("50.00"), pickup["id"], ""),
    ]

    twice = await till.client.patch(f"{BANK}/{deposit['id']}/complete", headers=till.head())
    assert twice.status_code == 409 and "already completed" in twice.json()["detail"]
    assert (await safe_status(till))["balance"] == "70.00"


async def test_a_deposit_larger_than_the_safe_stays_pending(till: Till) -> None:
    await move_safe(till, "return", "30.00")
    deposit = await bank_run(till, "deposit", "30.01")
    refused = await till.client.patch(f"{BANK}/{deposit['id']}/complete", headers=till.head())
    assert refused.status_code == 409
    assert refused.json()["detail"] == "The safe holds 30.00; it cannot give 30.01."
    again = await till.client.get(f"{BANK}/{deposit['id']}", headers=till.head())
    assert again.json()["status"] == "pending" and again.json()["completed_at"] is None
    assert (await safe_status(till))["balance"] == "30.00"


async def test_a_pending_bank_run_can_be_changed_and_deleted_a_completed_one_cannot(
    till: Till,
) -> None:
    pending = await bank_run(till, "deposit", "40.00", notes="Friday")
    patched = await till.client.patch(
        f"{BANK}/{pending['id']}",
        json={"amount": "35.50", "reference": "DEP-7"},
        headers=till.head(),
    )
    assert patched.status_code == 200, patched.text
    assert (patched.json()["amount"], patched.json()["reference"], patched.json()["notes"]) == (
        "35.50",
        "DEP-7",
        "Friday",
    )
    put = await till.client.put(
        f"{BANK}/{pending['id']}", json={"kind": "change_pickup"}, headers=till.head()
    )
    assert put.status_code == 200 and put.json()["kind"] == "change_pickup"
    zero = await till.client.patch(
        f"{BANK}/{pending['id']}", json={"amount": "0.00"}, headers=till.head()
    )
    assert zero.status_code == 422 and fields_named(zero) == {"amount"}

    done = await till.client.patch(f"{BANK}/{pending['id']}/complete", headers=till.head())
    assert done.status_code == 200
    for method in ("PATCH", "PUT"):
        edit = await till.client.request(
            method, f"{BANK}/{pending['id']}", json={"amount": "1.00"}, headers=till.head()
        )
        assert edit.status_code == 409 and "is completed" in edit.json()["detail"], method
    delete = await till.client.delete(f"{BANK}/{pending['id']}", headers=till.head())
    assert delete.status_code == 409 and "is completed" in delete.json()["detail"]
    async with till.database.session() as session:
        stored = await session.get(BankTransaction, uuid.UUID(pending["id"]))
    assert stored is not None and stored.amount == Decimal("35.50")

    other = await bank_run(till, "deposit", "10.00")
    deleted = await till.client.delete(f"{BANK}/{other['id']}", headers=till.head())
    assert deleted.status_code == 204
    gone = await till.client.get(f"{BANK}/{other['id']}", headers=till.head())
    assert gone.status_code == 404 and gone.json()["detail"] == "No such bank transaction."


async def test_bank_transactions_are_filtered(till: Till) -> None:
    deposit = await bank_run(till, "deposit", "10.00")
    pickup = await bank_run(till, "change_pickup", "20.00")
    await till.client.patch(f"{BANK}/{pickup['id']}/complete", headers=till.head())

    async def ids(**params: str) -> list[str]:
        response = await till.client.get(BANK, params=params, headers=till.head())
        assert response.status_code == 200, response.text
        return [row["id"] for row in response.json()["results"]]

    assert set(await ids()) == {deposit["id"], pickup["id"]}
    assert await ids(status="pending") == [deposit["id"]]
    assert await ids(kind="change_pickup") == [pickup["id"]]
    assert await ids(store=str(STORE_B)) == []
    assert await ids(ordering="amount") == [deposit["id"], pickup["id"]]
    unknown = await till.client.get(BANK, params={"status": "lost"}, headers=till.head())
    assert unknown.status_code == 422 and fields_named(unknown) == {"status"}


async def test_explicit_null_on_a_bank_run_is_refused_naming_the_field(till: Till) -> None:
    run = await bank_run(till, "deposit", "40.00", reference="DEP-9")
    url = f"{BANK}/{run['id']}"
    for field in ("kind", "amount", "reference", "notes"):
        for method in ("PUT", "PATCH"):
            refused = await till.client.request(
                method, url, json={field: None}, headers=till.head()
            )
            assert refused.status_code == 422, (field, refused.text)
            assert [error["field"] for error in refused.json()["detail"]] == [field]
    unchanged = await till.client.get(url, headers=till.head())
    assert unchanged.json() == run
