"""Delete-preview and purge bodies."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, ConfigDict, Field


class PlanStep(BaseModel):
    step: int
    artifact: str
    count: int
    action: str


class DeletePreviewOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "order_id": "5e4d3c2b-1a09-4f8e-8d7c-6b5a49382716",
                "number": "PO-2026-000042",
                "status": "delivered",
                "can_delete": True,
                "blockers": [],
                "items_by_status": {"intake": 431},
                "plan": [
                    {
                        "step": 1,
                        "artifact": "items",
                        "count": 431,
                        "action": "deleted (never in stock)",
                    },
                    {"step": 2, "artifact": "batch groups", "count": 57, "action": "deleted"},
                ],
            }
        }
    )

    order_id: uuid.UUID
    number: str
    status: str
    can_delete: bool
    blockers: list[str] = Field(description="Why the purge would be refused (empty: it would run)")
    items_by_status: dict[str, int]
    plan: list[PlanStep] = Field(description="What goes, in the order it goes")


class PurgeIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"example": {"confirm_order_number": "PO-2026-000042"}}
    )

    confirm_order_number: str = Field(min_length=1, max_length=40, description="The order's number")


class PurgedOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {"number": "PO-2026-000042", "deleted": {"items": 431, "order": 1}}
        }
    )

    number: str
    deleted: dict[str, int]
