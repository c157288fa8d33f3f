"""A service built with common.create_app whose one route fails on purpose (tests only).

``GET /api/users/fault`` raises inside the route, as a bug would; ``POST
/api/users`` stores a note. It lives under the gateway's ``auth`` prefixes so the
rendered Caddyfile routes to it unchanged. The ``notes`` table is created by the
test (``test_keepalive.NOTES_DDL``). Nothing here ships: it exists to prove that a 500 leaves the proxy's
connection usable for the next client.
"""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import text

from common.app import create_app
from common.config import ServiceSettings
from common.db import SessionDep

router = APIRouter(prefix="/api/users")


class Note(BaseModel):
    body: str


@router.get("/fault")
async def fault() -> None:
    raise RuntimeError("fault injected by the test")


@router.post("", status_code=201)
async def add_note(note: Note, session: SessionDep) -> dict[str, int]:
    inserted = await session.execute(
        text("INSERT INTO notes (body) VALUES (:body) RETURNING id"), {"body": note.body}
    )
    return {"id": int(inserted.scalar_one())}


app = create_app(
    settings=ServiceSettings(service_name="faulty"),  # type: ignore[call-arg]
    title="Faulty",
    version="0.0.1",
    description="test service that fails on purpose",
    routers=[router],
)
