"""``/healthz`` (alive), ``/readyz`` (can serve requests: the database) and ``/healthz/details``.

Readiness is the database only: with NATS down a service still serves requests
and its outbox keeps the events until NATS is back (DESIGN.md), so taking it
out of rotation would only stop tills for nothing. NATS, the outbox, dead
letters and each consumer's backlog are reported — in ``/readyz``'s body and
in full in ``/healthz/details`` — for operators and alerts, never as not-ready.
``/healthz/details`` also names the process that answered and what its relay
published and its consumers applied since it started: with several replicas or
workers each answers for itself, so their shares of the work can be told apart.
The app's ``state`` is read defensively: the bus, relay and consumer appear
only once the background event start-up got that far.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import func, select

from common.events.consumer import durable_name
from common.events.envelope import stream_name
from common.events.tables import EventTables

router = APIRouter(tags=["health"])

# No check may hold a probe longer than this (a load balancer's probe has its own timeout).
CHECK_TIMEOUT_SECONDS = 2.0


def _json(example: dict[str, Any]) -> dict[str, Any]:
    return {"content": {"application/json": {"example": example}}}


@router.get(
    "/healthz",
    summary="Liveness",
    responses={200: _json({"status": "ok", "service": "auth", "version": "0.1.0"})},
)
async def healthz(request: Request) -> dict[str, str]:
    return {
        "status": "ok",
        "service": request.app.state.service_name,
        "version": request.app.version,
    }


async def _database(request: Request) -> str:
    try:
        await asyncio.wait_for(request.app.state.database.ping(), timeout=CHECK_TIMEOUT_SECONDS)
    except Exception as exc:
        return f"error: {type(exc).__name__}"
    return "ok"


def _nats_connected(request: Request) -> bool:
    bus = getattr(request.app.state, "bus", None)
    return bool(bus is not None and getattr(bus, "is_connected", False))


@router.get(
    "/readyz",
    summary="Readiness: the database answers (NATS is reported, not required)",
    responses={
        200: _json({"status": "ready", "checks": {"database": "ok", "nats": "disconnected"}}),
        503: _json(
            {"status": "unavailable", "checks": {"database": "error: TimeoutError", "nats": "ok"}}
        ),
    },
)
async def readyz(request: Request) -> JSONResponse:
    database = await _database(request)
    checks = {"database": database, "nats": "ok" if _nats_connected(request) else "disconnected"}
    ready = database == "ok"
    return JSONResponse(
        {"status": "ready" if ready else "unavailable", "checks": checks},
        status_code=200 if ready else 503,
    )


def _event_tables(request: Request) -> EventTables | None:
    state = request.app.state
    for holder in (state, getattr(state, "relay", None), getattr(state, "consumer", None)):
        tables = getattr(holder, "event_tables", None) or getattr(holder, "tables", None)
        if isinstance(tables, EventTables):
            return tables
    return None


async def _events(request: Request, tables: EventTables) -> dict[str, Any]:
    outbox, dead = tables.outbox, tables.dead_letters
    unsent = select(
        func.count(),
        func.extract("epoch", func.now() - func.min(outbox.c.created_at)),
    ).where(outbox.c.sent_at.is_(None))
    async with request.app.state.database.session() as session:
        count, age = (await session.execute(unsent)).one()
        dead_letters = (await session.execute(select(func.count()).select_from(dead))).scalar_one()
    return {
        "outbox": {
            "unsent": int(count),
            "oldest_unsent_age_seconds": None if age is None else round(float(age), 3),
        },
        "dead_letters": {"count": int(dead_letters)},
    }


async def _consumer_lag(request: Request) -> list[dict[str, Any]] | None:
    """Each durable consumer's backlog from JetStream; None when NATS cannot be asked."""
    if not _nats_connected(request):
        return None
    consumer = getattr(request.app.state, "consumer", None)
    subscriptions = list(getattr(consumer, "subscriptions", None) or [])
    bus = request.app.state.bus
    lag: list[dict[str, Any]] = []
    for subscription in subscriptions:
        durable = durable_name(getattr(consumer, "service", ""), subscription.name)
        entry: dict[str, Any] = {"name": durable, "subject": subscription.subject}
        try:
            info = await bus.js.consumer_info(
                stream_name(subscription.subject), durable, timeout=CHECK_TIMEOUT_SECONDS
            )
        except Exception as exc:
            entry["error"] = type(exc).__name__
        else:
            entry |= {
                "pending": info.num_pending,
                "ack_pending": info.num_ack_pending,
                "redelivered": info.num_redelivered,
            }
        lag.append(entry)
    return lag


def _process(request: Request) -> dict[str, int | None]:
    """This worker process and its counters (None: no relay / no consumer runs in it yet)."""
    relay = getattr(request.app.state, "relay", None)
    consumer = getattr(request.app.state, "consumer", None)
    return {
        "pid": os.getpid(),
        "published": getattr(relay, "published", None),
        "applied": getattr(consumer, "applied", None),
    }


DETAILS_EXAMPLE = {
    "status": "degraded",
    "service": "inventory",
    "version": "0.1.0",
    "process": {"pid": 4242, "published": 118, "applied": 57},
    "database": "ok",
    "nats": {"connected": False},
    "outbox": {"unsent": 12, "oldest_unsent_age_seconds": 41.5},
    "dead_letters": {"count": 0},
    "consumers": None,
}


@router.get(
    "/healthz/details",
    summary="Health in detail: database, NATS, outbox backlog, dead letters, consumer lag",
    description=(
        "`status` is `ok`, `degraded` (NATS down, events waiting longer than a minute, or "
        "dead letters) or `unavailable` (no database: 503). `consumers` is null while NATS "
        "cannot be asked; each entry's `pending` is what JetStream still holds for it. "
        "`process` is the worker process that answered: its `pid`, the events its outbox "
        "relay `published` and its consumers `applied` since it started (null where none "
        "runs); each replica or worker answers for itself."
    ),
    responses={
        200: _json(DETAILS_EXAMPLE),
        503: _json({**DETAILS_EXAMPLE, "status": "unavailable", "database": "error: OSError"}),
    },
)
async def health_details(request: Request) -> JSONResponse:
    database = await _database(request)
    nats = _nats_connected(request)
    body: dict[str, Any] = {
        "service": request.app.state.service_name,
        "version": request.app.version,
        "process": _process(request),
        "database": database,
        "nats": {"connected": nats},
    }
    tables = _event_tables(request)
    if database == "ok" and tables is not None:
        try:
            body |= await asyncio.wait_for(_events(request, tables), CHECK_TIMEOUT_SECONDS)
        except Exception as exc:
            body["outbox"] = body["dead_letters"] = {"error": type(exc).__name__}
    body["consumers"] = await _consumer_lag(request)
    body = {"status": _status(body), **body}
    return JSONResponse(body, status_code=200 if database == "ok" else 503)


def _status(body: dict[str, Any]) -> str:
    if body["database"] != "ok":
        return "unavailable"
    outbox = body.get("outbox", {})
    stale = (outbox.get("oldest_unsent_age_seconds") or 0) > 60
    dead = body.get("dead_letters", {}).get("count", 0) > 0
    return "degraded" if not body["nats"]["connected"] or stale or dead else "ok"
