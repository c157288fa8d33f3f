"""POS's events on the wire: every published payload exactly as before the contracts (money
with two decimals, a quantity as a whole number or with three decimals, the tax rate as its
fraction, instants with their offset), and the consumed copies' leniency and strictness."""

from __future__ import annotations

import re
import time
import uuid
from typing import Any

import pytest
from pydantic import ValidationError

from common.testing.helpers import read_events
from pos.events.contracts import PUBLISHED, ItemChanged, SpareChanged, StoreChanged, UserChanged
from tests.till import STORE_A, Till

ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00$")


async def test_the_wire_format_of_every_event(till: Till, nats_url: str) -> None:
    since = time.time()
    unit = await till.unit("ITM-WIRE", "379.00")
    case = await till.article("CASE-WIRE", "19.99")
    screen = await till.article("SCR-WIRE", "10.00")
    drawer = await till.drawer("100.00")
    cart = await till.cart(drawer)
    url = f"/api/pos/carts/{cart['id']}"
    for body in (
        {"sku": "ITM-WIRE", "discount_percent": "10"},
        {"sku": "CASE-WIRE", "quantity": "3"},
        {"sku": "SCR-WIRE", "quantity": "1.5"},
    ):
        added = await till.client.post(f"{url}/add-item", json=body, headers=till.cashier())
        assert added.status_code == 200, added.text
    done = await till.client.post(
        f"{url}/complete",
        json={"payment_method": "split", "card_amount": "300.00", "cash_tendered": "200.00"},
        headers=till.cashier(),
    )
    assert done.status_code == 200, done.text
    sale = done.json()
    receipt = sale["receipt_number"]

    sold = await read_events(nats_url, "pos.item.sold", expected=3, since=since)
    assert sorted((event.data for event in sold), key=lambda data: data["line_id"]) == [
        {
            "sale_id": cart["id"],
            "line_id": "1",
            "receipt_number": receipt,
            "store_id": str(STORE_A),
            "sku": "ITM-WIRE",
            "kind": "unit",
            "item_id": str(unit.id),
            "quantity": "1",
            "unit_price": "379.00",
            "location_id": None,
        },
        {
            "sale_id": cart["id"],
            "line_id": "2",
            "receipt_number": receipt,
            "store_id": str(STORE_A),
            "sku": "CASE-WIRE",
            "kind": "quantity",
            "item_id": None,
            "quantity": "3",
            "unit_price": "19.99",
            "location_id": None,
        },
        {
            "sale_id": cart["id"],
            "line_id": "3",
            "receipt_number": receipt,
            "store_id": str(STORE_A),
            "sku": "SCR-WIRE",
            "kind": "quantity",
            "item_id": None,
            "quantity": "1.500",
            "unit_price": "10.00",
            "location_id": None,
        },
    ]

    [completed] = await read_events(nats_url, "pos.sale.completed", since=since)
    data: dict[str, Any] = dict(completed.data)
    assert ISO_UTC.match(data.pop("completed_at")), completed.data
    lines = data.pop("lines")
    assert data == {
        "sale_id": cart["id"],
        "receipt_number": receipt,
        "store_id": str(STORE_A),
        "register_id": drawer["register_id"],
        "drawer_id": drawer["id"],
        "cashier_id": "cashier-1",
        "customer_number": None,
        "currency": "USD",
        # 341.10 + 59.97 + 15.00 = 416.07; tax 36.406125 → 36.41
        "subtotal": "416.07",
        "discount_percent": "0.00",
        "discount_total": "0.00",
        "tax_rate": "0.0875",
        "tax_total": "36.41",
        "total": "452.48",
        "payments": [
            {"method": "cash", "amount": "152.48", "tendered": "200.00"},
            {"method": "card", "amount": "300.00", "tendered": None},
        ],
        "change_due": "47.52",
    }
    assert lines[0] == {
        "line_id": "1",
        "kind": "unit",
        "sku": "ITM-WIRE",
        "name": "Unit ITM-WIRE",
        "item_id": str(unit.id),
        "article_id": None,
        "quantity": "1",
        "unit_price": "379.00",
        "discount_percent": "10.00",
        "discount_amount": "37.90",
        "line_total": "341.10",
    }
    assert [(line["article_id"], line["quantity"], line["line_total"]) for line in lines[1:]] == [
        (str(case.id), "3", "59.97"),
        (str(screen.id), "1.500", "15.00"),
    ]

    voided = await till.client.post(
        f"{url}/void", json={"reason": "Wrong customer"}, headers=till.head()
    )
    assert voided.status_code == 200, voided.text
    [void] = await read_events(nats_url, "pos.sale.voided", since=since)
    assert void.data == {
        "sale_id": cart["id"],
        "receipt_number": receipt,
        "store_id": str(STORE_A),
        "reason": "Wrong customer",
        "total": "452.48",
        "refund_cash": "152.48",
        "refund_card": "300.00",
        "items": [str(unit.id)],
    }

    closed = await till.client.post(
        f"/api/pos/drawers/{drawer['id']}/close",
        json={"counted_amount": "100.00"},
        headers=till.cashier(),
    )
    assert closed.status_code == 200, closed.text
    [opened] = await read_events(nats_url, "pos.drawer.opened", since=since)
    [close] = await read_events(nats_url, "pos.drawer.closed", since=since)
    for event, status in ((opened, "open"), (close, "closed")):
        assert set(event.data) == {
            "drawer_id",
            "register_id",
            "store_id",
            "cashier_id",
            "status",
            "opening_amount",
            "expected_amount",
            "counted_amount",
            "variance",
            "opened_at",
            "closed_at",
        }
        assert (event.data["drawer_id"], event.data["status"]) == (drawer["id"], status)
        assert event.data["opening_amount"] == "100.00"
        assert ISO_UTC.match(event.data["opened_at"]) or "T" in event.data["opened_at"]
    assert (opened.data["expected_amount"], opened.data["closed_at"]) == (None, None)
    # 100 opening + 200 tendered - 47.52 change - 152.48 refunded = 100.00
    assert (close.data["expected_amount"], close.data["counted_amount"]) == ("100.00", "100.00")
    assert close.data["variance"] == "0.00" and ISO_UTC.match(close.data["closed_at"])


def test_every_published_contract_refuses_what_it_does_not_declare() -> None:
    for contract in PUBLISHED:
        assert contract.subjects, contract.__name__
        assert contract.model_config.get("extra") == "forbid", contract.__name__


def test_consumed_copies_require_what_pos_cannot_do_without() -> None:
    store = {"store_id": str(uuid.uuid4()), "code": "X-1", "name": "X"}
    assert StoreChanged.model_validate({**store, "address": None, "extra": 1}).address is None
    for missing in ("store_id", "code", "name"):
        with pytest.raises(ValidationError, match=missing):
            StoreChanged.model_validate({k: v for k, v in store.items() if k != missing})
    unit = {"item_id": str(uuid.uuid4()), "sku": "ITM-1", "store_id": str(uuid.uuid4())}
    parsed = ItemChanged.model_validate({**unit, "price": "", "location_id": ""})
    assert (parsed.price, parsed.location_id, parsed.sellable) == (None, None, False)
    with pytest.raises(ValidationError, match="price"):
        ItemChanged.model_validate({**unit, "price": "12.345"})
    spare = SpareChanged.model_validate({"spare_id": str(uuid.uuid4()), "part_number": "P-1"})
    assert "price" not in spare.model_fields_set  # a payload without price keeps the known one
    assert UserChanged.model_validate({"user_id": "u-1"}).customer_number is None
