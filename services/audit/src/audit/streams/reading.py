"""What one JetStream message says, as a log row to be: envelope fields, headers, the masked
payload, and the entity the event is about — or, for a message that is not a valid event,
its masked bytes flagged with why it could not be read.

Entity rule: the subject ``<service>.<entity>.<verb>`` names the entity type (everything
between the first and the last dot: ``purchase_order`` of
``inventory.purchase_order.submitted``). Its id is the payload's first of ``<entity>_id``,
``<last word of entity>_id`` (``order_id``), the aliases below, ``id``, ``sku``, ``slug``.
The store is the payload's ``store_id`` when it is a UUID. The request id comes from the
``X-Request-ID`` header, the trace id from ``traceparent``.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from audit.masking.rules import mask_payload, mask_raw
from common.events.envelope import Envelope

# Entities whose payload names its id differently.
ENTITY_ID_ALIASES: dict[str, tuple[str, ...]] = {
    "approval": ("flow_id",),
    "password_reset": ("user_id",),
    "session": ("session_id", "family_id", "user_id"),
}
_TRACEPARENT = re.compile(r"^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$")
_RAW_NAMESPACE = uuid.UUID("8f0c1a52-61f3-4d7e-9a86-3c55f0b2d6a1")
RAW_LIMIT = 65_536  # characters of an unparseable message kept (JetStream caps messages at 1 MB)


@dataclass(frozen=True)
class Received:
    """A delivered message, as plain values (so reading it needs no NATS)."""

    subject: str
    data: bytes
    headers: dict[str, str]
    stream: str
    sequence: int
    stored_at: datetime


@dataclass(frozen=True)
class EntryDraft:
    """A log row before the chain: everything but its month, position and hashes."""

    event_id: uuid.UUID
    occurred_at: datetime
    stream: str
    stream_sequence: int
    source: str
    action: str
    actor: str | None
    entity_type: str | None
    entity_id: str | None
    store_id: uuid.UUID | None
    request_id: str | None
    trace_id: str | None
    schema_version: int | None
    payload: str | None
    parse_error: str | None
    raw: str | None


def _clip(value: object, limit: int) -> str | None:
    """Text for a column of ``limit`` characters (empty → None: a CSV cell cannot tell them
    apart, and the chain is recomputed from CSV); NUL cannot be stored, so it is escaped."""
    if value is None:
        return None
    text = str(value).replace("\x00", "\\u0000")[:limit]
    return text or None


def entity_of(action: str) -> str | None:
    parts = action.split(".")
    return ".".join(parts[1:-1]) if len(parts) >= 3 else None


def entity_id_of(entity: str | None, payload: dict[str, Any]) -> str | None:
    if entity is None:
        return None
    last = entity.rsplit("_", 1)[-1].rsplit(".", 1)[-1]
    keys = (f"{entity}_id", f"{last}_id", *ENTITY_ID_ALIASES.get(entity, ()), "id", "sku", "slug")
    for key in keys:
        value = payload.get(key)
        if isinstance(value, str | int) and not isinstance(value, bool) and str(value):
            return _clip(value, 200)
    return None


def store_of(payload: dict[str, Any]) -> uuid.UUID | None:
    value = payload.get("store_id")
    if not isinstance(value, str):
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _header(headers: dict[str, str], *names: str) -> str | None:
    """The first of ``names`` (lower case) present, whatever the case of ``headers``' keys."""
    lowered = {key.lower(): value for key, value in headers.items()}
    for name in names:
        if lowered.get(name):
            return lowered[name]
    return None


def _trace_id(headers: dict[str, str]) -> str | None:
    match = _TRACEPARENT.match(_header(headers, "traceparent") or "")
    return match.group(1) if match else None


# One encoder for every payload (``json.dumps`` with options builds a new one per call).
_CANONICAL = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def canonical_json(value: Any) -> str:
    """The stored (and hashed) text of a payload; raises ValueError for NaN/Infinity."""
    return _CANONICAL.encode(value)


def read(message: Received) -> EntryDraft:
    """The row ``message`` becomes; never raises (what cannot be read is flagged)."""
    request_id = _clip(_header(message.headers, "x-request-id", "request-id"), 128)
    trace_id = _trace_id(message.headers)
    try:
        envelope = Envelope.from_bytes(message.data)
        payload = canonical_json(mask_payload(envelope.data))
    except (ValidationError, ValueError, TypeError, RecursionError) as exc:
        return _unreadable(message, request_id, trace_id, _reason(exc))
    action = _clip(envelope.type, 200) or message.subject
    entity = entity_of(action)
    return EntryDraft(
        event_id=envelope.id,
        occurred_at=envelope.time if envelope.time.tzinfo else envelope.time.replace(tzinfo=UTC),
        stream=message.stream,
        stream_sequence=message.sequence,
        source=_clip(envelope.source, 64) or action.split(".", 1)[0],
        action=action,
        actor=_clip(envelope.actor, 200),
        entity_type=_clip(entity, 100),
        entity_id=entity_id_of(entity, envelope.data),
        store_id=store_of(envelope.data),
        request_id=request_id,
        trace_id=trace_id,
        schema_version=envelope.schema_version,
        payload=payload,
        parse_error=None,
        raw=None,
    )


def _reason(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc']) or '(message)'}: {error['msg']}"
            for error in exc.errors(include_url=False, include_input=False)[:5]
        )
        return f"not an event envelope: {problems}"
    return f"payload cannot be kept as JSON: {exc}"


def _unreadable(
    message: Received, request_id: str | None, trace_id: str | None, reason: str
) -> EntryDraft:
    """Kept raw (masked as text) and flagged; the id is stable across redeliveries."""
    text = message.data.decode("utf-8", errors="replace")
    msg_id = _header(message.headers, "nats-msg-id")
    try:
        event_id = uuid.UUID(msg_id) if msg_id else None
    except ValueError:
        event_id = None
    action = _clip(message.subject, 200) or "unknown"
    return EntryDraft(
        event_id=event_id or uuid.uuid5(_RAW_NAMESPACE, f"{message.stream}:{message.sequence}"),
        occurred_at=message.stored_at,
        stream=message.stream,
        stream_sequence=message.sequence,
        source=_clip(action.split(".", 1)[0], 64) or "unknown",
        action=action,
        actor=None,
        entity_type=_clip(entity_of(action), 100),
        entity_id=None,
        store_id=None,
        request_id=request_id,
        trace_id=trace_id,
        schema_version=None,
        payload=None,
        parse_error=_clip(reason, 2000) or "unreadable",
        raw=_clip(mask_raw(text[:RAW_LIMIT]), RAW_LIMIT),
    )
