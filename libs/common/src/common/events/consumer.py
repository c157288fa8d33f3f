"""Durable, idempotent JetStream consumers with retries and a dead-letter table.

For each subscription a durable pull consumer fetches events one at a time.
The event id goes into the inbox table in the same transaction as the
handler's effect; a redelivered event finds its id there and changes nothing.
The message is acked only after that transaction commits. A failing handler is
retried with backoff (``nak`` with delay); after ``max_deliver`` attempts the
event is written to the dead-letter table with its error and acked.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from nats.aio.msg import Msg
from nats.errors import TimeoutError as NatsTimeoutError
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from opentelemetry import propagate, trace
from sqlalchemy import insert
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from common.db import Database
from common.events.bus import NatsBus
from common.events.envelope import Envelope
from common.events.tables import EventTables
from common.tasks import stop_tasks

logger = logging.getLogger(__name__)
tracer = trace.get_tracer("shopfloor.events")

Handler = Callable[[AsyncSession, Envelope], Awaitable[None]]


@dataclass(frozen=True)
class Subscription:
    """``subject`` (may use wildcards) handled by ``handler``; ``name`` is stable across deploys."""

    name: str
    subject: str
    handler: Handler


def durable_name(service: str, subscription: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", f"{service}--{subscription}")


class AlreadyProcessed(Exception):
    pass


class EventConsumer:
    def __init__(
        self,
        *,
        service: str,
        database: Database,
        tables: EventTables,
        bus: NatsBus,
        subscriptions: Sequence[Subscription],
        max_deliver: int = 5,
        ack_wait: float = 30.0,
        retry_base_delay: float = 0.5,
    ) -> None:
        self.service = service
        self.database = database
        self.tables = tables
        self.bus = bus
        self.subscriptions = list(subscriptions)
        self.max_deliver = max_deliver
        self.ack_wait = ack_wait
        self.retry_base_delay = retry_base_delay

    async def run(self) -> None:
        """One fetch loop per subscription, until cancelled."""
        tasks = [
            asyncio.create_task(self._run_subscription(sub), name=f"consume-{sub.name}")
            for sub in self.subscriptions
        ]
        try:
            await asyncio.gather(*tasks)
        finally:
            await stop_tasks(tasks)

    async def _run_subscription(self, subscription: Subscription) -> None:
        stream = await self.bus.ensure_stream(subscription.subject.split(".", 1)[0])
        durable = durable_name(self.service, subscription.name)
        config = ConsumerConfig(
            durable_name=durable,
            ack_policy=AckPolicy.EXPLICIT,
            deliver_policy=DeliverPolicy.ALL,
            ack_wait=self.ack_wait,
            max_deliver=-1,  # we count attempts ourselves and dead-letter; JetStream must not drop
            filter_subject=subscription.subject,
        )
        pull = await self.bus.js.pull_subscribe(
            subscription.subject, durable=durable, stream=stream, config=config
        )
        current = asyncio.current_task()
        try:
            while True:
                if current is not None and current.cancelling():
                    raise asyncio.CancelledError  # a library swallowed our cancellation
                try:
                    messages = await pull.fetch(batch=1, timeout=5.0)
                except (NatsTimeoutError, TimeoutError):
                    continue
                except asyncio.CancelledError:
                    raise
                except Exception as exc:  # NATS reconnecting; the pull resumes afterwards
                    logger.warning("fetch on %s failed: %r", durable, exc)
                    await asyncio.sleep(0.5)
                    continue
                for message in messages:
                    await self.process(subscription, message)
        finally:
            # Leave nothing for the connection's drain to wait on at shutdown (the durable
            # consumer stays on the server and resumes where it was).
            with contextlib.suppress(Exception):
                await asyncio.wait_for(pull.unsubscribe(), timeout=2)

    async def process(self, subscription: Subscription, message: Msg) -> None:
        """Handle one delivery: effect + inbox row in one transaction, then ack."""
        attempt = message.metadata.num_delivered if message.metadata else 1
        try:
            envelope = Envelope.from_bytes(message.data)
        except ValueError as exc:
            await self._dead_letter(
                subscription, message, None, f"malformed envelope: {exc}", attempt
            )
            await message.ack()
            return
        context = propagate.extract(dict(message.headers or {}))
        with tracer.start_as_current_span(
            f"consume {envelope.type}",
            context=context,
            kind=trace.SpanKind.CONSUMER,
            attributes={"messaging.system": "nats", "messaging.destination.name": envelope.type},
        ):
            try:
                await self.handle(subscription, envelope)
            except Exception as exc:
                if attempt >= self.max_deliver:
                    logger.error(
                        "dead-lettering %s after %d attempts: %r", envelope.id, attempt, exc
                    )
                    await self._dead_letter(subscription, message, envelope, repr(exc), attempt)
                    await message.ack()
                else:
                    delay = self.retry_base_delay * 2 ** (attempt - 1)
                    logger.warning(
                        "handler failed for %s (attempt %d): %r", envelope.id, attempt, exc
                    )
                    await message.nak(delay=min(delay, 60.0))
                return
        await message.ack()

    async def handle(self, subscription: Subscription, envelope: Envelope) -> bool:
        """Apply the handler once per (subscriber, event id). Returns False for a duplicate."""
        inbox = self.tables.inbox
        try:
            async with self.database.session() as session:
                claimed = await session.execute(
                    pg_insert(inbox)
                    .values(
                        subscriber=subscription.name, event_id=envelope.id, subject=envelope.type
                    )
                    .on_conflict_do_nothing()
                    .returning(inbox.c.event_id)
                )
                if claimed.first() is None:
                    raise AlreadyProcessed
                await subscription.handler(session, envelope)
        except AlreadyProcessed:
            return False
        return True

    async def _dead_letter(
        self,
        subscription: Subscription,
        message: Msg,
        envelope: Envelope | None,
        error: str,
        attempts: int,
    ) -> None:
        async with self.database.session() as session:
            await session.execute(
                insert(self.tables.dead_letters).values(
                    subscriber=subscription.name,
                    event_id=envelope.id if envelope else None,
                    subject=message.subject,
                    payload=message.data.decode("utf-8", errors="replace"),
                    error=error[:4000],
                    attempts=attempts,
                )
            )
