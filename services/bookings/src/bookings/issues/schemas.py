"""Bodies of repair issue presets and "other" issues."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from bookings.types import Count, Flag
from common.money import Amount
from common.updates import Nullable, PartialUpdate

Name = Annotated[str, Field(min_length=1, max_length=200)]
Description = Annotated[str, Field(max_length=2000)]
Price = Annotated[Amount, Field(ge=Decimal("0"))]
Minutes = Annotated[Count, Field(ge=1, le=7 * 24 * 60)]
SetName = Annotated[str, Field(min_length=1, max_length=100)]

_ISSUE: dict[str, Any] = {
    "name": "Cracked screen",
    "description": "Front glass or display replaced",
    "estimated_price": "129.00",
    "estimated_minutes": 90,
    "question_set": "Screen",
    "is_active": True,
}
_STAMPS = {"created_at": "2026-12-01T09:30:00Z", "updated_at": "2026-12-01T09:30:00Z"}


class IssueIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [_ISSUE]})

    name: Name
    description: Description = ""
    estimated_price: Price | None = None
    estimated_minutes: Minutes | None = None
    question_set: SetName | None = Field(default=None, description="The set a booking must answer")
    is_active: Flag = True


class IssueUpdate(PartialUpdate):
    model_config = ConfigDict(json_schema_extra={"examples": [{"estimated_price": "119.00"}]})

    name: Name | None = None
    description: Description | None = None
    estimated_price: Nullable[Price] = None
    estimated_minutes: Nullable[Minutes] = None
    question_set: Nullable[SetName] = None
    is_active: Flag | None = None


class IssueOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True, json_schema_extra={"examples": [{"id": 1, **_ISSUE, **_STAMPS}]}
    )

    id: int
    name: str
    description: str
    estimated_price: Amount | None
    estimated_minutes: int | None
    question_set: str | None
    is_active: bool
    created_at: datetime
    updated_at: datetime


_OTHER: dict[str, Any] = {
    "name": "Water damage",
    "description": "Dropped in water",
    "is_active": True,
}


class OtherIssueIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [_OTHER]})

    name: Name
    description: Description = ""
    is_active: Flag = True


class OtherIssueUpdate(PartialUpdate):
    model_config = ConfigDict(json_schema_extra={"examples": [{"is_active": False}]})

    name: Name | None = None
    description: Description | None = None
    is_active: Flag | None = None


class OtherIssueOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True, json_schema_extra={"examples": [{"id": 1, **_OTHER, **_STAMPS}]}
    )

    id: int
    name: str
    description: str
    is_active: bool
    created_at: datetime
    updated_at: datetime
