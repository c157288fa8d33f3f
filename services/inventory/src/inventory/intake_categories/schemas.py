"""Intake category bodies (seed 002 /api/inventory/categories), with spec templates."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic.config import JsonDict

from common.updates import Nullable, PartialUpdate
from inventory.types import StrictBool


class SpecKind(StrEnum):
    text = "text"
    number = "number"
    boolean = "boolean"
    choice = "choice"


class SpecField(BaseModel):
    """One attribute a unit of the category carries."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[a-z0-9_]{1,40}$", description="spec.<name> in manifest mappings")
    label: str = Field(default="", max_length=80)
    kind: SpecKind = SpecKind.text
    choices: list[Annotated[str, Field(min_length=1, max_length=80)]] = Field(
        default_factory=list, max_length=50
    )
    required: StrictBool = False

    @model_validator(mode="after")
    def _choices_for_choice(self) -> SpecField:
        if self.kind == SpecKind.choice and not self.choices:
            raise ValueError("a choice spec lists its choices")
        if self.kind != SpecKind.choice and self.choices:
            raise ValueError("only a choice spec has choices")
        return self


SpecTemplate = Annotated[list[SpecField], Field(max_length=30)]

EXAMPLE: JsonDict = {
    "name": "Smartphones",
    "parent_id": None,
    "description": "Phones sold as single units",
    "spec_template": [
        {"name": "storage", "label": "Storage", "kind": "choice",
         "choices": ["64GB", "128GB", "256GB"], "required": True},
        {"name": "colour", "label": "Colour", "kind": "text", "choices": [], "required": False},
    ],
}  # fmt: skip


class CategoryIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"example": EXAMPLE})

    name: str = Field(min_length=1, max_length=140)
    parent_id: uuid.UUID | None = None
    description: str = Field(default="", max_length=2000)
    spec_template: SpecTemplate = Field(default_factory=list)


class CategoryUpdate(PartialUpdate):
    model_config = ConfigDict(json_schema_extra={"example": {"description": "Phones and phablets"}})

    name: str | None = Field(default=None, min_length=1, max_length=140)
    parent_id: Nullable[uuid.UUID] = None
    description: str | None = Field(default=None, max_length=2000)
    spec_template: SpecTemplate | None = None


class CategoryOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "example": {
                "id": "1b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b",
                **EXAMPLE,
                "created_at": "2026-11-22T09:00:00Z",
                "updated_at": "2026-11-22T09:00:00Z",
            }
        },
    )

    id: uuid.UUID
    name: str
    parent_id: uuid.UUID | None
    description: str
    spec_template: list[SpecField]
    created_at: datetime
    updated_at: datetime
