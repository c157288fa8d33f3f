"""The export's queries: every cell as its chained text, computed by PostgreSQL.

CSV is PostgreSQL's own ``COPY (SELECT ...) TO STDOUT WITH (FORMAT csv, HEADER)``, streamed
as it comes; JSON rows are ``json_build_object(...)`` texts read through a server-side
cursor. Either way the service only passes bytes along, and each cell is the very text
its hash was computed from (``integrity/chain.py``): times as ``…ffffffZ`` in UTC,
numbers and ids as text, the payload its stored JSON text. Both run on a connection of
their own, opened when the response starts and closed when it ends or the client leaves.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, Text, cast, func, literal_column, select

from audit.entries.models import AuditEntry
from audit.entries.repository import EntryFilters, filtered
from common.db import Database

WIRE_TIME = 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'
FETCH = 1000


def _utc(column: Any, form: str) -> ColumnElement[Any]:
    return func.to_char(column.op("AT TIME ZONE")(literal_column("'UTC'")), form)


def _text(column: Any) -> ColumnElement[Any]:
    return cast(column, Text)


def cells() -> list[tuple[str, ColumnElement[Any]]]:
    """(name, text expression) of every export column, in the export's order."""
    entry = AuditEntry.__table__.c
    return [
        ("id", _text(entry.id)),
        ("month", _utc(entry.recorded_at, "YYYY-MM")),
        ("position", _text(entry.position)),
        ("event_id", _text(entry.event_id)),
        ("occurred_at", _utc(entry.occurred_at, WIRE_TIME)),
        ("recorded_at", _utc(entry.recorded_at, WIRE_TIME)),
        ("stream", entry.stream),
        ("stream_sequence", _text(entry.stream_sequence)),
        ("source", entry.source),
        ("action", entry.action),
        ("actor", entry.actor),
        ("entity_type", entry.entity_type),
        ("entity_id", entry.entity_id),
        ("store_id", _text(entry.store_id)),
        ("request_id", entry.request_id),
        ("trace_id", entry.trace_id),
        ("schema_version", _text(entry.schema_version)),
        ("parse_error", entry.parse_error),
        ("payload", entry.payload),
        ("raw", entry.raw),
        ("prev_hash", entry.prev_hash),
        ("hash", entry.hash),
    ]


def _in_chain_order(statement: Select[Any], filters: EntryFilters) -> Select[Any]:
    return filtered(statement.select_from(AuditEntry.__table__), filters).order_by(
        AuditEntry.__table__.c.id
    )


def _bound(database: Database, statement: Select[Any]) -> tuple[str, dict[str, Any]]:
    """SQL text and parameters for psycopg (COPY takes no server-side parameters: psycopg
    binds them client-side, quoting each value)."""
    compiled = statement.compile(
        dialect=database.engine.dialect, compile_kwargs={"render_postcompile": True}
    )
    return str(compiled), dict(compiled.params)


@dataclass
class Copied:
    rows: int = 0


async def csv_copy(
    database: Database, filters: EntryFilters, copied: Copied
) -> AsyncIterator[bytes]:
    """The CSV (header line first) as PostgreSQL writes it, in blocks as they arrive; the
    number of rows lands in ``copied`` once the copy is complete."""
    query, params = _bound(
        database,
        _in_chain_order(select(*(expression.label(name) for name, expression in cells())), filters),
    )
    async with database.engine.connect() as connection:
        raw = await connection.get_raw_connection()
        driver: Any = raw.driver_connection
        async with driver.cursor() as cursor:
            statement = f"COPY ({query}) TO STDOUT WITH (FORMAT csv, HEADER)"
            async with cursor.copy(statement, params) as copy:
                async for block in copy:
                    yield bytes(block)
            copied.rows = max(cursor.rowcount, 0)


async def json_texts(database: Database, filters: EntryFilters) -> AsyncIterator[list[str]]:
    """Each row as a JSON object's text, ``FETCH`` rows at a time (a server-side cursor)."""
    pairs: list[Any] = []
    for name, expression in cells():
        pairs.extend([literal_column(f"'{name}'"), expression])
    statement = _in_chain_order(
        select(_text(func.json_build_object(*pairs))), filters
    ).execution_options(yield_per=FETCH)
    async with database.engine.connect() as connection:
        result = await connection.stream(statement)
        async for partition in result.partitions(FETCH):
            yield [row[0] for row in partition]
