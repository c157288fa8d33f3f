"""attendance's outbox: events written in the transaction of the change, validated against
their contracts."""

from __future__ import annotations

from attendance.db import EVENT_TABLES
from attendance.events.contracts import PUBLISHED
from common.events.outbox import Outbox

outbox = Outbox(EVENT_TABLES, source="attendance", contracts=PUBLISHED)
