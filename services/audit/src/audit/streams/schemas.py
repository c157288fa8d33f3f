"""The consumption status of each stream, as ``GET /api/audit/streams`` shows it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

_STREAM: dict[str, Any] = {
    "name": "POS",
    "subjects": ["pos.>"],
    "consumed": True,
    "last_sequence": 318,
    "stream_last_sequence": 320,
    "lag": 2,
    "recorded": 316,
    "flagged": 1,
    "dead_letters": 0,
    "discovered_at": "2026-12-01T09:00:00.000000Z",
    "last_recorded_at": "2026-12-01T15:12:00.180000Z",
}


class StreamStatus(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [_STREAM]})

    name: str
    subjects: list[str]
    consumed: bool = Field(description="false: found in JetStream, not consumed yet")
    last_sequence: int = Field(description="highest stream sequence recorded")
    stream_last_sequence: int | None = Field(description="the stream's last sequence (NATS)")
    lag: int | None = Field(
        description="messages in the stream not recorded yet (null: NATS unreachable)"
    )
    recorded: int = Field(description="rows written from this stream")
    flagged: int = Field(description="of which kept raw: they could not be parsed")
    dead_letters: int = Field(description="messages that could not be written even raw")
    discovered_at: datetime | None
    last_recorded_at: datetime | None


class StreamsOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"nats": "connected", "behind": 2, "streams": [_STREAM]}]}
    )

    nats: str = Field(description="connected | unreachable")
    behind: int | None = Field(description="the lag of every stream added up")
    streams: list[StreamStatus]
