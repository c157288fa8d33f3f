"""Bodies of answers to booking questions (seed 001: ``question_set_name``, ``question``,
``response``; ``question_id`` may name the question instead of its words)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from bookings.types import RowId

_ANSWER: dict[str, Any] = {
    "question_set_name": "Screen",
    "question": "Does the touch screen still respond?",
    "response": "Only the lower half",
}


class AnswerIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [_ANSWER]})

    question_set_name: str = Field(min_length=1, max_length=100)
    question: str = Field(default="", max_length=500, description="The question's words, or:")
    question_id: RowId | None = Field(default=None, description="its id")
    response: str = Field(min_length=1, max_length=2000)


class ResponseOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": 41,
                    "booking_id": "3f0c1d9e-7b2a-4c5d-8e9f-0a1b2c3d4e5f",
                    "question_id": 3,
                    "question_version": 2,
                    "question_set_name": "Screen",
                    "question_text": "Does the touch screen still respond?",
                    "response": "Only the lower half",
                    "created_at": "2026-12-01T09:30:00Z",
                }
            ]
        },
    )

    id: int
    booking_id: uuid.UUID
    question_id: int | None = Field(description="null once the question was deleted")
    question_version: int
    question_set_name: str
    question_text: str = Field(description="The question as it read when answered")
    response: str
    created_at: datetime
