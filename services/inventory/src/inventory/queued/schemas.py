"""A background step job on the wire: the 202 a large manifest's step answers (where to poll)
and the status polled there."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

JOB_EXAMPLE: dict[str, Any] = {
    "id": "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "kind": "process_manifest", "status": "done",
    "total": 20000, "done": 20000, "error": "",
    "result": {"rows_written": 20000, "rows_skipped": 0, "units": 40112, "template_id": None},
    "created_at": "2026-12-01T09:00:00Z", "started_at": "2026-12-01T09:00:01Z",
    "finished_at": "2026-12-01T09:00:04Z",
}  # fmt: skip


class StepJobOut(BaseModel):
    model_config = ConfigDict(from_attributes=True, json_schema_extra={"example": JOB_EXAMPLE})

    id: uuid.UUID
    kind: str = Field(description="process_manifest, match_products, create_items or ai_cleanup")
    status: str = Field(description="queued, running, done, failed, cancelled")
    total: int = Field(description="Rows the step works on")
    done: int = Field(description="Rows done (the step commits all of them at once)")
    error: str = Field(description="Why a failed job failed")
    result: dict[str, Any] | None = Field(
        description="The step's answer once done (what the synchronous step answers), or "
        "{status_code, detail} of the refusal a failed job met"
    )
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class QueuedOut(BaseModel):
    """202: the manifest is over INTAKE_BACKGROUND_ROWS; the step runs as a background job."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "job": {**JOB_EXAMPLE, "status": "queued", "done": 0, "result": None,
                        "started_at": None, "finished_at": None},
                "status_url": "/api/inventory/orders/7d3c9a52-8f0e-4d6b-9a1e-2b5c4d3e2f10/job-status",
            }
        }
    )  # fmt: skip

    job: StepJobOut
    status_url: str = Field(description="Poll it (GET) for the job's progress and answer")


class JobStatusOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"example": {"status": "done", "job": JOB_EXAMPLE}})

    status: str = Field(description="The order's latest job's status, or none")
    job: StepJobOut | None
