"""What ``GET /api/audit/verify`` answers: the month's count, head and first broken row."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, ConfigDict, Field


class BrokenRow(BaseModel):
    id: int | None = Field(description="the row's id (null: the rows are gone)")
    position: int
    event_id: uuid.UUID | None
    reason: str


class Verification(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "month": "2026-12",
                    "valid": False,
                    "rows": 1843,
                    "head_position": 1843,
                    "head_hash": "a3f1c2e4b5d6978812fe34ab56cd78ef90a1b2c3d4e5f60718293a4b5c6d7e8f",
                    "recorded_rows": 1843,
                    "recorded_head": "a3f1c2e4b5d6978812fe34ab56cd78ef90a1b2c3d4e5f60718293a4b5c6d7e8f",
                    "first_broken": {
                        "id": 1042,
                        "position": 77,
                        "event_id": "0b7e5a3c-2f41-4d8e-9a51-6f1c2a4e9c1b",
                        "reason": "its fields do not match its hash (changed after it was written)",
                    },
                }
            ]
        }
    )

    month: str
    valid: bool = Field(description="every row's hash and link recomputed and matching")
    rows: int = Field(description="rows read from the partition")
    head_position: int
    head_hash: str | None = Field(description="the hash of the last row read (the chain head)")
    recorded_rows: int = Field(description="rows the month's registry row says were written")
    recorded_head: str | None = Field(description="the head the registry row holds")
    first_broken: BrokenRow | None = Field(description="the first row where the chain breaks")
