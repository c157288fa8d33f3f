"""Request and response bodies of HR departments."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from attendance.fields import Flag
from common.updates import PartialUpdate

_DEPARTMENT: dict[str, Any] = {
    "name": "Repairs bench",
    "description": "Phone and tablet repairs",
    "store_id": "0000000a-0000-4000-8000-00000000000a",
    "is_active": True,
}


class DepartmentIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [_DEPARTMENT]})

    name: str = Field(min_length=1, max_length=120)
    description: str = Field(default="", max_length=2000)
    store_id: uuid.UUID | None = Field(
        default=None, description="Its store; leave out for a company-wide one (system admin)"
    )
    is_active: Flag = True


class DepartmentUpdate(PartialUpdate):
    model_config = ConfigDict(json_schema_extra={"examples": [{"name": "Repairs & refurbishing"}]})

    name: str | None = Field(default=None, min_length=1, max_length=120)
    description: str | None = Field(default=None, max_length=2000)
    is_active: Flag | None = None


class DepartmentOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": 3,
                    **_DEPARTMENT,
                    "created_at": "2026-12-01T09:30:00Z",
                    "updated_at": "2026-12-01T09:30:00Z",
                }
            ]
        },
    )

    id: int
    name: str
    description: str
    store_id: uuid.UUID | None
    is_active: bool
    created_at: datetime
    updated_at: datetime
