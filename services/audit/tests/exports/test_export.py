"""Exports: every format ends with the row count and chain head, and an accountant can check
a CSV with nothing but its cells, hashlib and json; a branch head exports their own stores;
the rows stream from a server-side cursor that closes when the client goes away."""

from __future__ import annotations

import asyncio
import csv
import hashlib
import io
import itertools
import json
import logging
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from typing import cast

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from sqlalchemy import text

from common.db import Database
from common.roles import Role
from common.testing.engines import free_port
from common.testing.events import eventually
from tests.conftest import STORE_A, STORE_B, record, sale_event

pytestmark = pytest.mark.usefixtures("stores")
# The chained cells in the documented order (integrity/chain.py), written out here again
# as an accountant's script would have them.
CHAINED = [
    "month",
    "position",
    "event_id",
    "occurred_at",
    "recorded_at",
    "stream",
    "stream_sequence",
    "source",
    "action",
    "actor",
    "entity_type",
    "entity_id",
    "store_id",
    "request_id",
    "trace_id",
    "schema_version",
    "parse_error",
    "payload",
    "raw",
]


def check_offline(rows: list[dict[str, str | None]], count: int, head: str | None) -> None:
    """What an accountant checks: each row's hash, the links within a month, the trailer."""
    for row in rows:
        line = json.dumps(
            [row["prev_hash"], *(row[name] for name in CHAINED)],
            ensure_ascii=False,
            separators=(",", ":"),
        )
        assert hashlib.sha256(line.encode()).hexdigest() == row["hash"], row["id"]
    for earlier, later in itertools.pairwise(rows):
        if (
            later["month"] == earlier["month"]
            and int(later["position"] or 0) == int(earlier["position"] or 0) + 1
        ):
            assert later["prev_hash"] == earlier["hash"]
    assert count == len(rows)
    assert head == (rows[-1]["hash"] if rows else None)


def parse_csv(body: str) -> tuple[list[dict[str, str | None]], int, str | None]:
    *lines, trailer = body.rstrip("\n").split("\n")
    assert trailer.startswith("# rows=")
    fields = dict(part.split("=", 1) for part in trailer[2:].split(" "))
    reader = csv.DictReader(io.StringIO("\n".join(lines) + "\n"))
    rows = [{key: (value if value != "" else None) for key, value in row.items()} for row in reader]
    head = fields["chain_head"]
    return rows, int(fields["rows"]), None if head == "-" else head


async def test_a_csv_export_verifies_offline_and_ends_with_count_and_head(
    client: httpx.AsyncClient, database: Database, admin: dict[str, str]
) -> None:
    written = await record(
        database, [sale_event(note='naïve, "quoted"\nnew line') for _ in range(4)]
    )
    answer = await client.get("/api/logs/export/", headers=admin)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/csv")
    assert "attachment" in answer.headers["content-disposition"]
    rows, count, head = parse_csv(answer.text)
    check_offline(rows, count, head)
    assert [int(row["id"] or 0) for row in rows] == [row.id for row in written]
    assert head == written[-1].hash


async def test_json_and_ndjson_carry_the_same_rows_and_trailer(
    client: httpx.AsyncClient, database: Database, admin: dict[str, str]
) -> None:
    written = await record(database, [sale_event(), sale_event(STORE_B)])
    as_json = (
        await client.get("/api/logs/export/", params={"format": "json"}, headers=admin)
    ).json()
    check_offline(as_json["results"], as_json["count"], as_json["chain_head"])
    answer = await client.get("/api/logs/export/", params={"format": "ndjson"}, headers=admin)
    assert answer.headers["content-type"].startswith("application/x-ndjson")
    *lines, trailer = [json.loads(line) for line in answer.text.splitlines()]
    assert lines == as_json["results"]
    assert trailer == {"trailer": {"rows": 2, "chain_head": written[-1].hash}}


async def test_a_filtered_export_still_verifies_row_by_row(
    client: httpx.AsyncClient, database: Database, auth_headers: Callable[..., dict[str, str]]
) -> None:
    written = await record(
        database, [sale_event(STORE_A), sale_event(STORE_B), sale_event(STORE_A)]
    )
    head = auth_headers(Role.branch_head, user_id="head-a", stores=[str(STORE_A)])
    answer = await client.get("/api/logs/export/", headers=head)
    rows, count, chain_head = parse_csv(answer.text)
    assert [row["store_id"] for row in rows] == [str(STORE_A)] * 2
    check_offline(rows, count, chain_head)
    assert chain_head == written[2].hash
    empty = await client.get(
        "/api/logs/export/", params={"format": "json", "actor": "nobody"}, headers=head
    )
    assert empty.json() == {"results": [], "count": 0, "chain_head": None}


async def test_an_unknown_format_is_refused_by_name(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    answer = await client.get("/api/logs/export/", params={"format": "xlsx"}, headers=admin)
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["query", "format"]


@pytest.fixture
async def served(app: FastAPI, client: httpx.AsyncClient) -> AsyncIterator[str]:
    """The running app behind a real uvicorn socket (the ASGI test transport buffers a whole
    response, so only a real connection shows a client going away mid-stream)."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off", log_level="warning")
    )
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn offers no event to wait on
        await asyncio.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, timeout=10)


async def open_cursors(database: Database) -> int:
    """Sessions of this database running the export's COPY (waiting to write to the client)."""
    async with database.session() as session:
        return int(
            await session.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND state <> 'idle' AND query ILIKE 'COPY (SELECT%'"
                )
            )
            or 0
        )


async def test_a_client_going_away_stops_the_export_query(
    served: str, database: Database, admin: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="audit.exports.service")
    # 3,000 rows of 10 kB, three cursor fetches: far more than the sockets buffer, so the
    # export must wait for the client with its cursor open.
    for _ in range(3):
        await record(database, [sale_event(note="x" * 10_000) for _ in range(1000)])
    async with (
        httpx.AsyncClient(base_url=served, timeout=30) as http,
        http.stream("GET", "/api/logs/export/", headers=admin) as response,
    ):
        assert response.status_code == 200
        # Read a little, then stop reading, keeping the iterator (dropping it would close
        # the connection at once).
        chunks = cast(AsyncGenerator[bytes], response.aiter_bytes())
        assert (await anext(chunks)).startswith(b"id,month,position")

        async def waiting_on_the_client() -> bool:
            return await open_cursors(database) == 1

        await eventually(waiting_on_the_client, timeout=60)
        await chunks.aclose()
    # the connection is closed: the cursor and its transaction go with it

    async def stopped() -> bool:
        return await open_cursors(database) == 0

    await eventually(stopped, timeout=60)
    [stop] = [line for line in caplog.records if "stopped after" in line.getMessage()]
    assert isinstance(stop.args, tuple) and int(str(stop.args[0])) < 30_000_000  # not all sent


async def test_every_filter_reaches_the_copy(
    client: httpx.AsyncClient, database: Database, admin: dict[str, str]
) -> None:
    """The export's query is bound client-side (COPY takes no parameters): quotes, percent
    signs, backslashes and dates must arrive as values, never as SQL."""
    tricky = "it's 100% \\ sure; DROP TABLE audit_entries; --"
    written = await record(database, [sale_event(note=tricky), sale_event(STORE_B)])
    month = f"{written[0].recorded_at:%Y-%m}"
    query = {
        "search": "100% \\",
        "store": str(STORE_A),
        "action": "pos.sale.completed",
        "date_from": "2000-01-01",
        "date_to": "2999-12-31T23:59:59Z",
    }
    for export_format in ("csv", "json"):
        answer = await client.get(
            "/api/logs/export/", params={**query, "format": export_format}, headers=admin
        )
        assert answer.status_code == 200, answer.text
        rows = parse_csv(answer.text)[0] if export_format == "csv" else answer.json()["results"]
        assert [row["id"] for row in rows] == [str(written[0].id)]
        assert rows[0]["month"] == month
        assert json.loads(rows[0]["payload"] or "{}")["note"] == tricky
