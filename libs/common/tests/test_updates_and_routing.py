"""Partial updates refuse explicit nulls where a field cannot be empty; one router at two
prefixes keeps unique operation ids; PUT and PATCH serve one endpoint; the newer event wins."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi import APIRouter, FastAPI
from pydantic import Field
from sqlalchemy import Boolean, DateTime, String, Uuid, create_engine, select
from sqlalchemy.orm import Mapped, mapped_column

from common.db import Database, ServiceBase, new_metadata
from common.readmodel import excluded, upsert_newer
from common.routing import mounted_at, put_and_patch
from common.updates import Nullable, PartialUpdate, apply_changes


class ShelfUpdate(PartialUpdate):
    name: str | None = Field(default=None, min_length=1)
    note: Nullable[str] = None


class Shelf:
    def __init__(self) -> None:
        self.name = "A"
        self.note: str | None = "x"


def test_explicit_null_is_refused_where_the_field_cannot_be_empty() -> None:
    app = FastAPI()
    router = APIRouter()

    async def update(body: ShelfUpdate) -> dict[str, object]:
        shelf = Shelf()
        return {"changed": sorted(apply_changes(shelf, body)), "note": shelf.note}

    put_and_patch(router, "/shelves/{shelf_id}", update)
    app.include_router(router)
    from fastapi.testclient import TestClient

    client = TestClient(app)
    refused = client.patch("/shelves/1", json={"name": None})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "name"]
    assert "cannot be null" in refused.json()["detail"][0]["msg"]
    cleared = client.put("/shelves/1", json={"note": None})
    assert cleared.status_code == 200 and cleared.json() == {"changed": ["note"], "note": None}
    assert client.patch("/shelves/1", json={"colour": "red"}).status_code == 422
    schema = app.openapi()["components"]["schemas"]["ShelfUpdate"]["properties"]
    assert schema["name"]["type"] == "string" and "anyOf" not in schema["name"]
    assert {"type": "null"} in schema["note"]["anyOf"]
    operations = app.openapi()["paths"]["/shelves/{shelf_id}"]
    assert operations["put"]["operationId"] != operations["patch"]["operationId"]


async def test_one_router_at_two_prefixes_has_unique_operation_ids() -> None:
    router = APIRouter(tags=["orders"])

    @router.get("/{order_id}")
    async def get_order(order_id: int) -> dict[str, int]:
        return {"order_id": order_id}

    @router.get("")
    async def list_orders() -> list[int]:
        return [1]

    app = FastAPI()
    for mount in mounted_at(router, ["/api/inventory/orders", "/api/inventory/purchase-orders/"]):
        app.include_router(mount)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        assert (await client.get("/api/inventory/orders/3")).json() == {"order_id": 3}
        assert (await client.get("/api/inventory/purchase-orders/4")).json() == {"order_id": 4}
        assert (await client.get("/api/inventory/purchase-orders")).json() == [1]
    ids = [
        operation["operationId"]
        for item in app.openapi()["paths"].values()
        for operation in item.values()
    ]
    assert len(ids) == len(set(ids)) == 4
    assert "api_inventory_purchase_orders__get_order_get" in ids

    explicit = APIRouter()
    explicit.add_api_route("/x", list_orders, operation_id="x")
    with pytest.raises(ValueError, match="cannot set operation_id"):
        mounted_at(explicit, ["/a", "/b"])


class Base(ServiceBase):
    __abstract__ = True
    metadata = new_metadata()


class StoreCopy(Base):
    __tablename__ = "store_copies"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    sellable: Mapped[bool] = mapped_column(Boolean)
    ours: Mapped[str] = mapped_column(String(20), default="kept")
    synced_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


async def test_the_newer_event_wins_and_an_older_one_changes_nothing(fresh_database) -> None:  # type: ignore[no-untyped-def]
    url = fresh_database("readmodel")
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    Base.metadata.create_all(engine)
    engine.dispose()
    database = Database(url.replace("postgresql://", "postgresql+psycopg://"))
    store, now = uuid.uuid4(), datetime.now(UTC)
    try:
        async with database.session() as session:
            assert await upsert_newer(
                session,
                StoreCopy,
                {"id": store, "name": "new", "sellable": True, "ours": "set", "synced_at": now},
                keep=["ours"],
            )
            older = {
                "id": store,
                "name": "old",
                "sellable": True,
                "synced_at": now - timedelta(seconds=1),
            }
            assert not await upsert_newer(session, StoreCopy, older)
            newer = {
                "id": store,
                "name": "newer",
                "sellable": True,
                "ours": "lost",
                "synced_at": now,
            }
            assert await upsert_newer(
                session,
                StoreCopy,
                newer,
                keep=["ours"],
                overrides={"sellable": excluded(StoreCopy).sellable & (StoreCopy.name == "none")},
            )
        async with database.session() as session:
            row = (await session.execute(select(StoreCopy))).scalar_one()
        assert (row.name, row.sellable, row.ours) == ("newer", False, "set")
    finally:
        await database.dispose()
