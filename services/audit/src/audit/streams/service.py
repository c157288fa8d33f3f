"""How far behind the log is: per stream, what audit recorded (its own table) beside what
JetStream holds and what the ``audit--log`` consumer has not delivered or had acked."""

from __future__ import annotations

import logging

from nats.js.errors import NotFoundError
from sqlalchemy.ext.asyncio import AsyncSession

from audit.streams.ingester import DURABLE, dead_letter_subscriber, list_streams
from audit.streams.repository import StreamRepository
from audit.streams.schemas import StreamsOut, StreamStatus
from common.events.bus import NatsBus

logger = logging.getLogger(__name__)


class StreamStatusService:
    def __init__(self, session: AsyncSession, bus: NatsBus) -> None:
        self.streams = StreamRepository(session)
        self.bus = bus

    async def status(self) -> StreamsOut:
        consumed = {row.name: row for row in await self.streams.all()}
        dead = await self.streams.dead_letters()
        live: dict[str, tuple[list[str], int | None, int | None]] = {}  # subjects, last seq, lag
        reachable = self.bus.is_connected
        if reachable:
            try:
                for found in await list_streams(self.bus):
                    lag: int | None = found.messages
                    try:
                        consumer = await self.bus.js.consumer_info(found.name, DURABLE)
                        lag = (consumer.num_pending or 0) + (consumer.num_ack_pending or 0)
                    except NotFoundError:
                        pass  # not consumed yet: everything it holds is behind
                    live[found.name] = (found.subjects, found.last_sequence, lag)
            except Exception as exc:  # NATS went away mid-way: report what the database knows
                logger.warning("stream status from JetStream failed: %r", exc)
                reachable, live = False, {}
        statuses = []
        for name in sorted(set(consumed) | set(live)):
            row = consumed.get(name)
            subjects, last, behind = live.get(name, (list(row.subjects) if row else [], None, None))
            statuses.append(
                StreamStatus(
                    name=name,
                    subjects=subjects,
                    consumed=row is not None,
                    last_sequence=row.last_sequence if row else 0,
                    stream_last_sequence=last,
                    lag=behind,
                    recorded=row.recorded if row else 0,
                    flagged=row.flagged if row else 0,
                    dead_letters=dead.get(dead_letter_subscriber(name), 0),
                    discovered_at=row.discovered_at if row else None,
                    last_recorded_at=row.last_recorded_at if row else None,
                )
            )
        lags = [status.lag for status in statuses]
        return StreamsOut(
            nats="connected" if reachable else "unreachable",
            behind=sum(lag for lag in lags if lag is not None) if reachable else None,
            streams=statuses,
        )
