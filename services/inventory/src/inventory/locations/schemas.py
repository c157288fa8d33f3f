"""Location bodies: a tree of places per store (floor, back room, shelf A …)."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import AliasPath, BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

from common.updates import Nullable, PartialUpdate
from inventory.types import Code, StrictBool

EXAMPLE: JsonDict = {
    "store_id": "7d0c1c9e-3f7e-4c49-9a55-2f7f6f6f1a01",
    "parent_id": None,
    "code": "BACK",
    "name": "Back room",
    "description": "Intake shelves behind the counter",
    "is_default": False,
}


class LocationIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"example": EXAMPLE})

    store_id: uuid.UUID
    parent_id: uuid.UUID | None = None
    code: Code
    name: str = Field(min_length=1, max_length=120)
    description: str = Field(default="", max_length=2000)
    is_default: StrictBool = Field(
        default=False, description="Where POS sales of quantity stock are issued from"
    )
    is_active: StrictBool = True


class LocationUpdate(PartialUpdate):
    """Everything but the store (a location never changes store); ``parent_id: null`` makes
    it a top-level location."""

    model_config = ConfigDict(json_schema_extra={"example": {"name": "Back room (upstairs)"}})

    parent_id: Nullable[uuid.UUID] = None
    code: Code | None = None
    name: str | None = Field(default=None, min_length=1, max_length=120)
    description: str | None = Field(default=None, max_length=2000)
    is_default: StrictBool | None = None
    is_active: StrictBool | None = None


class LocationOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "example": {
                "id": "3c9d2f6e-8a41-4b7e-9f0a-5e1d2c3b4a51",
                "store_id": "7d0c1c9e-3f7e-4c49-9a55-2f7f6f6f1a01",
                "store_code": "NYC-01",
                "parent_id": None,
                "code": "FLOOR",
                "name": "Sales floor",
                "description": "Display cases and open shelves by the counter",
                "is_default": True,
                "is_active": True,
                "created_at": "2026-11-20T08:30:00Z",
                "updated_at": "2026-11-20T08:30:00Z",
            }
        },
    )

    id: uuid.UUID
    store_id: uuid.UUID
    store_code: str = Field(validation_alias=AliasPath("store", "code"))
    parent_id: uuid.UUID | None
    code: str
    name: str
    description: str
    is_default: bool
    is_active: bool
    created_at: datetime
    updated_at: datetime
