"""Inventory's outbox: every payload is checked against ``PUBLISHED`` before it is written
(``outbox.publish``, or ``outbox.publish_many`` for many events of one transaction)."""

from __future__ import annotations

from common.events.outbox import Outbox
from inventory.db import EVENT_TABLES
from inventory.events.contracts import PUBLISHED

outbox = Outbox(EVENT_TABLES, source="inventory", contracts=PUBLISHED)
