"""Catalog's outbox: every payload is checked against its contract before it is written."""

from __future__ import annotations

from catalog.db import EVENT_TABLES
from catalog.events.contracts import PUBLISHED
from common.events.outbox import Outbox

outbox = Outbox(EVENT_TABLES, source="catalog", contracts=PUBLISHED)
