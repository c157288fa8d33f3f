"""``/healthz`` (the process is alive) and ``/readyz`` (its database and NATS answer)."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

router = APIRouter(tags=["health"])


@router.get(
    "/healthz",
    summary="Liveness",
    responses={
        200: {
            "content": {
                "application/json": {
                    "example": {"status": "ok", "service": "auth", "version": "0.1.0"}
                }
            }
        }
    },
)
async def healthz(request: Request) -> dict[str, str]:
    return {
        "status": "ok",
        "service": request.app.state.service_name,
        "version": request.app.version,
    }


@router.get(
    "/readyz",
    summary="Readiness: database and NATS reachable",
    responses={
        200: {
            "content": {
                "application/json": {
                    "example": {"status": "ready", "checks": {"database": "ok", "nats": "ok"}}
                }
            }
        },
        503: {
            "content": {
                "application/json": {
                    "example": {
                        "status": "unavailable",
                        "checks": {"database": "ok", "nats": "disconnected"},
                    }
                }
            }
        },
    },
)
async def readyz(request: Request) -> JSONResponse:
    checks: dict[str, Any] = {}
    try:
        await asyncio.wait_for(request.app.state.database.ping(), timeout=2.0)
        checks["database"] = "ok"
    except Exception as exc:
        checks["database"] = f"error: {type(exc).__name__}"
    bus = getattr(request.app.state, "bus", None)
    checks["nats"] = "ok" if bus is not None and bus.is_connected else "disconnected"
    ready = all(value == "ok" for value in checks.values())
    return JSONResponse(
        {"status": "ready" if ready else "unavailable", "checks": checks},
        status_code=200 if ready else 503,
    )
