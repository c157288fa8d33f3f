"""Durable, idempotent JetStream consumers with contracts, batches, retries and dead letters.

For each subscription a durable pull consumer fetches what is waiting, up to a batch:

- Each payload is validated against the subscription's contract first. A payload that
  does not validate (or an envelope that does not parse) is written to the dead-letter
  table at once, with the validation error, and acked: retrying cannot make it valid.
- The valid events of a batch are applied in stream order in **one** transaction: their
  ids go into the inbox table (a redelivered id is found there and changes nothing) and
  each handler's effect is written beside it. After the commit, every message is acked.
- When a handler raises, the batch is rolled back and its events are applied one at a
  time, so one bad event holds back no other. A failing event is retried with backoff
  (``nak`` with delay); after ``max_deliver`` attempts it is dead-lettered and acked. A
  handler raising ``EventRejected`` (or ``ContractViolation``, for a handler that checks a
  payload per subject itself) says retrying is pointless: dead-lettered at once.
- A subscription made with ``subscribe_batch`` gets the batch's newly claimed events in one
  call (``handler(session, events)``, stream order) instead of one call each, so its effect
  can be one multi-row statement rather than a round trip per event: a backlog then drains
  at the rate of the batch, not of the statement. After a failed batch it is called with
  one event at a time, like any handler.

Waiting costs nothing: an idle consumer blocks on a one-message fetch that returns the
moment an event arrives; once events flow it takes whatever else is waiting without
blocking, so latency stays low when idle and throughput high with a backlog.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic

from nats.aio.msg import Msg
from nats.errors import TimeoutError as NatsTimeoutError
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from opentelemetry import propagate, trace
from opentelemetry.context import Context
from sqlalchemy import insert
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from common.db import Database
from common.events.bus import NatsBus
from common.events.contracts import C, ContractViolation, Event, parse
from common.events.envelope import Envelope
from common.events.tables import EventTables
from common.tasks import stop_tasks

logger = logging.getLogger(__name__)
tracer = trace.get_tracer("shopfloor.events")

Handler = Callable[[AsyncSession, Any], Awaitable[None]]
BatchHandler = Callable[[AsyncSession, Sequence[Any]], Awaitable[None]]
IDLE_FETCH_SECONDS = 5.0
BACKLOG_FETCH_SECONDS = 0.02


class EventRejected(Exception):
    """Raised by a handler for an event it can never apply: dead-lettered without retries."""


@dataclass(frozen=True)
class Subscription(Generic[C]):
    """``subject`` (may use wildcards) handled by ``handler``; ``name`` is stable across deploys.

    With a ``contract`` the handler receives an ``Event[contract]`` whose ``data`` passed
    validation; without one (only for code not yet moved to contracts) the raw ``Envelope``.
    With ``batch`` it receives the list of a batch's new events in one call
    (``subscribe_batch``).
    """

    name: str
    subject: str
    handler: Handler | BatchHandler
    contract: type[C] | None = None
    batch: bool = False

    def event_for(self, envelope: Envelope) -> Event[C] | Envelope:
        if self.contract is None:
            return envelope
        return Event(envelope, parse(self.contract, envelope.type, envelope.data))


def subscribe(
    name: str,
    subject: str,
    contract: type[C],
    handler: Callable[[AsyncSession, Event[C]], Awaitable[None]],
) -> Subscription[C]:
    """A typed subscription: mypy checks that ``handler`` takes ``Event[contract]``."""
    return Subscription(name=name, subject=subject, handler=handler, contract=contract)


def subscribe_batch(
    name: str,
    subject: str,
    contract: type[C],
    handler: Callable[[AsyncSession, Sequence[Event[C]]], Awaitable[None]],
) -> Subscription[C]:
    """A typed subscription whose handler applies a batch's new events in one call (in
    stream order, a redelivered event left out): for an effect that is a row per event."""
    return Subscription(name=name, subject=subject, handler=handler, contract=contract, batch=True)


def durable_name(service: str, subscription: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", f"{service}--{subscription}")


@dataclass
class _Delivery:
    message: Msg
    envelope: Envelope
    event: Any  # Event[C] or Envelope, what the handler receives

    @property
    def trace_context(self) -> Context:
        """The trace of the request that published it (its ``traceparent`` header)."""
        return propagate.extract(dict(self.message.headers or {}))

    @property
    def attempt(self) -> int:
        return self.message.metadata.num_delivered if self.message.metadata else 1


class EventConsumer:
    def __init__(
        self,
        *,
        service: str,
        database: Database,
        tables: EventTables,
        bus: NatsBus,
        subscriptions: Sequence[Subscription[Any]],
        max_deliver: int = 5,
        ack_wait: float = 30.0,
        retry_base_delay: float = 0.5,
        batch_size: int = 100,
    ) -> None:
        self.service = service
        self.database = database
        self.tables = tables
        self.bus = bus
        self.subscriptions = list(subscriptions)
        self.max_deliver = max_deliver
        self.ack_wait = ack_wait
        self.retry_base_delay = retry_base_delay
        self.batch_size = max(1, batch_size)
        self.applied = 0
        inbox = tables.inbox
        # Built once: every batch's ids in one INSERT (SQLAlchemy's insertmanyvalues).
        self._claim = pg_insert(inbox).on_conflict_do_nothing().returning(inbox.c.event_id)

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

    async def _run_subscription(self, subscription: Subscription[Any]) -> None:
        stream = await self.bus.ensure_stream(subscription.subject.split(".", 1)[0])
        durable = durable_name(self.service, subscription.name)
        config = ConsumerConfig(
            durable_name=durable,
            ack_policy=AckPolicy.EXPLICIT,
            deliver_policy=DeliverPolicy.ALL,
            ack_wait=self.ack_wait,
            max_deliver=-1,  # we count attempts ourselves and dead-letter; JetStream must not drop
            max_ack_pending=max(1000, self.batch_size * 10),
            filter_subject=subscription.subject,
        )
        pull = await self.bus.js.pull_subscribe(
            subscription.subject, durable=durable, stream=stream, config=config
        )
        current = asyncio.current_task()
        flowing = False
        try:
            while True:
                if current is not None and current.cancelling():
                    raise asyncio.CancelledError  # a library swallowed our cancellation
                try:
                    if flowing:  # take what is waiting, hardly blocking
                        messages = await pull.fetch(
                            batch=self.batch_size, timeout=BACKLOG_FETCH_SECONDS
                        )
                    else:  # idle: one message, returned the moment it arrives
                        messages = await pull.fetch(batch=1, timeout=IDLE_FETCH_SECONDS)
                except (NatsTimeoutError, TimeoutError):
                    flowing = False
                    continue
                except asyncio.CancelledError:
                    raise
                except Exception as exc:  # NATS reconnecting; the pull resumes afterwards
                    logger.warning("fetch on %s failed: %r", durable, exc)
                    flowing = False
                    await asyncio.sleep(0.5)
                    continue
                flowing = bool(messages)
                await self.process_batch(subscription, messages)
        finally:
            # Leave nothing for the connection's drain to wait on at shutdown (the durable
            # consumer stays on the server and resumes where it was).
            with contextlib.suppress(Exception):
                await asyncio.wait_for(pull.unsubscribe(), timeout=2)

    async def process_batch(self, subscription: Subscription[Any], messages: Sequence[Msg]) -> None:
        """Validate every message, apply the valid ones in one transaction, then ack them."""
        deliveries: list[_Delivery] = []
        for message in messages:
            delivery = await self._accept(subscription, message)
            if delivery is not None:
                deliveries.append(delivery)
        if not deliveries:
            return
        if len(deliveries) > 1:
            try:
                await self._apply(subscription, deliveries)
            except Exception as exc:
                logger.info(
                    "batch of %d on %s failed (%r); applying one at a time",
                    len(deliveries),
                    subscription.name,
                    exc,
                )
            else:
                for delivery in deliveries:
                    await delivery.message.ack()
                return
        for delivery in deliveries:
            await self._process_one(subscription, delivery)

    async def process(self, subscription: Subscription[Any], message: Msg) -> None:
        """Handle one delivery (a batch of one)."""
        await self.process_batch(subscription, [message])

    async def _accept(self, subscription: Subscription[Any], message: Msg) -> _Delivery | None:
        """Parse the envelope and validate its payload; what cannot pass is dead-lettered now."""
        attempt = message.metadata.num_delivered if message.metadata else 1
        try:
            envelope = Envelope.from_bytes(message.data)
        except ValueError as exc:
            await self._dead_letter(
                subscription, message, None, f"malformed envelope: {exc}", attempt
            )
            await message.ack()
            return None
        try:
            event = subscription.event_for(envelope)
        except ContractViolation as exc:
            logger.error("dead-lettering %s at once: %s", envelope.id, exc)
            await self._dead_letter(subscription, message, envelope, str(exc), attempt)
            await message.ack()
            return None
        return _Delivery(message, envelope, event)

    async def _process_one(self, subscription: Subscription[Any], delivery: _Delivery) -> None:
        """Apply one event alone: ack on success, retry with backoff, dead-letter when spent."""
        envelope, message, attempt = delivery.envelope, delivery.message, delivery.attempt
        try:
            await self._apply(subscription, [delivery])
        except (EventRejected, ContractViolation) as exc:
            logger.error("dead-lettering %s, rejected by its handler: %s", envelope.id, exc)
            await self._dead_letter(subscription, message, envelope, repr(exc), attempt)
            await message.ack()
            return
        except Exception as exc:
            if attempt >= self.max_deliver:
                logger.error("dead-lettering %s after %d attempts: %r", envelope.id, attempt, exc)
                await self._dead_letter(subscription, message, envelope, repr(exc), attempt)
                await message.ack()
            else:
                delay = self.retry_base_delay * 2 ** (attempt - 1)
                logger.warning("handler failed for %s (attempt %d): %r", envelope.id, attempt, exc)
                await message.nak(delay=min(delay, 60.0))
            return
        await message.ack()

    async def _apply(self, subscription: Subscription[Any], deliveries: list[_Delivery]) -> None:
        """Claim the events in the inbox and run the handler for each newly claimed one, in
        order, all in one transaction (a redelivered event is already there: no effect)."""
        async with self.database.session() as session:
            claimed = set(
                (
                    await session.execute(
                        self._claim,
                        [
                            {
                                "subscriber": subscription.name,
                                "event_id": delivery.envelope.id,
                                "subject": delivery.envelope.type,
                            }
                            for delivery in deliveries
                        ],
                    )
                ).scalars()
            )
            fresh: list[_Delivery] = []
            for delivery in deliveries:
                if delivery.envelope.id in claimed:
                    claimed.discard(delivery.envelope.id)  # the same id twice in a batch: once
                    fresh.append(delivery)
            if subscription.batch:
                if fresh:
                    await self._run_batch_handler(subscription, session, fresh)
            else:
                for delivery in fresh:
                    await self._run_handler(subscription, session, delivery)
        self.applied += len(fresh)  # counted once committed

    async def _run_handler(
        self, subscription: Subscription[Any], session: AsyncSession, delivery: _Delivery
    ) -> None:
        envelope = delivery.envelope
        with tracer.start_as_current_span(
            f"consume {envelope.type}",
            context=delivery.trace_context,
            kind=trace.SpanKind.CONSUMER,
            attributes={
                "messaging.system": "nats",
                "messaging.destination.name": envelope.type,
                "messaging.message.id": str(envelope.id),
            },
        ):
            await subscription.handler(session, delivery.event)

    async def _run_batch_handler(
        self, subscription: Subscription[Any], session: AsyncSession, deliveries: list[_Delivery]
    ) -> None:
        """One span for the call, parented by the first event's trace and linked to each."""
        contexts = [delivery.trace_context for delivery in deliveries]
        links = [
            trace.Link(found)
            for context in contexts
            if (found := trace.get_current_span(context).get_span_context()).is_valid
        ]
        with tracer.start_as_current_span(
            f"consume {subscription.subject} x{len(deliveries)}",
            context=contexts[0],
            kind=trace.SpanKind.CONSUMER,
            links=links,
            attributes={
                "messaging.system": "nats",
                "messaging.destination.name": subscription.subject,
                "messaging.batch.message_count": len(deliveries),
            },
        ):
            await subscription.handler(session, [delivery.event for delivery in deliveries])

    async def _dead_letter(
        self,
        subscription: Subscription[Any],
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
                    payload=_text(message.data.decode("utf-8", errors="replace")),
                    error=_text(error[:4000]),
                    attempts=attempts,
                )
            )


def _text(value: str) -> str:
    """PostgreSQL text cannot hold NUL: keep it visible as an escape instead of failing."""
    return value.replace("\x00", "\\u0000")
