"""invoicing's outbox: events written in the transaction of the change, validated against
their contracts."""

from __future__ import annotations

from common.events.outbox import Outbox
from invoicing.db import EVENT_TABLES
from invoicing.events.contracts import PUBLISHED

outbox = Outbox(EVENT_TABLES, source="invoicing", contracts=PUBLISHED)
