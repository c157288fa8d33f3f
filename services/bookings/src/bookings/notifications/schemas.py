"""What a booking email says (filled by the bookings domain), and a notification as shown."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel, ConfigDict


@dataclass(frozen=True)
class BookingMail:
    """The facts one email tells the customer; the template words them."""

    booking_id: uuid.UUID
    status: str  # pending (received), approved, rejected, cancelled, in_progress, completed, paid
    recipient: str
    name: str
    slot: str  # "Tuesday 2 December 2026, 10:00 (America/New_York)"
    store: str | None
    reason: str | None
    manage_link: str | None  # the URL with the token, or the bare token without MANAGE_URL


class NotificationOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "kind": "approved",
                    "recipient": "j@example.com",
                    "subject": "Your repair booking is confirmed",
                    "status": "sent",
                    "attempts": 1,
                    "created_at": "2026-12-01T09:30:00Z",
                    "sent_at": "2026-12-01T09:30:01Z",
                }
            ]
        },
    )

    kind: str
    recipient: str
    subject: str
    status: str
    attempts: int
    created_at: datetime
    sent_at: datetime | None
