"""Small helpers shared by the catalog tests: create as admin, read errors, check the outbox."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import select

from catalog.models import EVENT_TABLES
from common.db import Database


async def create(
    client: httpx.AsyncClient, headers: dict[str, str], path: str, body: dict[str, Any]
) -> dict[str, Any]:
    """POST ``body`` to ``path``; it must answer 201. Returns the created resource."""
    response = await client.post(path, json=body, headers=headers)
    assert response.status_code == 201, (
        f"POST {path} {body}: {response.status_code} {response.text}"
    )
    created: dict[str, Any] = response.json()
    return created


def error_fields(response: httpx.Response) -> list[str]:
    """The top-level fields a validation-shaped error names (``body.x.0`` → ``x``)."""
    detail = response.json()["detail"]
    assert isinstance(detail, list), f"expected field errors, got {detail!r}"
    fields: list[str] = []
    for item in detail:
        top = str(item["field"]).removeprefix("body.").removeprefix("query.").split(".")[0]
        if top not in fields:  # a union reports one error per member, all on the same field
            fields.append(top)
    return fields


def names(page: dict[str, Any], key: str = "slug") -> list[Any]:
    return [row[key] for row in page["results"]]


async def outbox_subjects(database: Database) -> list[str]:
    """Subjects of every event queued so far, oldest first (the outbox is what gets published)."""
    outbox = EVENT_TABLES.outbox
    async with database.session() as session:
        rows = await session.execute(select(outbox.c.subject).order_by(outbox.c.seq))
        return [str(subject) for subject in rows.scalars()]
