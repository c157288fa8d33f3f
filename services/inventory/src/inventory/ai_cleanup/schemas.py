"""AI cleanup bodies: starting a job, its progress, and what the model must answer."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, StrictInt


class CleanupIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"example": {"batch_size": 25, "offset": 0}}
    )

    batch_size: StrictInt = Field(default=25, ge=1, le=100, description="Rows per AI request")
    offset: StrictInt = Field(
        default=0, ge=0, le=200_000, description="Rows (by row number) to skip"
    )


class JobOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "example": {
                "id": "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "status": "queued", "batch_size": 25,
                "start_offset": 0, "total": 412, "done": 0, "model": "claude-sonnet-4-5", "error": "",
                "created_at": "2026-11-22T09:00:00Z", "started_at": None, "finished_at": None,
            }
        },
    )  # fmt: skip

    id: uuid.UUID
    status: str = Field(description="queued, running, done, failed, cancelled")
    batch_size: int
    start_offset: int
    total: int
    done: int
    model: str
    error: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class CleanupStatusOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "status": "running",
                "cleaned_rows": 150,
                "total_rows": 412,
                "job": {
                    "id": "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "status": "running", "batch_size": 25,
                    "start_offset": 0, "total": 412, "done": 150, "model": "claude-sonnet-4-5",
                    "error": "", "created_at": "2026-11-22T09:00:00Z",
                    "started_at": "2026-11-22T09:00:01Z", "finished_at": None,
                },
            }
        }
    )  # fmt: skip

    status: str = Field(description="The latest job's status, or none")
    cleaned_rows: int
    total_rows: int
    job: JobOut | None


class CleanedRow(BaseModel):
    """One row of the model's answer (anything else in it is ignored)."""

    model_config = ConfigDict(extra="ignore")

    row: int
    title: str = Field(min_length=1, max_length=300)
    brand: str | None = Field(default=None, max_length=120)
    model: str | None = Field(default=None, max_length=120)
    specs: dict[str, str] = Field(default_factory=dict, max_length=30)
