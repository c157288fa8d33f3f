"""Request and response bodies of store notes."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from common.updates import PartialUpdate

_NOTE: dict[str, Any] = {
    "id": "5b1f4a8e-0c3d-4e8f-9a6b-2c7d1e0f3a4b",
    "store_id": "0000000a-0000-4000-8000-00000000000a",
    "title": "Display case lock sticks",
    "body": "Use the spare key in the safe until the locksmith comes on Friday.",
    "author_id": "6f1c2a4e-9c1b-4a47-8f5e-2d7a4b1c9e01",
    "created_at": "2026-12-01T09:30:00Z",
    "updated_at": "2026-12-01T09:30:00Z",
}


class NoteIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{k: _NOTE[k] for k in ("store_id", "title", "body")}]},
    )

    store_id: uuid.UUID = Field(description="One of your stores")
    title: str = Field(min_length=1, max_length=200)
    body: str = Field(default="", max_length=10_000)


class NoteUpdate(PartialUpdate):
    model_config = ConfigDict(json_schema_extra={"examples": [{"title": "Lock fixed"}]})

    title: str | None = Field(default=None, min_length=1, max_length=200)
    body: str | None = Field(default=None, max_length=10_000)


class NoteOut(BaseModel):
    model_config = ConfigDict(from_attributes=True, json_schema_extra={"examples": [_NOTE]})

    id: uuid.UUID
    store_id: uuid.UUID
    title: str
    body: str
    author_id: str
    created_at: datetime
    updated_at: datetime
