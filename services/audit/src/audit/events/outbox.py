"""audit's outbox: events written in the transaction of the change, validated against
their contracts."""

from __future__ import annotations

from audit.db import EVENT_TABLES
from audit.events.contracts import PUBLISHED
from common.events.outbox import Outbox

outbox = Outbox(EVENT_TABLES, source="audit", contracts=PUBLISHED)
