"""bookings's outbox: events written in the transaction of the change, validated against
their contracts."""

from __future__ import annotations

from bookings.db import EVENT_TABLES
from bookings.events.contracts import PUBLISHED
from common.events.outbox import Outbox

outbox = Outbox(EVENT_TABLES, source="bookings", contracts=PUBLISHED)
