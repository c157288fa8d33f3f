"""Bodies of booking questions."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from bookings.types import Count, Flag
from common.updates import PartialUpdate

SetName = Annotated[str, Field(min_length=1, max_length=100)]
Text = Annotated[str, Field(min_length=1, max_length=500)]
Position = Annotated[Count, Field(ge=0, le=10_000)]

_QUESTION: dict[str, Any] = {
    "question_set": "Screen",
    "text": "Does the touch screen still respond?",
    "required": True,
    "position": 1,
    "is_active": True,
}


class QuestionIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [_QUESTION]})

    question_set: SetName
    text: Text
    required: Flag = False
    position: Position = 0
    is_active: Flag = True


class QuestionUpdate(PartialUpdate):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"text": "Does the touch screen respond everywhere?"}]},
    )

    question_set: SetName | None = None
    text: Text | None = None
    required: Flag | None = None
    position: Position | None = None
    is_active: Flag | None = None


class QuestionOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": 3,
                    **_QUESTION,
                    "version": 2,
                    "created_at": "2026-12-01T09:30:00Z",
                    "updated_at": "2026-12-02T11:00:00Z",
                }
            ]
        },
    )

    id: int
    question_set: str
    text: str
    required: bool
    position: int
    is_active: bool
    version: int = Field(description="Raised by every edit of text or required")
    created_at: datetime
    updated_at: datetime
