"""Bodies of the marketing forms and of the lead list."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from bookings.types import Hour, IsoDate, NotBlank, Phone, Trim

Name = Annotated[str, Field(min_length=1, max_length=200), Trim, NotBlank]
Message = Annotated[str, Field(max_length=5000), Trim]
Page = Annotated[str, Field(max_length=500), Trim]

_CONTACT: dict[str, Any] = {
    "name": "Ann Lee",
    "email": "ann@example.com",
    "phone": "+1 212 555 0100",
    "message": "Do you repair vintage Walkmans?",
    "source_page": "/contact",
}
_CALL: dict[str, Any] = {
    "name": "Ann Lee",
    "phone": "+1 212 555 0100",
    "preferred_date": "2026-12-03",
    "preferred_time": "15:30",
    "message": "About a bulk repair quote",
    "source_page": "/schedule-call",
}


class ContactIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [_CONTACT]})

    name: Name
    email: EmailStr = Field(max_length=320)
    phone: Phone | None = None
    message: Annotated[Message, Field(min_length=1)]
    source_page: Page | None = Field(default=None, description="Where the form was sent from")


class ScheduleCallIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [_CALL]})

    name: Name
    phone: Phone
    email: EmailStr | None = Field(default=None, max_length=320)
    preferred_date: IsoDate | None = None
    preferred_time: Hour | None = None
    message: Message = ""
    source_page: Page | None = None


class LeadReceipt(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": "8d4c2b1a-3e5f-4a6b-9c7d-1e2f3a4b5c6d",
                    "kind": "contact",
                    "status": "received",
                }
            ]
        },
    )

    id: uuid.UUID
    kind: str
    status: str = "received"


class LeadOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": "8d4c2b1a-3e5f-4a6b-9c7d-1e2f3a4b5c6d",
                    "kind": "contact",
                    **{k: v for k, v in _CONTACT.items()},
                    "preferred_date": None,
                    "preferred_time": None,
                    "submissions": 2,
                    "first_received_at": "2026-12-01T09:30:00Z",
                    "last_received_at": "2026-12-01T11:05:00Z",
                }
            ]
        },
    )

    id: uuid.UUID
    kind: str
    name: str
    email: str | None
    phone: str | None
    message: str
    source_page: str | None
    preferred_date: date | None
    preferred_time: time | None
    submissions: int = Field(description="How often it was sent within its first day")
    first_received_at: datetime
    last_received_at: datetime
