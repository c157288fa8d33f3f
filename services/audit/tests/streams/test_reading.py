"""Reading a message into a row-to-be: the entity rule, ids, clipping, and what is flagged."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from audit.streams.reading import Received, entity_id_of, entity_of, read
from common.events.envelope import Envelope

STORED = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


def message(data: bytes, subject: str = "pos.sale.completed", **headers: str) -> Received:
    return Received(subject, data, dict(headers), "POS", 7, STORED)


@pytest.mark.parametrize(
    ("action", "payload", "entity", "entity_id"),
    [
        ("pos.sale.completed", {"sale_id": "s-1", "store_id": "x"}, "sale", "s-1"),
        ("inventory.purchase_order.state_changed", {"order_id": "o-9"}, "purchase_order", "o-9"),
        ("inventory.stock_entry.posted", {"entry_id": "e-2"}, "stock_entry", "e-2"),
        ("inventory.approval.signed", {"flow_id": "f-3", "object_id": "o"}, "approval", "f-3"),
        ("auth.password_reset.requested", {"user_id": "u-4"}, "password_reset", "u-4"),
        ("inventory.stock.low", {"sku": "IP13-SCR"}, "stock", "IP13-SCR"),
        ("catalog.store.created", {"store_id": "st-1"}, "store", "st-1"),
        ("audit.ping", {"id": "p"}, None, None),
    ],
)
def test_the_subject_names_the_entity_and_the_payload_its_id(
    action: str, payload: dict[str, str], entity: str | None, entity_id: str | None
) -> None:
    assert entity_of(action) == entity
    assert entity_id_of(entity, payload) == entity_id


def test_an_event_is_read_with_its_envelope_headers_and_store() -> None:
    store = uuid.uuid4()
    envelope = Envelope(
        type="pos.sale.completed",
        source="pos",
        actor="cashier-1",
        data={"sale_id": "s-1", "store_id": str(store), "customer_email": "jo@x.example"},
    )
    draft = read(message(envelope.to_bytes(), **{"X-Request-ID": "r-1"}))
    assert (draft.event_id, draft.actor, draft.store_id, draft.request_id) == (
        envelope.id,
        "cashier-1",
        store,
        "r-1",
    )
    assert draft.payload is not None and "j***@x.example" in draft.payload
    assert draft.occurred_at == envelope.time and draft.parse_error is None


def test_an_unreadable_message_keeps_one_id_across_redeliveries() -> None:
    first, again = read(message(b"garbage")), read(message(b"garbage"))
    assert first.event_id == again.event_id and first.parse_error is not None
    assert (first.action, first.source, first.occurred_at) == ("pos.sale.completed", "pos", STORED)
    other = read(Received("pos.sale.completed", b"garbage", {}, "POS", 8, STORED))
    assert other.event_id != first.event_id  # another stream sequence: another message


def test_a_payload_json_cannot_hold_is_flagged_not_dropped() -> None:
    data = b'{"type": "pos.sale.completed", "source": "pos", "data": {"total": NaN}}'
    draft = read(message(data))
    assert draft.parse_error is not None and draft.payload is None and draft.raw is not None


def test_overlong_fields_are_clipped_to_their_columns() -> None:
    envelope = Envelope(
        type="pos.sale.completed", source="pos", actor="a" * 500, data={"sale_id": "s" * 500}
    )
    draft = read(message(envelope.to_bytes()))
    assert len(draft.actor or "") == 200 and len(draft.entity_id or "") == 200
