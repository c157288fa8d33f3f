"""Template bodies (seed 002 /api/inventory/templates): a header layout and its mappings."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

from common.updates import Nullable, PartialUpdate

Header = Annotated[str, Field(min_length=1, max_length=200)]
Chain = Annotated[str, Field(min_length=1, max_length=2000)]
Headers = Annotated[list[Header], Field(min_length=1, max_length=200)]
Mappings = Annotated[
    dict[Annotated[str, Field(max_length=45)], Chain],
    Field(max_length=60, description="standard column (or spec.<name>) → function chain"),
]

EXAMPLE: JsonDict = {
    "name": "Liquidity Lots returns",
    "vendor_id": "6a1f0c2d-3b4e-4f5a-8b9c-0d1e2f3a4b5c",
    "headers": ["Item Description", "Brand", "UPC", "Qty", "Unit Cost", "Retail", "Grade"],
    "mappings": {
        "title": "[Item Description] | trim",
        "brand": "[Brand] | trim",
        "upc": "[UPC]",
        "quantity": "[Qty] | integer",
        "unit_cost": "[Unit Cost] | money",
        "retail_price": "[Retail] | money",
        "condition": '[Grade] | lookup("A=like_new; B=good; C=fair", "good")',
    },
}


class TemplateIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"example": EXAMPLE})

    name: str = Field(min_length=1, max_length=200)
    vendor_id: uuid.UUID | None = None
    headers: Headers
    mappings: Mappings


class TemplateUpdate(PartialUpdate):
    """``headers`` change the signature; ``mappings`` are checked against the headers."""

    model_config = ConfigDict(json_schema_extra={"example": {"name": "Liquidity Lots (v2)"}})

    name: str | None = Field(default=None, min_length=1, max_length=200)
    vendor_id: Nullable[uuid.UUID] = None
    headers: Headers | None = None
    mappings: Mappings | None = None


class TemplateOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "example": {
                "id": "3f1d2c4b-5a69-4e7f-8a1b-2c3d4e5f6a7b",
                **EXAMPLE,
                "header_signature": "9c1a" + "0" * 60,
                "created_by": "advisor-7",
                "created_at": "2026-11-22T09:00:00Z",
                "updated_at": "2026-11-22T09:00:00Z",
            }
        },
    )

    id: uuid.UUID
    name: str
    vendor_id: uuid.UUID | None
    header_signature: str = Field(description="sha256 of the normalised header list")
    headers: list[str]
    mappings: dict[str, str]
    created_by: str | None
    created_at: datetime
    updated_at: datetime
