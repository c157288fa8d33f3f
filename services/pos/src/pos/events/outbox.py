"""POS's outbox: every event it publishes passes its contract (``PUBLISHED``) before it is
written, in the transaction of the change it describes.

A completed ten-line sale writes eleven events; ``EVENTS`` writes them as a CTE of the
statement writing the sale itself (one round trip instead of eleven), from the JSON array
``rows`` makes; the statement taking the receipt number wakes the relay at the commit
(``notified``), once per transaction as ever.
``rows`` does what ``Outbox.add`` does for each event (check the subject, validate the
payload, the envelope, the trace headers); both belong in ``common.events.outbox`` once
other services need them."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from opentelemetry import propagate
from sqlalchemy import Text, Uuid, bindparam, cast, column, func, insert, select
from sqlalchemy.dialects.postgresql import JSONB

from common.events.contracts import Published
from common.events.envelope import Envelope
from common.events.outbox import Outbox
from pos.db import EVENT_TABLES
from pos.events.contracts import PUBLISHED


class SaleOutbox(Outbox):
    def rows(self, events: Sequence[tuple[str, Published]], *, actor: str | None) -> dict[str, Any]:
        """Parameters of ``EVENTS`` for ``(subject, event)`` pairs, in the order given."""
        headers: dict[str, str] = {}
        propagate.inject(headers)  # W3C traceparent of the request that caused them
        envelopes = []
        for subject, event in events:
            self._check_subject(subject)
            payload = (
                self.contracts.validate(subject, event)
                if self.contracts is not None
                else event.payload()
            )
            envelope = Envelope(type=subject, source=self.source, actor=actor, data=payload)
            envelopes.append(envelope.model_dump_json())
        return {
            "event_envelopes": "[" + ",".join(envelopes) + "]",
            "event_headers": json.dumps(headers),
        }


outbox = SaleOutbox(EVENT_TABLES, source="pos", contracts=PUBLISHED)

_OUTBOX = EVENT_TABLES.outbox
_EVENTS = (
    func.jsonb_array_elements(cast(bindparam("event_envelopes", type_=Text), JSONB))
    .table_valued(column("envelope", JSONB), with_ordinality="position")
    .render_derived(name="events")
)
# The events of a change as a CTE of the statement writing it, compiled once: the envelopes
# travel as one JSON array (one parameter, no per-element array quoting), in their order
# (the outbox's sequence counts up as they came).
EVENTS = (
    insert(_OUTBOX)
    .from_select(
        ["id", "subject", "envelope", "headers"],
        select(
            cast(_EVENTS.c.envelope["id"].astext, Uuid),
            _EVENTS.c.envelope["type"].astext,
            _EVENTS.c.envelope,
            cast(bindparam("event_headers", type_=Text), JSONB),
        ).order_by(_EVENTS.c.position),
    )
    .cte("events")
)
