"""Every table of bookings, imported once so Alembic and the tests see the whole schema."""

from __future__ import annotations

from bookings.bookings.models import Booking, BookingChange, BookingIssue
from bookings.captcha.models import SpentSolution
from bookings.customers.models import Customer
from bookings.db import EVENT_TABLES, REVOKED_USERS, Base
from bookings.issues.models import Issue, OtherIssue
from bookings.leads.models import Lead
from bookings.notifications.models import Notification
from bookings.questions.models import Question, QuestionVersion
from bookings.responses.models import Response
from bookings.stores.models import Store

__all__ = [
    "EVENT_TABLES",
    "REVOKED_USERS",
    "Base",
    "Booking",
    "BookingChange",
    "BookingIssue",
    "Customer",
    "Issue",
    "Lead",
    "Notification",
    "OtherIssue",
    "Question",
    "QuestionVersion",
    "Response",
    "SpentSolution",
    "Store",
]
