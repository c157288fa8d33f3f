"""What bookings publishes (``PUBLISHED``), and its own trimmed copies of what it consumes.

Published contracts forbid unknown fields and always carry every field (``null`` where it
does not apply); consumed copies hold only the fields bookings reads (docs/new-service.md
"Events: contracts and docs")."""

from __future__ import annotations

import datetime as dt
import uuid
from datetime import datetime

from pydantic import Field

from common.events.contracts import Consumed, Published
from common.money import Amount, Quantity


class BookingCreated(Published, subjects=("bookings.booking.created",)):
    """A customer booked (publicly, past the captcha and the throttles); status ``pending``."""

    booking_id: uuid.UUID
    status: str
    name: str
    email: str
    phone: str | None
    store_id: uuid.UUID | None
    date: dt.date = Field(description="The slot's day in the store's time zone")
    time: dt.time
    time_zone: str
    starts_at: datetime = Field(description="The slot as a UTC instant")
    issue_ids: list[int]
    brand: str | None
    product: str | None
    quoted_amount: Amount | None = Field(description="The issues' estimates summed, if any")
    currency: str


class BookingStatusChanged(Published, subjects=("bookings.booking.status_changed",)):
    """A booking moved along the transition table (one event per change)."""

    booking_id: uuid.UUID
    from_status: str
    to_status: str
    reason: str | None = Field(description="Why it was rejected or cancelled")
    changed_by: str = Field(description="admin, customer (manage link) or invoicing")
    store_id: uuid.UUID | None
    email: str
    starts_at: datetime


class InvoiceLine(Published):
    description: str
    quantity: Quantity
    unit_price: Amount
    issue_id: int | None = Field(description="The repair issue preset, if the line is one")


class BookingCompleted(Published, subjects=("bookings.booking.completed",)):
    """A booking with a quoted amount was completed: what invoicing needs to issue its invoice
    (source ``booking``, source id = ``booking_id``). The lines sum to ``quoted_amount``."""

    booking_id: uuid.UUID
    store_id: uuid.UUID
    customer_id: str | None = Field(description="auth's user id of the account with this email")
    customer_number: str | None
    customer_name: str
    customer_email: str
    customer_phone: str | None
    currency: str
    quoted_amount: Amount
    lines: list[InvoiceLine]
    completed_at: datetime


class LeadCaptured(Published, subjects=("bookings.lead.captured",)):
    """A contact or schedule-call form came in (a repeat within a day counts on the first)."""

    lead_id: uuid.UUID
    kind: str = Field(description="contact or schedule_call")
    name: str
    email: str | None
    phone: str | None
    source_page: str | None
    submissions: int = Field(description="How often this lead was sent today (1 for a new one)")
    first_received_at: datetime


class ResponseSubmitted(Published, subjects=("bookings.response.submitted",)):
    """An answer to a booking question was stored (with the booking, or later by its link)."""

    response_id: int
    booking_id: uuid.UUID
    question_id: int | None
    question_version: int
    question_set_name: str
    question_text: str
    response: str


class PresetChanged(
    Published,
    subjects=tuple(
        f"bookings.{kind}.{verb}"
        for kind in ("issue", "other_issue")
        for verb in ("created", "updated", "deleted")
    ),
):
    """An issue preset (or an "other" issue) created, changed (``changed`` names the fields
    sent) or deleted; bookings keep their own copy of the presets they named."""

    id: int
    name: str
    is_active: bool
    estimated_price: Amount | None = Field(description="An issue's estimate; null for other issues")
    changed: list[str] = Field(description="The fields an update sent; empty otherwise")


class QuestionChanged(
    Published,
    subjects=(
        "bookings.question.created",
        "bookings.question.updated",
        "bookings.question.deleted",
    ),
):
    """A booking question created, changed (an edit of its wording or ``required`` is a new
    ``version``) or deleted."""

    id: int
    question_set: str
    text: str
    required: bool
    is_active: bool
    version: int
    changed: list[str] = Field(description="The fields an update sent; empty otherwise")


class StoreHoursSet(Published, subjects=("bookings.store.hours_set",)):
    """A store's bookable opening hours set (``null``: bookable whenever it is open)."""

    store_id: uuid.UUID
    opening_hours: dict[str, object] | None


PUBLISHED: list[type[Published]] = [
    BookingCreated,
    BookingStatusChanged,
    BookingCompleted,
    LeadCaptured,
    ResponseSubmitted,
    PresetChanged,
    QuestionChanged,
    StoreHoursSet,
]


class StoreChanged(Consumed):
    """catalog.store.created|updated|deleted, as far as bookings reads it."""

    store_id: uuid.UUID
    code: str
    name: str
    time_zone: str = "UTC"
    is_active: bool = True
    deleted: bool = False


class UserChanged(Consumed):
    """auth.user.registered|created|updated|deactivated, as far as bookings reads it."""

    user_id: str
    email: str
    first_name: str | None = None
    last_name: str | None = None
    phone: str | None = None
    role: str = "customer"
    is_active: bool = True
    customer_number: str | None = None


class PaymentRecorded(Consumed):
    """invoicing.payment.recorded, as far as bookings reads it: a payment on an invoice, and
    what the invoice's status became."""

    invoice_id: uuid.UUID
    source: str = Field(description="manual, pos_sale or booking")
    source_id: str | None
    status_after: str
