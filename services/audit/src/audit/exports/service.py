"""Streaming an export: rows from a server-side cursor, written out chunk by chunk, so the
service holds one chunk at a time however many rows there are; the trailer closes it.

Rows come in id order, which within a month is chain order (ids are drawn while the month's
chain is locked), so consecutive rows of a month link up. The cursor lives on a connection
of its own, opened when the response starts: when the client goes away, the response is
cancelled, the cursor and its transaction are closed and the query stops.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime

from fastapi.responses import StreamingResponse
from sqlalchemy import RowMapping, select

from audit.entries.models import AuditEntry
from audit.entries.repository import EntryFilters, filtered
from audit.exports.formats import COLUMNS, MEDIA_TYPES, ExportFormat, Writer
from audit.integrity.chain import text_of
from audit.partitions.months import month_label, month_of
from common.db import Database

logger = logging.getLogger(__name__)
CHUNK = 1000  # rows fetched per round trip and written per chunk


def cells_of(values: RowMapping) -> list[str | None]:
    """A row as the text of its export cells (the text its hash was computed from)."""
    return [
        month_label(month_of(values["recorded_at"]))
        if column == "month"
        else text_of(values[column])
        for column in COLUMNS
    ]


class ExportService:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def stream(
        self, filters: EntryFilters, export_format: ExportFormat
    ) -> AsyncIterator[bytes]:
        writer = Writer(export_format)
        statement = (
            filtered(select(AuditEntry.__table__), filters)
            .order_by(AuditEntry.id)
            .execution_options(yield_per=CHUNK)
        )
        count, head = 0, None
        try:
            yield writer.head()
            async with self.database.engine.connect() as connection:
                result = await connection.stream(statement)
                async for partition in result.partitions(CHUNK):
                    chunk = [cells_of(row._mapping) for row in partition]
                    head = chunk[-1][-1] if chunk else head
                    count += len(chunk)
                    yield writer.rows(chunk)
            yield writer.tail(count, head)
        except (GeneratorExit, asyncio.CancelledError):
            logger.info("export stopped after %d rows: the client went away", count)
            raise
        logger.info("export of %d rows (%s) finished", count, export_format)

    def response(self, filters: EntryFilters, export_format: ExportFormat) -> StreamingResponse:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        return StreamingResponse(
            self.stream(filters, export_format),
            media_type=MEDIA_TYPES[export_format],
            headers={
                "Content-Disposition": f'attachment; filename="audit-log-{stamp}.{export_format}"'
            },
        )
