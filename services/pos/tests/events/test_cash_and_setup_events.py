"""The state changes of the back office are published (issue 13: audit logs only what is
published): the safe's every movement, bank runs, revenue goals, registers and a store's
tax rate, each read back from JetStream with its payload and actor."""

from __future__ import annotations

import time

from common.testing.helpers import read_events
from tests.safe.arrange import BANK, SAFE, admin, bank_run, drop, move_safe
from tests.till import STORE_A, STORE_B, Till


async def test_every_safe_movement_is_published_with_the_balance_after_it(
    till: Till, nats_url: str
) -> None:
    drawer = await till.drawer("100.00")
    since = time.time()
    await drop(till, drawer, "60.00")
    assert (await move_safe(till, "draw", "25.00", drawer, note="Change")).status_code == 200
    assert (await move_safe(till, "return", "15.00", drawer)).status_code == 200
    audited = await till.client.post(
        f"{SAFE}/audit",
        json={"store_id": str(STORE_A), "counted_amount": "49.00", "note": "Evening count"},
        headers=till.head(),
    )
    assert audited.status_code == 200, audited.text

    events = await read_events(nats_url, "pos.safe.*", expected=4, since=since)
    assert [(e.type, e.data["amount"], e.data["balance_after"]) for e in events] == [
        ("pos.safe.cash_dropped", "60.00", "60.00"),
        ("pos.safe.cash_drawn", "-25.00", "35.00"),
        ("pos.safe.cash_returned", "15.00", "50.00"),
        ("pos.safe.audited", "-1.00", "49.00"),
    ]
    drawn, audit = events[1], events[3]
    assert (drawn.data["drawer_id"], drawn.data["note"], drawn.actor) == (
        drawer["id"],
        "Change",
        "head-1",
    )
    assert (audit.data["counted_amount"], audit.data["variance"]) == ("49.00", "-1.00")
    assert {e.data["store_id"] for e in events} == {str(STORE_A)}


async def test_a_bank_run_is_published_from_plan_to_completion(till: Till, nats_url: str) -> None:
    drawer = await till.drawer("100.00")
    await drop(till, drawer, "90.00")
    since = time.time()
    deposit = await bank_run(till, "deposit", "70.00", reference="DEP-1")
    url = f"{BANK}/{deposit['id']}"
    changed = await till.client.patch(url, json={"amount": "60.00"}, headers=till.head())
    assert changed.status_code == 200, changed.text
    done = await till.client.patch(f"{url}/complete", headers=till.head())
    assert done.status_code == 200, done.text
    dropped = await bank_run(till, "change_pickup", "20.00")
    gone = await till.client.delete(f"{BANK}/{dropped['id']}", headers=till.head())
    assert gone.status_code == 204, gone.text

    events = await read_events(nats_url, "pos.bank_transaction.*", expected=5, since=since)
    assert [(e.type, e.data["kind"], e.data["amount"], e.data["status"]) for e in events] == [
        ("pos.bank_transaction.created", "deposit", "70.00", "pending"),
        ("pos.bank_transaction.updated", "deposit", "60.00", "pending"),
        ("pos.bank_transaction.completed", "deposit", "60.00", "completed"),
        ("pos.bank_transaction.created", "change_pickup", "20.00", "pending"),
        ("pos.bank_transaction.deleted", "change_pickup", "20.00", "pending"),
    ]
    assert events[1].data["changed"] == ["amount"] and events[0].data["reference"] == "DEP-1"
    assert (events[2].data["completed_by"], events[2].actor) == ("head-1", "head-1")
    [banked] = await read_events(nats_url, "pos.safe.bank_deposited", since=since)
    assert (banked.data["amount"], banked.data["balance_after"]) == ("-60.00", "30.00")
    assert banked.data["bank_transaction_id"] == deposit["id"]


async def test_a_revenue_goal_is_published_when_set_changed_and_removed(
    till: Till, nats_url: str
) -> None:
    since = time.time()
    created = await till.client.post(
        "/api/pos/revenue-goals",
        json={"store_id": str(STORE_A), "day": "2026-11-27", "amount": "8000"},
        headers=till.head(),
    )
    assert created.status_code == 201, created.text
    url = f"/api/pos/revenue-goals/{created.json()['id']}"
    assert (await till.client.patch(url, json={"amount": "8500"}, headers=till.head())).is_success
    assert (await till.client.delete(url, headers=till.head())).status_code == 204

    events = await read_events(nats_url, "pos.revenue_goal.*", expected=3, since=since)
    assert [(e.type, e.data["amount"], e.data["changed"]) for e in events] == [
        ("pos.revenue_goal.created", "8000.00", []),
        ("pos.revenue_goal.updated", "8500.00", ["amount"]),
        ("pos.revenue_goal.deleted", "8500.00", []),
    ]
    assert {(e.data["goal_id"], e.data["day"], e.actor) for e in events} == {
        (created.json()["id"], "2026-11-27", "head-1")
    }


async def test_a_register_and_a_store_tax_rate_are_published(till: Till, nats_url: str) -> None:
    since = time.time()
    register = await till.register("reg-9")
    url = f"/api/pos/registers/{register['id']}"
    renamed = await till.client.patch(url, json={"name": "Front till"}, headers=till.head())
    assert renamed.status_code == 200, renamed.text
    assert (await till.client.delete(url, headers=till.head())).status_code == 204
    taxed = await till.client.patch(
        f"/api/pos/stores/{STORE_B}", json={"tax_rate": "0.0625"}, headers=admin(till)
    )
    assert taxed.status_code == 200, taxed.text

    events = await read_events(nats_url, "pos.register.*", expected=3, since=since)
    assert [(e.type, e.data["code"], e.data["is_active"], e.data["changed"]) for e in events] == [
        ("pos.register.created", "REG-9", True, []),
        ("pos.register.updated", "REG-9", True, ["name"]),
        ("pos.register.deactivated", "REG-9", False, []),
    ]
    assert events[1].data["name"] == "Front till"
    [tax] = await read_events(nats_url, "pos.store.tax_rate_changed", since=since)
    assert (tax.data["store_id"], tax.data["code"]) == (str(STORE_B), "BOS-01")
    assert (tax.data["old_tax_rate"], tax.data["tax_rate"], tax.actor) == (
        "0.0000",
        "0.0625",
        "admin-1",
    )
