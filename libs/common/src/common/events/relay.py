"""The outbox relay: publishes committed outbox rows to JetStream and marks them sent.

Woken by the ``NOTIFY`` of the committing transaction (LISTEN on the process's
shared connection, ``common.notifications``, or on one of its own when run
alone), with a slow sweep as a safety net for rows a crash stranded.
Several replicas can run it: each batch is claimed with ``FOR UPDATE SKIP
LOCKED`` and marked sent by the same statement, in the transaction that publishes it
(what failed to publish is unmarked before the commit). A relay that dies after
publishing but before its commit leaves the rows unsent, and they are published again
later; JetStream's ``Nats-Msg-Id`` window and the consumers' inbox make that harmless.
"""

from __future__ import annotations

import asyncio
import logging

from opentelemetry import propagate, trace
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import ReturningUpdate

from common.db import Database, libpq_url
from common.events.bus import EventPublisher
from common.events.envelope import Envelope
from common.events.outbox import notify_channel
from common.events.tables import EventTables
from common.notifications import Notifications, wake_on

logger = logging.getLogger(__name__)
tracer = trace.get_tracer("shopfloor.events")


class OutboxRelay:
    def __init__(
        self,
        database: Database,
        tables: EventTables,
        publisher: EventPublisher,
        *,
        source: str,
        batch_size: int = 200,
        sweep_interval: float = 5.0,
        notifications: Notifications | None = None,
    ) -> None:
        self.database = database
        self.tables = tables
        self.publisher = publisher
        self.channel = notify_channel(source)
        self.batch_size = batch_size
        self.sweep_interval = sweep_interval
        self.notifications = notifications
        self.published = 0
        self._claim = self._claiming()

    async def sweep(self) -> int:
        """Publish every unsent row, batch by batch; returns how many were published."""
        total = 0
        while True:
            async with self.database.session() as session:
                count = await self._publish_batch(session)
            total += count
            if count < self.batch_size:
                return total

    def _claiming(self) -> ReturningUpdate[tuple[int, dict[str, object], dict[str, str]]]:
        """``UPDATE ... SET sent_at = now() ... RETURNING`` of the oldest unsent rows no other
        relay holds: claiming and marking in one statement (one round trip, built once).
        The mark is part of the transaction that publishes, so a relay dying before its
        commit leaves the rows unsent, as if it had never claimed them."""
        outbox = self.tables.outbox
        claimed = (
            select(outbox.c.seq)
            .where(outbox.c.sent_at.is_(None))
            .order_by(outbox.c.seq)
            .limit(self.batch_size)
            .with_for_update(skip_locked=True)
            .cte("claimed")
            .prefix_with("MATERIALIZED")
        )
        return (
            update(outbox)
            .where(outbox.c.seq == claimed.c.seq)
            .values(sent_at=func.now())
            .returning(outbox.c.seq, outbox.c.envelope, outbox.c.headers)
        )

    async def _publish_batch(self, session: AsyncSession) -> int:
        outbox = self.tables.outbox
        # RETURNING follows no order: publish in the outbox's (seq)
        rows = sorted((await session.execute(self._claim)).all(), key=lambda row: row.seq)
        if not rows:
            return 0
        # Pipelined: JetStream acks arrive in order on one connection.
        results = await asyncio.gather(
            *(
                self._publish_traced(Envelope.model_validate(row.envelope), dict(row.headers))
                for row in rows
            ),
            return_exceptions=True,
        )
        failures = [
            (n, result) for n, result in enumerate(results) if isinstance(result, BaseException)
        ]
        sent = failures[0][0] if failures else len(rows)
        if failures:
            failed = failures[0][1]
            # What was not published goes back to unsent; the first failure is recorded.
            await session.execute(
                update(outbox)
                .where(outbox.c.seq.in_([row.seq for row in rows[sent:]]))
                .values(sent_at=None)
            )
            await session.execute(
                update(outbox)
                .where(outbox.c.seq == rows[sent].seq)
                .values(attempts=outbox.c.attempts + 1, last_error=repr(failed)[:2000])
            )
            logger.warning("outbox publish failed, will retry: %r", failed)
            await session.commit()
            raise failed
        self.published += sent
        return sent

    async def _publish_traced(self, envelope: Envelope, headers: dict[str, str]) -> None:
        """A PRODUCER span, child of the request that wrote the event; consumers continue it."""
        with tracer.start_as_current_span(
            f"publish {envelope.type}",
            context=propagate.extract(headers),
            kind=trace.SpanKind.PRODUCER,
            attributes={
                "messaging.system": "nats",
                "messaging.destination.name": envelope.type,
                "messaging.message.id": str(envelope.id),
            },
        ):
            await self.publisher.publish(envelope, headers)

    async def run(self) -> None:
        """Run until cancelled."""
        backoff = 0.2
        url = libpq_url(self.database.url)
        async with wake_on(self.channel, self.notifications, url) as wake:
            while True:
                await wake.wait(self.sweep_interval)
                try:
                    await self.sweep()
                    backoff = 0.2
                except asyncio.CancelledError:
                    raise
                except Exception as exc:
                    logger.warning("outbox sweep failed: %r; retrying in %.1fs", exc, backoff)
                    await asyncio.sleep(backoff)
                    backoff = min(backoff * 2, 10.0)
                    wake.set()
