"""Writing an event into the outbox in the same transaction as the change it describes.

The row is part of the caller's transaction: if the change rolls back, so does the
event. One ``NOTIFY`` per transaction (not per event: a ten-line sale writes eleven
events and wakes the relay once) tells the relay to publish as soon as it commits; the
transaction's first outbox INSERT sends it (``INSERT ... SELECT ... FROM pg_notify``), so
it costs no round trip of its own.

A service gives its outbox the contracts it publishes; every payload is validated
against the contract of its subject before it is written, so nothing undeclared or
malformed ever leaves the service. A payload the wire cannot carry (an integer past 64
bits: JSONB stores it, orjson does not encode it) is refused here, as a 422, before
anything is written: once in the outbox it would stop the relay at that row for good.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import orjson
from opentelemetry import propagate
from sqlalchemy import Insert, Table, Text, bindparam, event, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, SessionTransaction

from common.errors import Unprocessable
from common.events.contracts import Published, PublishedContracts
from common.events.envelope import Envelope
from common.events.tables import EventTables

_NOTIFIED = "shopfloor_outbox_notified"
CHUNK = 1000  # rows to an INSERT of publish_many


def notify_channel(source: str) -> str:
    return f"shopfloor_outbox_{source}".replace("-", "_")


class Outbox:
    """A service's outbox: ``await outbox.publish(session, ItemSold(...), actor=...)``."""

    def __init__(
        self,
        tables: EventTables,
        source: str,
        contracts: Iterable[type[Published]] | None = None,
    ) -> None:
        self.tables = tables
        self.source = source
        self.channel = notify_channel(source)
        self.contracts = PublishedContracts(contracts) if contracts is not None else None
        self._insert, self._insert_notifying = _inserts(tables.outbox)
        if self.contracts is not None:
            for subject in self.contracts.subjects():
                self._check_subject(subject)

    def _check_subject(self, subject: str) -> None:
        if not subject.startswith(self.source + "."):
            raise ValueError(
                f"{self.source} may only publish under '{self.source}.>', not {subject}"
            )

    async def publish(
        self,
        session: AsyncSession,
        event: Published,
        *,
        subject: str | None = None,
        verb: str | None = None,
        actor: str | None = None,
        schema_version: int = 1,
    ) -> Envelope:
        """Write ``event``; ``subject`` is needed only when its contract carries several, or
        ``verb``: the one of them that ends in ``.{verb}`` (``created``, ``updated`` ...)."""
        if subject is None and verb is not None:
            subject = next((s for s in event.subjects if s.rsplit(".", 1)[-1] == verb), None)
            if subject is None:
                raise ValueError(f"{type(event).__name__} has no subject ending in .{verb}")
        if subject is None:
            if len(event.subjects) != 1:
                raise ValueError(
                    f"{type(event).__name__} is published on {', '.join(event.subjects)}: "
                    "name the subject"
                )
            subject = event.subjects[0]
        return await self.add(session, subject, event, actor=actor, schema_version=schema_version)

    async def add(
        self,
        session: AsyncSession,
        subject: str,
        data: dict[str, Any] | Published,
        *,
        actor: str | None = None,
        schema_version: int = 1,
    ) -> Envelope:
        envelope, row = self._row(subject, data, actor, schema_version, _trace_headers())
        await self._write(session, [row])
        return envelope

    async def publish_many(
        self, session: AsyncSession, events: Sequence[Published], *, actor: str | None
    ) -> None:
        """Write many events of one transaction as multi-row INSERTs (20,000 units of a
        manifest are 20 statements, not 20,000), with ``add``'s checks and its one NOTIFY;
        each event's contract must carry one subject."""
        headers = _trace_headers()
        rows: list[dict[str, Any]] = []
        for change in events:
            if len(change.subjects) != 1:
                raise ValueError(f"{type(change).__name__} has several subjects: use publish")
            rows.append(self._row(change.subjects[0], change, actor, 1, headers)[1])
        await self._write(session, rows)

    def _row(
        self,
        subject: str,
        data: dict[str, Any] | Published,
        actor: str | None,
        schema_version: int,
        headers: dict[str, str],
    ) -> tuple[Envelope, dict[str, Any]]:
        """The checked envelope of one event and its outbox row."""
        self._check_subject(subject)
        if self.contracts is not None:
            payload = self.contracts.validate(subject, data)
        elif isinstance(data, Published):
            payload = data.payload()
        else:
            payload = data
        envelope = Envelope(
            type=subject,
            source=self.source,
            actor=actor,
            data=payload,
            schema_version=schema_version,
        )
        try:
            envelope.to_bytes()
        except orjson.JSONEncodeError as exc:
            raise Unprocessable(f"{subject} cannot carry this change: {exc}") from exc
        row = {
            "id": envelope.id,
            "subject": subject,
            "envelope": envelope.model_dump(mode="json"),
            "headers": headers,
        }
        return envelope, row

    async def _write(self, session: AsyncSession, rows: list[dict[str, Any]]) -> None:
        """The rows, ``CHUNK`` to a statement; the transaction's first INSERT sends the
        NOTIFY too."""
        if not rows:
            return
        if self.channel not in session.info.get(_NOTIFIED, ()):
            first = rows[0] | {"channel": self.notified(session)}
            await session.execute(self._insert_notifying, first)
            rows = rows[1:]
        for start in range(0, len(rows), CHUNK):
            await session.execute(self._insert, rows[start : start + CHUNK])

    def notified(self, session: AsyncSession) -> str:
        """The relay's channel, for a statement of this transaction that sends
        ``pg_notify(channel, '')`` itself (saving the round trip of its own): the
        transaction counts as notified, so ``add`` sends none again."""
        session.info.setdefault(_NOTIFIED, set()).add(self.channel)
        return self.channel


def _inserts(outbox: Table) -> tuple[Insert, Insert]:
    """The outbox row's INSERT, and the same INSERT sending ``pg_notify(:channel, '')``
    (``INSERT ... SELECT ... FROM pg_notify(...)``: one round trip for both), built once."""
    columns = ("id", "subject", "envelope", "headers")
    values = select(*(bindparam(name, type_=outbox.c[name].type) for name in columns))
    notifying = values.select_from(func.pg_notify(bindparam("channel", type_=Text), ""))
    return insert(outbox), insert(outbox).from_select(columns, notifying)


def _trace_headers() -> dict[str, str]:
    """The W3C ``traceparent`` of the request that caused the event."""
    headers: dict[str, str] = {}
    propagate.inject(headers)
    return headers


@event.listens_for(Session, "after_transaction_end")
def _forget_notification(session: Session, transaction: SessionTransaction) -> None:
    """A new transaction must notify again. A savepoint ending clears it too: had it rolled
    back, its NOTIFY went with it (one notification too many costs nothing)."""
    session.info.pop(_NOTIFIED, None)
