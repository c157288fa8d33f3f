"""Feeding the log from every JetStream stream: discovery, one durable consumer per stream,
batched fetches, ack after commit, retries and the last resorts.

Why not ``common.events.consumer.EventConsumer``: it subscribes to subjects fixed at
start-up and dead-letters what does not parse, while the log must pick up streams that
appear later and keep every message, readable or not, as a row; and it runs a handler per
event, while the log writes a whole batch in one multi-row INSERT. The guarantees are the
same (and use the same inbox and dead-letter tables): an event id is written once, a
message is acked only after its transaction committed, a failing one is retried with
backoff.

- **Discovery**: at start-up and every ``AUDIT_DISCOVERY_INTERVAL_SECONDS``, JetStream is
  asked for its streams; each new one (but key-value and object stores) gets the durable
  pull consumer ``audit--log`` on all its subjects, delivering from its first message.
  A consumer task that died is started again by the next round.
- **Fetching**: idle, a one-message fetch that returns the moment an event arrives; once
  events flow, up to ``AUDIT_INGEST_BATCH_SIZE`` at a time with a short wait; with a
  backlog (JetStream says how many messages wait after each one it delivers), as many of
  them as a batch holds, however long reading them takes (bounded), so a busy process
  still writes full batches.
- **Failures**: a batch that fails is written again one message at a time. A message that
  fails is nak'ed with exponential backoff; after ``EVENT_MAX_DELIVER`` attempts it is kept
  as a flagged raw row with the error, and only if even that cannot be written does it go
  to ``event_dead_letters`` (visible in ``GET /api/audit/streams``) — never silently.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC

from nats.aio.msg import Msg
from nats.errors import TimeoutError as NatsTimeoutError
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy, StreamInfo
from nats.js.client import JetStreamContext
from nats.js.errors import BadRequestError, NotFoundError
from sqlalchemy import insert

from audit.config import AuditSettings
from audit.db import EVENT_TABLES
from audit.masking.rules import mask_raw
from audit.streams.reading import EntryDraft, Received, read
from audit.streams.recorder import Recorder
from audit.streams.repository import StreamRepository
from common.db import Database
from common.events.bus import NatsBus
from common.tasks import stop_tasks

logger = logging.getLogger(__name__)

DURABLE = "audit--log"
IDLE_FETCH_SECONDS = 5.0
FLOWING_FETCH_SECONDS = 0.05  # events arriving: whatever came within this, then write it
# Events known to be waiting (the last message's ``num_pending``): the fetch asks for no more
# than that, so it returns as soon as they are read, and may take this long to read them.
# (With the short wait a busy process read ~70 of a 1,000 backlog per fetch: the batch's
# fixed cost — two statements, a commit — was paid fifteen times as often.)
BACKLOG_FETCH_SECONDS = 2.0
STREAMS_PAGE = 256  # JetStream lists streams in pages of this size
PIPELINE_DEPTH = 2  # batches read and waiting for the writer
# Messages read between two yields to the event loop. Reading a 1,000-message batch in one
# go held the loop ~45 ms on the bench's VM (4.7 s of reading over 101 batches): every
# request the process served meanwhile (the log's lists, /readyz) and the writer of the
# previous batch waited that long.
READ_SLICE = 50


def raise_if_cancelling() -> None:
    """nats-py's ``fetch`` can turn the task's cancellation into its own timeout or
    connection error; without this check the pull loop swallowed the cancel and spun on a
    closed connection forever (an app's shutdown, or a test's event loop, never ended)."""
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError


def dead_letter_subscriber(stream: str) -> str:
    return f"{DURABLE}:{stream}"


def received(message: Msg) -> Received:
    metadata = message.metadata
    return Received(
        subject=message.subject,
        data=message.data,
        headers=dict(message.headers or {}),
        stream=metadata.stream,
        sequence=metadata.sequence.stream,
        stored_at=metadata.timestamp.astimezone(UTC),
    )


async def read_all(messages: Sequence[Msg]) -> list[EntryDraft]:
    """Every message read as its row-to-be, yielding to the event loop every ``READ_SLICE``
    messages (the writer of the previous batch goes on meanwhile)."""
    drafts: list[EntryDraft] = []
    for start in range(0, len(messages), READ_SLICE):
        if start:
            await asyncio.sleep(0)
        drafts.extend(read(received(message)) for message in messages[start : start + READ_SLICE])
    return drafts


def pending_after(message: Msg) -> int:
    """Messages of the stream not yet delivered to the consumer after ``message``."""
    return message.metadata.num_pending if message.metadata else 0


def attempts(message: Msg) -> int:
    return message.metadata.num_delivered if message.metadata else 1


@dataclass(frozen=True)
class Batch:
    """Messages as fetched, and the rows they read as (in the same order)."""

    messages: Sequence[Msg]
    drafts: list[EntryDraft]


@dataclass(frozen=True)
class FoundStream:
    name: str
    subjects: list[str]
    last_sequence: int
    messages: int


async def list_streams(bus: NatsBus) -> list[FoundStream]:
    """Every stream JetStream has, page by page."""
    pages: list[StreamInfo] = []
    while True:
        page = await bus.js.streams_info(offset=len(pages))
        pages.extend(page)
        if len(page) < STREAMS_PAGE:
            break
    return [
        FoundStream(
            info.config.name,
            list(info.config.subjects or []),
            info.state.last_seq,
            info.state.messages,
        )
        for info in pages
        if info.config.name
    ]


class Ingester:
    def __init__(self, *, database: Database, bus: NatsBus, settings: AuditSettings) -> None:
        self.database = database
        self.bus = bus
        self.settings = settings
        self.recorder = Recorder(database)
        self.consumers: dict[str, asyncio.Task[None]] = {}
        self.recorded = 0
        self.rounds = 0  # discovery rounds completed
        self._wake = asyncio.Event()

    def ignores(self, stream: str) -> bool:
        return any(
            stream.startswith(prefix) for prefix in self.settings.audit_ignored_stream_prefixes
        )

    def discover_soon(self) -> None:
        """Run a discovery round now rather than at the next interval."""
        self._wake.set()

    async def run(self) -> None:
        """Discover and consume until cancelled (waits for the app's NATS connection)."""
        try:
            # The app's lifespan connects the bus in the background; it has no event to await.
            while not self.bus.is_connected:  # noqa: ASYNC110
                await asyncio.sleep(0.1)
            while True:
                try:
                    await self.discover()
                    self.rounds += 1
                except asyncio.CancelledError:
                    raise
                except Exception as exc:  # NATS reconnecting: the next round tries again
                    logger.warning("stream discovery failed: %r", exc)
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(self.settings.audit_discovery_interval_seconds):
                        await self._wake.wait()
                self._wake.clear()
        finally:
            await stop_tasks(self.consumers.values())

    async def discover(self) -> list[str]:
        """Start consuming every stream not consumed yet; returns the names started."""
        started = []
        for found in await list_streams(self.bus):
            name = found.name
            running = self.consumers.get(name)
            if self.ignores(name) or (running is not None and not running.done()):
                continue
            await self.consume(name, found.subjects)
            started.append(name)
            logger.info("audit consumes stream %s (%s)", name, ", ".join(found.subjects))
        return started

    async def consume(self, name: str, subjects: list[str]) -> None:
        """Register the stream and start its consumer task."""
        async with self.database.session() as session:
            await StreamRepository(session).register(name, subjects, DURABLE)
        self.consumers[name] = asyncio.create_task(self._consume(name), name=f"audit-ingest-{name}")

    async def _subscribe(self, stream: str) -> JetStreamContext.PullSubscription:
        config = ConsumerConfig(
            durable_name=DURABLE,
            ack_policy=AckPolicy.EXPLICIT,
            deliver_policy=DeliverPolicy.ALL,
            ack_wait=self.settings.event_ack_wait_seconds,
            max_deliver=-1,  # attempts are counted here; JetStream must never drop a message
            max_ack_pending=max(1000, self.settings.audit_ingest_batch_size * 4),
        )
        try:
            await self.bus.js.add_consumer(stream, config)
        except BadRequestError as exc:  # it exists with another configuration: keep it
            logger.info("consumer %s on %s kept as it is: %s", DURABLE, stream, exc.description)
        return await self.bus.js.pull_subscribe_bind(durable=DURABLE, stream=stream)

    async def _consume(self, stream: str) -> None:
        """Fetch and read batches while the previous one is being written: reading (parsing,
        masking) is this process's work, writing mostly waits on PostgreSQL, so the two
        overlap. At most ``PIPELINE_DEPTH`` batches wait between them."""
        pull = await self._subscribe(stream)
        batches: asyncio.Queue[Batch] = asyncio.Queue(maxsize=PIPELINE_DEPTH)
        writer = asyncio.create_task(
            self._write_batches(stream, batches), name=f"audit-write-{stream}"
        )
        batch = self.settings.audit_ingest_batch_size
        flowing, waiting = False, 0
        try:
            while True:
                try:
                    if waiting:
                        messages = await pull.fetch(
                            batch=min(batch, waiting), timeout=BACKLOG_FETCH_SECONDS
                        )
                    elif flowing:
                        messages = await pull.fetch(batch=batch, timeout=FLOWING_FETCH_SECONDS)
                    else:
                        messages = await pull.fetch(batch=1, timeout=IDLE_FETCH_SECONDS)
                except (NatsTimeoutError, TimeoutError):
                    raise_if_cancelling()
                    flowing, waiting = False, 0
                    continue
                except asyncio.CancelledError:
                    raise
                except NotFoundError:
                    logger.warning(
                        "stream %s or its consumer is gone; discovery may restart it", stream
                    )
                    return
                except Exception as exc:  # NATS reconnecting; the pull resumes afterwards
                    raise_if_cancelling()
                    logger.warning("fetch on %s failed: %r", stream, exc)
                    flowing, waiting = False, 0
                    await asyncio.sleep(0.5)
                    continue
                flowing = bool(messages)
                waiting = pending_after(messages[-1]) if messages else 0
                if writer.done():  # it failed for good: let discovery start the stream again
                    writer.result()
                    return
                await batches.put(Batch(messages, await read_all(messages)))
        finally:
            writer.cancel()
            with contextlib.suppress(BaseException):
                await writer
            with contextlib.suppress(Exception):
                await asyncio.wait_for(pull.unsubscribe(), timeout=2)

    async def _write_batches(self, stream: str, batches: asyncio.Queue[Batch]) -> None:
        while True:
            batch = await batches.get()
            await self.write(stream, batch)

    async def write(self, stream: str, batch: Batch) -> None:
        """Record a fetched batch and ack it; on failure, one message at a time."""
        if not batch.messages:
            return
        try:
            outcome = await self.recorder.record_drafts(stream, batch.drafts)
        except Exception as exc:
            if len(batch.messages) == 1:
                await self._failed(stream, batch, exc)
                return
            logger.info(
                "batch of %d from %s failed (%r); one at a time", len(batch.messages), stream, exc
            )
            for message, draft in zip(batch.messages, batch.drafts, strict=True):
                await self.write(stream, Batch([message], [draft]))
            return
        for message in batch.messages:
            await message.ack()
        self.recorded += outcome.recorded

    async def _failed(self, stream: str, batch: Batch, error: Exception) -> None:
        message, draft = batch.messages[0], batch.drafts[0]
        attempt = attempts(message)
        if attempt < self.settings.event_max_deliver:
            delay = min(0.5 * 2 ** (attempt - 1), 60.0)
            logger.warning(
                "recording %s #%d failed (attempt %d): %r",
                stream,
                message.metadata.sequence.stream,
                attempt,
                error,
            )
            await message.nak(delay=delay)
            return
        logger.error(
            "recording %s #%d failed %d times: %r",
            stream,
            message.metadata.sequence.stream,
            attempt,
            error,
        )
        try:
            await self.recorder.record_unrecordable(stream, draft, repr(error))
        except Exception as last:
            if not await self._dead_letter(stream, message, f"{error!r}; then {last!r}", attempt):
                await message.nak(delay=60.0)  # the database is down: JetStream keeps it
                return
        await message.ack()

    async def _dead_letter(self, stream: str, message: Msg, error: str, attempt: int) -> bool:
        try:
            async with self.database.session() as session:
                await session.execute(
                    insert(EVENT_TABLES.dead_letters).values(
                        subscriber=dead_letter_subscriber(stream),
                        event_id=None,
                        subject=message.subject,
                        payload=mask_raw(message.data.decode("utf-8", errors="replace")).replace(
                            "\x00", "\\u0000"
                        ),
                        error=error[:4000],
                        attempts=attempt,
                    )
                )
        except Exception:
            logger.exception(
                "dead-lettering %s #%d failed too", stream, message.metadata.sequence.stream
            )
            return False
        logger.error("dead-lettered %s #%d: %s", stream, message.metadata.sequence.stream, error)
        return True
