"""Register bodies (seed 002 /api/pos/registers)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from common.updates import PartialUpdate
from pos.schema_types import StrictBool, update_example

Code = Annotated[str, Field(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$")]


class RegisterIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "store_id": "0b6f8a3e-3f7c-4b8e-9d55-8d9f6f1c2a10",
                "code": "REG-1",
                "name": "Front counter",
            }
        },
    )

    store_id: uuid.UUID
    code: Code
    name: str = Field(min_length=1, max_length=120)
    is_active: StrictBool = True


class RegisterUpdate(PartialUpdate):
    model_config = ConfigDict(json_schema_extra=update_example({"name": "Back counter"}))

    code: Code | None = None
    name: str | None = Field(default=None, min_length=1, max_length=120)
    is_active: StrictBool | None = None


class RegisterOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "example": {
                "id": "3c1d2f9e-8a7b-4c6d-9e5f-0a1b2c3d4e5f",
                "store_id": "0b6f8a3e-3f7c-4b8e-9d55-8d9f6f1c2a10",
                "store_code": "NYC-01",
                "code": "REG-1",
                "name": "Front counter",
                "is_active": True,
                "created_at": "2026-11-29T09:00:00Z",
                "updated_at": "2026-11-29T09:00:00Z",
            }
        },
    )

    id: uuid.UUID
    store_id: uuid.UUID
    store_code: str
    code: str
    name: str
    is_active: bool
    created_at: datetime
    updated_at: datetime
