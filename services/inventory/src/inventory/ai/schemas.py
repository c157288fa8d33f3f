"""AI proxy bodies (seed 002 /api/ai): a chat in the Messages API's shape, and the models."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, StrictInt, field_validator


class Role(StrEnum):
    user = "user"
    assistant = "assistant"


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Role
    content: str = Field(min_length=1, max_length=50_000)


class ChatIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "model": "claude-sonnet-4-5",
                "system": "You write short product titles for a resale shop.",
                "messages": [{"role": "user", "content": "Title for: APL IPH13 128 BLK RTN"}],
                "max_tokens": 200,
            }
        },
    )

    model: str | None = Field(
        default=None, pattern=r"^[A-Za-z0-9._:-]{1,100}$", description="AI_MODEL when omitted"
    )
    messages: list[ChatMessage] = Field(min_length=1, max_length=50)
    max_tokens: StrictInt = Field(ge=1, description="At most AI_MAX_TOKENS (4096 by default)")
    system: str = Field(default="", max_length=20_000)

    @field_validator("messages")
    @classmethod
    def _user_first(cls, messages: list[ChatMessage]) -> list[ChatMessage]:
        if messages[0].role != Role.user:
            raise ValueError("the first message is the user's")
        return messages


class Usage(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    input_tokens: int
    output_tokens: int


class ChatOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "example": {
                "id": "msg_01XFDUDYJgAACzvnptvVoYEL",
                "model": "claude-sonnet-4-5",
                "content": "Apple iPhone 13 128GB Black (returned)",
                "stop_reason": "end_turn",
                "usage": {"input_tokens": 31, "output_tokens": 12},
            }
        },
    )

    id: str
    model: str
    content: str
    stop_reason: str | None
    usage: Usage


class ModelOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "example": {
                "id": "claude-sonnet-4-5",
                "display_name": "Claude Sonnet 4.5",
                "created_at": "2025-09-29T00:00:00Z",
                "default": True,
                "max_tokens": 4096,
            }
        },
    )

    id: str
    display_name: str
    created_at: datetime | None
    default: bool = Field(description="The model a chat gets when it names none")
    max_tokens: int = Field(description="The cap a chat's max_tokens may not pass")
