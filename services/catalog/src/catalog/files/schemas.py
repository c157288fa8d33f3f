"""File record bodies: the record of an uploaded file (its bytes are downloaded separately)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from catalog.fields import UpdateBody

FileName = Annotated[str, Field(min_length=1, max_length=200)]
Description = Annotated[str, Field(max_length=1000)]

EXAMPLE: dict[str, Any] = {
    "id": "5d0c1a52-8c55-4f0e-a7f1-0f7c2b1e9a31",
    "filename": "store-floor-plan.pdf",
    "content_type": "application/pdf",
    "size": 48213,
    "description": "Floor plan of the Manhattan store",
    "uploaded_by": "7",
    "created_at": "2026-11-22T09:00:00Z",
    "updated_at": "2026-11-22T09:00:00Z",
}


class FileUpdate(UpdateBody):
    """The fields sent change; a new name keeps the extension of what the file really is."""

    EXAMPLE: ClassVar[dict[str, Any]] = {
        "filename": "floor-plan-2027.pdf",
        "description": "Floor plan after the refit",
    }
    filename: FileName | None = None
    description: Description | None = None


class FileOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_serialization_defaults_required=True,
        json_schema_extra={"example": EXAMPLE},
    )
    id: uuid.UUID
    filename: str
    content_type: str
    size: int
    description: str
    uploaded_by: str
    created_at: datetime
    updated_at: datetime
