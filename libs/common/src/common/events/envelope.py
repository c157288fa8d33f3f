"""The event envelope every Shopfloor event travels in (DESIGN.md "Events")."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import orjson
from pydantic import BaseModel, Field


def utcnow() -> datetime:
    return datetime.now(UTC)


class Envelope(BaseModel):
    """``id`` doubles as JetStream's ``Nats-Msg-Id``; ``type`` is the subject."""

    id: uuid.UUID = Field(default_factory=uuid.uuid4)
    type: str
    source: str
    time: datetime = Field(default_factory=utcnow)
    actor: str | None = None
    data: dict[str, Any]
    schema_version: int = 1

    def to_bytes(self) -> bytes:
        return orjson.dumps(self.model_dump(mode="json"))

    @classmethod
    def from_bytes(cls, payload: bytes) -> Envelope:
        return cls.model_validate_json(payload)


def stream_name(subject_or_service: str) -> str:
    """``pos.item.sold`` or ``pos`` → stream ``POS`` holding ``pos.>``."""
    return subject_or_service.split(".", 1)[0].upper().replace("-", "_")


def stream_subjects(service: str) -> list[str]:
    return [f"{service}.>"]
