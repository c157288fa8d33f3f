"""Bodies of the log's routes: a log entry, an action with its count, and the query a list
or an export is asked with."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, computed_field, field_validator

_ENTRY: dict[str, Any] = {
    "id": 1042,
    "event_id": "0b7e5a3c-2f41-4d8e-9a51-6f1c2a4e9c1b",
    "occurred_at": "2026-12-01T15:12:00.120000Z",
    "recorded_at": "2026-12-01T15:12:00.180000Z",
    "source": "pos",
    "action": "pos.sale.completed",
    "actor": "6f1c2a4e-9c1b-4a47-8f5e-2d7a4b1c9e01",
    "entity_type": "sale",
    "entity_id": "9e8d1c2b-3a4f-4e5d-8c7b-6a5f4e3d2c1b",
    "store_id": "0000000a-0000-4000-8000-00000000000a",
    "request_id": "7c4e0d7b9a1f4e2c8b3a5d6e7f8a9b0c",
    "trace_id": "4bf92f3577b34da6a3ce929d0e0e4736",
    "stream": "POS",
    "stream_sequence": 318,
    "schema_version": 1,
    "payload": {
        "sale_id": "9e8d1c2b-...",
        "receipt_number": "NYC-01-2026-000042",
        "total": "412.16",
    },
    "parse_error": None,
    "raw": None,
    "month": "2026-12",
    "position": 77,
    "prev_hash": "5d41402abc4b2a76b9719d911017c592ae0b9d3c6f1b2a4e9c1b7a4b1c9e0100",
    "hash": "a3f1c2e4b5d6978812fe34ab56cd78ef90a1b2c3d4e5f60718293a4b5c6d7e8f",
    "flagged": False,
}


class EntryOut(BaseModel):
    """One row of the activity log (payload masked; ``flagged``: it could not be parsed and
    ``raw`` holds its masked bytes)."""

    model_config = ConfigDict(from_attributes=True, json_schema_extra={"examples": [_ENTRY]})

    id: int
    event_id: uuid.UUID
    occurred_at: datetime = Field(description="when the event happened (its envelope's time)")
    recorded_at: datetime = Field(description="when audit wrote the row (its partition's month)")
    source: str = Field(description="the publishing service")
    action: str = Field(description="the event's subject")
    actor: str | None = Field(description="user id that caused it; null for the system")
    entity_type: str | None
    entity_id: str | None
    store_id: uuid.UUID | None
    request_id: str | None
    trace_id: str | None
    stream: str
    stream_sequence: int
    schema_version: int | None
    payload: Any = Field(description="the event's data, masked (docs: masking rule)")
    parse_error: str | None
    raw: str | None
    position: int = Field(description="place in its month's hash chain (1 = first)")
    prev_hash: str
    hash: str

    @field_validator("payload", mode="before")
    @classmethod
    def _parsed(cls, value: Any) -> Any:
        return json.loads(value) if isinstance(value, str) else value

    @computed_field  # type: ignore[prop-decorator]
    @property
    def month(self) -> str:
        return f"{self.recorded_at.year:04d}-{self.recorded_at.month:02d}"

    @computed_field  # type: ignore[prop-decorator]
    @property
    def flagged(self) -> bool:
        return self.parse_error is not None


class ActionOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "action": "pos.sale.completed",
                    "source": "pos",
                    "entity_type": "sale",
                    "count": 1843,
                    "last_seen": "2026-12-01T15:12:00.120000Z",
                }
            ]
        }
    )

    action: str
    source: str
    entity_type: str | None
    count: int = Field(description="rows of this action (of your stores, for a branch head)")
    last_seen: datetime


@dataclass(frozen=True)
class LogQuery:
    """The filters as the query string gave them, before they are checked."""

    entity: str | None = None
    entity_id: str | None = None
    actor: str | None = None
    action: str | None = None
    store: uuid.UUID | None = None
    source: str | None = None
    date_from: date | datetime | None = None
    date_to: date | datetime | None = None
    search: str | None = None
    flagged: bool | None = None
