"""The pieces every service's permission-matrix test shares.

A matrix is a list of ``Row``s, one per (method, route), with the expected
status for each kind of caller in ``CALLERS`` order; ``served_routes`` lists
what the app really serves so a test can fail when a route has no row.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any, NamedTuple

from fastapi import FastAPI
from sqlalchemy import MetaData, select

from common.db import Database
from common.docs_ui import asset_urls
from common.roles import Role

# The callers, in the order of the matrix's status columns.
CALLERS: tuple[Role | None, ...] = (
    None,
    Role.customer,
    Role.consignee,
    Role.advisor,
    Role.branch_head,
    Role.system_admin,
)


class Row(NamedTuple):
    method: str
    path: str
    anonymous: int
    customer: int
    consignee: int
    advisor: int
    branch_head: int
    system_admin: int

    def expected(self, caller: Role | None) -> int:
        return int(self[2 + CALLERS.index(caller)])


def caller_id(caller: Role | None) -> str:
    return caller.value if caller else "anonymous"


def row_id(row: Row) -> str:
    return f"{row.method} {row.path}"


def served_routes(app: FastAPI) -> Iterator[tuple[str, str]]:
    """(method, path) of every route the app serves, through included routers."""
    try:
        from fastapi.routing import iter_route_contexts  # type: ignore[attr-defined,unused-ignore]
    except ImportError:  # FastAPI before lazily included routers: app.routes is already flat
        routes: Any = app.routes
    else:
        routes = iter_route_contexts(app.routes)
    for route in routes:
        methods = getattr(route, "methods", None)
        if not methods:  # a mount or websocket would have no row to match: report it as "*"
            yield "*", str(getattr(route, "path", route))
            continue
        for method in sorted(set(methods) - {"HEAD"}):
            yield method, route.path


def matrix_gaps(
    app: FastAPI, matrix: list[Row]
) -> tuple[list[tuple[str, str]], list[tuple[str, str]], bool]:
    """(served routes without a row, rows without a route, whether a route has two rows)."""
    served = set(served_routes(app))
    rows = [(row.method, row.path) for row in matrix]
    return sorted(served - set(rows)), sorted(set(rows) - served), len(rows) != len(set(rows))


async def nats_connected(app: FastAPI, timeout: float = 10.0) -> None:
    """Wait until the app's background NATS connection is up (its consumers need it)."""
    deadline = time.monotonic() + timeout
    while not (getattr(app.state, "bus", None) and app.state.bus.is_connected):
        assert time.monotonic() < deadline, "the app never connected to NATS"
        await asyncio.sleep(0.02)


def infrastructure_rows(service: str) -> list[Row]:
    """The rows every service has: its docs and health endpoints, public to everyone."""
    public = (200, 200, 200, 200, 200, 200)
    paths = (
        f"/docs/{service}/openapi.json",
        f"/docs/{service}",
        *asset_urls(f"/docs/{service}"),
        "/docs/oauth2-redirect",
        "/healthz",
        "/healthz/details",
        "/readyz",
    )
    return [Row("GET", path, *public) for path in paths]


async def snapshot(database: Database, metadata: MetaData) -> dict[str, list[str]]:
    """Every row of every table of ``metadata`` (outbox rows by id, not their sent state, which
    the relay changes on its own): compare two to prove a refused request wrote nothing."""
    tables: dict[str, list[str]] = {}
    async with database.session() as session:
        for table in metadata.sorted_tables:
            rows = (await session.execute(select(table))).mappings().all()
            if table.name == "event_outbox":
                tables[table.name] = sorted(str(row["id"]) for row in rows)
            else:
                tables[table.name] = sorted(repr(dict(row)) for row in rows)
    return tables
