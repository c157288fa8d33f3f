"""Streaming an export: PostgreSQL writes the cells, the service passes the bytes on in
blocks of about 64 kB and closes with the trailer (row count and chain head), so it holds
one block at a time however many rows there are.

Rows come in id order, which within a month is chain order (ids are drawn while the month's
chain is locked), so consecutive rows of a month link up. When the client goes away the
response is cancelled: the query's connection is closed and the query stops (logged).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime

from fastapi.responses import StreamingResponse

from audit.entries.repository import EntryFilters
from audit.exports.formats import MEDIA_TYPES, ExportFormat, Writer
from audit.exports.repository import Copied, csv_copy, json_texts
from common.db import Database

logger = logging.getLogger(__name__)
BLOCK = 64 * 1024


class ExportService:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def stream(
        self, filters: EntryFilters, export_format: ExportFormat
    ) -> AsyncIterator[bytes]:
        writer = Writer(export_format)
        progress = _Progress()
        try:
            if export_format is ExportFormat.csv:
                async for block in self._csv(filters, progress):
                    progress.sent += len(block)
                    yield block
            else:
                yield writer.head()
                async for texts in json_texts(self.database, filters):
                    progress.rows += len(texts)
                    progress.head = json.loads(texts[-1])["hash"] if texts else progress.head
                    block = writer.rows(texts)
                    progress.sent += len(block)
                    yield block
            yield writer.tail(progress.rows, progress.head)
        except (GeneratorExit, asyncio.CancelledError):
            logger.info("export stopped after %d bytes: the client went away", progress.sent)
            raise
        logger.info("export of %d rows (%s) finished", progress.rows, export_format)

    async def _csv(self, filters: EntryFilters, progress: _Progress) -> AsyncIterator[bytes]:
        """COPY's blocks gathered to ``BLOCK``; the count from COPY itself, the head from the
        end of the output (every line ends with its row's hash)."""
        copied = Copied()
        pending = bytearray()
        tail = b""
        async for block in csv_copy(self.database, filters, copied):
            pending += block
            if len(pending) >= BLOCK:
                tail = bytes(pending[-65:])
                yield bytes(pending)
                pending.clear()
        if pending:
            tail = (tail + bytes(pending))[-65:]
        progress.rows = copied.rows
        progress.head = tail[-65:-1].decode() if copied.rows else None
        yield bytes(pending)

    def response(self, filters: EntryFilters, export_format: ExportFormat) -> StreamingResponse:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        return StreamingResponse(
            self.stream(filters, export_format),
            media_type=MEDIA_TYPES[export_format],
            headers={
                "Content-Disposition": f'attachment; filename="audit-log-{stamp}.{export_format}"'
            },
        )


class _Progress:
    """Rows written so far and the last row's hash (the chain head of the export)."""

    def __init__(self) -> None:
        self.rows = 0
        self.sent = 0  # bytes handed to the response
        self.head: str | None = None
