"""A tiny service built with common, used by common's own tests (not shipped)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Form, Query, UploadFile
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field
from sqlalchemy import Integer, String, Uuid, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from common.app import create_app
from common.bodies import body_cap
from common.config import ServiceSettings
from common.db import ServiceBase, SessionDep, new_metadata
from common.errors import NotFound
from common.events.consumer import Subscription
from common.events.envelope import Envelope
from common.events.outbox import Outbox
from common.events.tables import event_tables
from common.openapi import described
from common.pagination import Page, PageDep, apply_ordering, apply_search, make_page, paginate
from common.revocations import revocation_table
from common.roles import Role
from common.security import CurrentUser, require_roles


class Base(ServiceBase):
    __abstract__ = True
    metadata = new_metadata()


class Widget(Base):
    __tablename__ = "widgets"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    attributes: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)


class Effect(Base):
    """What the test consumer does: one row per handled event."""

    __tablename__ = "effects"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[uuid.UUID] = mapped_column(Uuid)


TABLES = event_tables(Base.metadata)
REVOKED = revocation_table(Base.metadata)
outbox = Outbox(TABLES, source="widgets")


class WidgetIn(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    size: int = Field(ge=0)
    attributes: dict[str, Any] = Field(default_factory=dict)


class SignIn(BaseModel):
    email: str
    password: str


class WidgetOut(BaseModel):
    id: uuid.UUID
    name: str
    size: int


router = APIRouter(prefix="/api/widgets")


@router.get("", response_model=Page[WidgetOut])
async def list_widgets(
    session: SessionDep,
    page: PageDep,
    ordering: Annotated[str | None, Query()] = None,
    search: Annotated[str | None, Query()] = None,
) -> Page[WidgetOut]:
    statement = apply_search(select(Widget), search, [Widget.name])
    statement = apply_ordering(
        statement, ordering, {"name": Widget.name, "size": Widget.size}, [Widget.id]
    )
    count, rows = await paginate(session, statement, page)
    return make_page(
        count, [WidgetOut.model_validate(row, from_attributes=True) for row in rows], page
    )


@router.post("", status_code=201, dependencies=[Depends(require_roles(Role.system_admin))])
async def create_widget(body: WidgetIn, session: SessionDep, user: CurrentUser) -> WidgetOut:
    widget = Widget(name=body.name, size=body.size, attributes=body.attributes)
    session.add(widget)
    await session.flush()
    await outbox.add(
        session,
        "widgets.widget.created",
        {"id": str(widget.id), "name": widget.name},
        actor=user.user_id,
    )
    if body.name == "explode":
        raise RuntimeError("boom after the outbox write")
    return WidgetOut.model_validate(widget, from_attributes=True)


@router.post("/unflushed", status_code=201)
async def create_widget_at_commit(body: dict[str, str], session: SessionDep) -> dict[str, str]:
    """Leaves the INSERT to the commit, where it fails (the name is longer than the column)."""
    session.add(Widget(name=body["name"], size=1))
    return {"name": body["name"]}


@router.get("/me")
async def whoami(user: CurrentUser) -> dict[str, str]:
    return {"user_id": user.user_id, "role": user.role.value}


@router.get("/export")
async def export() -> StreamingResponse:
    """Fails after its first chunk went out, as a broken export would."""

    async def rows() -> AsyncIterator[bytes]:
        yield b"id,name\n"
        raise RuntimeError("the export broke halfway")

    return StreamingResponse(rows(), media_type="text/csv")


@router.post("/sign-in")
async def sign_in(body: SignIn, session: SessionDep) -> dict[str, int]:
    """Anonymous, like a login: the email reaches a query."""
    found = await session.execute(select(Widget.id).where(Widget.name == body.email))
    return {"matches": len(found.all())}


@router.post("/by-form")
async def find_by_form(name: Annotated[str, Form()], session: SessionDep) -> dict[str, int]:
    found = await session.execute(select(Widget.id).where(Widget.name == name))
    return {"matches": len(found.all())}


@router.get("/by-name/{name}")
async def find_by_name(name: str, session: SessionDep) -> dict[str, int]:
    found = await session.execute(select(Widget.id).where(Widget.name == name))
    return {"matches": len(found.all())}


@router.post("/bulk", openapi_extra=body_cap(64 * 1024))
async def bulk(body: list[WidgetIn]) -> dict[str, int]:
    """Declares its own, larger body cap."""
    return {"received": len(body)}


@router.post("/{widget_id}/photo")
async def add_photo(widget_id: uuid.UUID, photo: UploadFile) -> dict[str, int]:
    """Takes a file: MAX_UPLOAD_BYTES applies."""
    return {"bytes": len(await photo.read())}


@router.get("/{widget_id}", responses=described(r404="No such widget"))
async def get_widget(widget_id: uuid.UUID, session: SessionDep) -> WidgetOut:
    widget = await session.get(Widget, widget_id)
    if widget is None:
        raise NotFound("No such widget")
    return WidgetOut.model_validate(widget, from_attributes=True)


async def record_effect(session: AsyncSession, envelope: Envelope) -> None:
    if envelope.data.get("fail"):
        raise ValueError("handler refuses this event")
    session.add(Effect(event_id=envelope.id))


SUBSCRIPTIONS = [
    Subscription(name="record-effect", subject="widgets.effect.requested", handler=record_effect)
]


def make_settings(
    database_url: str, nats_url: str, public_key_pem: str, **overrides: Any
) -> ServiceSettings:
    return ServiceSettings(
        service_name="widgets",
        database_url=database_url,
        nats_url=nats_url,
        jwt_public_keys=public_key_pem,
        event_max_deliver=3,
        **overrides,
    )


def make_app(
    settings: ServiceSettings, *, with_consumer: bool = False, with_revocations: bool = False
) -> FastAPI:
    return create_app(
        settings=settings,
        title="Widgets",
        version="0.0.1",
        description="test service",
        routers=[router],
        event_tables=TABLES,
        subscriptions=SUBSCRIPTIONS if with_consumer else (),
        revocations=REVOKED if with_revocations else None,
    )
