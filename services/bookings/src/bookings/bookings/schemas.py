"""Request and response bodies of bookings: the public booking (seed 001's payload, as
written, plus ``phone``, ``store`` and ``other_issue``), the admin's update, and what the
admin, the customer and a list see."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from bookings.bookings.transitions import BookingStatus
from bookings.notifications.schemas import NotificationOut
from bookings.responses.schemas import AnswerIn, ResponseOut
from bookings.types import Hour, IsoDate, NotBlank, Phone, RowId, Trim
from common.money import Amount
from common.updates import Nullable, PartialUpdate

MAX_RESPONSES = 20
MAX_ISSUES = 20
Name = Annotated[str, Field(min_length=1, max_length=200), Trim, NotBlank]
Reason = Annotated[str, Field(min_length=1, max_length=2000), Trim, NotBlank]
Quote = Annotated[Amount, Field(ge=0)]

_DETAILS: dict[str, Any] = {"issues": [1, 2], "brand": "Apple", "product": "iPhone"}
_RESPONSES: list[dict[str, Any]] = [
    {"question_set_name": "A", "question": "Is it working?", "response": "Yes"}
]
_IN: dict[str, Any] = {
    "name": "John",
    "email": "j@example.com",
    "date": "2026-12-02",
    "time": "10:00",
    "captcha_token": "eyJhbGdvcml0aG0iOiJTSEEtMjU2Ii...",
    "details": _DETAILS,
    "responses": _RESPONSES,
}
_ID = "3f0c1d9e-7b2a-4c5d-8e9f-0a1b2c3d4e5f"
_STORE = "0000000a-0000-4000-8000-00000000000a"
_SLOT = {
    "date": "2026-12-02",
    "time": "10:00:00",
    "time_zone": "America/New_York",
    "starts_at": "2026-12-02T15:00:00Z",
}
_SUMMARY: dict[str, Any] = {
    "id": _ID,
    "status": "pending",
    "name": "John",
    "email": "j@example.com",
    "phone": "+1 212 555 0100",
    "store_id": _STORE,
    **_SLOT,
    "quoted_amount": "228.00",
    "currency": "USD",
    "created_at": "2026-12-01T09:30:00Z",
}
_ISSUES: list[Any] = [
    {"issue_id": 1, "name": "Cracked screen", "estimated_price": "129.00", "estimated_minutes": 90},
    {"issue_id": 2, "name": "Battery", "estimated_price": "99.00", "estimated_minutes": 45},
]


class Details(BaseModel):
    model_config = ConfigDict(extra="forbid")

    issues: list[RowId] = Field(
        default_factory=list, max_length=MAX_ISSUES, description="Repair issue ids (/api/issues)"
    )
    brand: Annotated[str, Field(max_length=100), Trim] | None = None
    product: Annotated[str, Field(max_length=200), Trim] | None = None


class BookingIn(BaseModel):
    """A public booking request. ``date`` and ``time`` are the store's local time (the
    service's default time zone without a store)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [_IN]})

    name: Name
    email: EmailStr = Field(max_length=320)
    phone: Phone | None = None
    date: IsoDate
    time: Hour
    captcha_token: str | None = Field(
        default=None, max_length=20_000, description="The solved captcha (ALTCHA payload)"
    )
    details: Details = Field(default_factory=Details)
    responses: list[AnswerIn] = Field(default_factory=list, max_length=MAX_RESPONSES)
    store: uuid.UUID | None = Field(default=None, description="A store from /api/bookings/stores")
    other_issue: Annotated[str, Field(max_length=2000), Trim] | None = None


class BookingUpdate(PartialUpdate):
    """What a system admin changes: the status (by the transition table), notes, the quote
    and the store (needed to invoice)."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"status": "approved", "notes": "Parts in stock"}]}
    )

    status: BookingStatus | None = None
    reason: Reason | None = Field(default=None, description="Required to reject or cancel")
    notes: Annotated[str, Field(max_length=5000)] | None = None
    quoted_amount: Nullable[Quote] = None
    store_id: Nullable[uuid.UUID] = None


class CancelIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"reason": "I found my old phone"}]}
    )

    reason: Reason


class BookedIssue(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    issue_id: int | None = Field(description="null once the preset was deleted")
    name: str
    estimated_price: Amount | None
    estimated_minutes: int | None


class Change(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    from_status: str | None
    to_status: str
    reason: str | None
    changed_by: str
    actor: str | None
    created_at: dt.datetime


class BookingSummary(BaseModel):
    """A booking in a list."""

    model_config = ConfigDict(from_attributes=True, json_schema_extra={"examples": [_SUMMARY]})

    id: uuid.UUID
    status: str
    name: str
    email: str
    phone: str | None
    store_id: uuid.UUID | None
    date: dt.date = Field(validation_alias="slot_date")
    time: dt.time = Field(validation_alias="slot_time")
    time_zone: str
    starts_at: dt.datetime
    quoted_amount: Amount | None
    currency: str
    created_at: dt.datetime


class BookingOut(BookingSummary):
    """A booking as a system admin sees it."""

    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    **_SUMMARY,
                    "allowed_transitions": ["approved", "rejected", "cancelled"],
                    "details": _DETAILS,
                    "issues": _ISSUES,
                    "other_issue": None,
                    "notes": "",
                    "reason": None,
                    "invoice_id": None,
                    "history": [
                        {
                            "from_status": None,
                            "to_status": "pending",
                            "reason": None,
                            "changed_by": "customer",
                            "actor": None,
                            "created_at": "2026-12-01T09:30:00Z",
                        }
                    ],
                    "responses": [],
                    "notifications": [],
                    "updated_at": "2026-12-01T09:30:00Z",
                }
            ]
        },
    )

    allowed_transitions: list[BookingStatus] = Field(
        description="What PATCH may set next (paid comes from invoicing only)"
    )
    details: Details
    issues: list[BookedIssue]
    other_issue: str | None
    notes: str
    reason: str | None
    invoice_id: uuid.UUID | None
    history: list[Change]
    responses: list[ResponseOut]
    notifications: list[NotificationOut]
    updated_at: dt.datetime


_CUSTOMER: dict[str, Any] = {
    "id": _ID,
    "status": "pending",
    "name": "John",
    "email": "j@example.com",
    "phone": None,
    "store_id": _STORE,
    "store_name": "Manhattan",
    **_SLOT,
    "issues": ["Cracked screen", "Battery"],
    "brand": "Apple",
    "product": "iPhone",
    "other_issue": None,
    "reason": None,
    "can_cancel": True,
    "cancel_until": "2026-12-01T15:00:00Z",
}


class CustomerBooking(BaseModel):
    """A booking as its customer sees it (manage link, ``?mine=true``)."""

    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={"examples": [_CUSTOMER]},
    )

    id: uuid.UUID
    status: str
    name: str
    email: str
    phone: str | None
    store_id: uuid.UUID | None
    store_name: str | None
    date: dt.date
    time: dt.time
    time_zone: str
    starts_at: dt.datetime
    issues: list[str]
    brand: str | None
    product: str | None
    other_issue: str | None
    reason: str | None
    can_cancel: bool
    cancel_until: dt.datetime = Field(description="The last moment the customer may cancel")


class BookingReceipt(CustomerBooking):
    """The answer to a public booking: the booking and its manage link's token."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    **_CUSTOMER,
                    "manage_token": "eyJib29raW5nIjoiM2YwYzFkOWUifQ.Zx1...",
                }
            ]
        }
    )

    manage_token: str = Field(
        description="Send as X-Manage-Token to read or cancel this booking, or to answer questions"
    )
