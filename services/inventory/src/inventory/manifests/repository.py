"""Every query on manifests, their raw rows and their standardised rows."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from common.pagination import LIKE_ESCAPE, contains_pattern
from inventory.manifests.models import Manifest, ManifestRow, RawRow

MATCH_FIELDS: dict[str, Any] = {
    "match_status": None,
    "match_method": None,
    "match_score": None,
    "match_candidates": [],
    "matched_product_id": None,
    "match_decision": None,
}
AI_FIELDS: dict[str, Any] = {
    "ai_title": None,
    "ai_brand": None,
    "ai_model": None,
    "ai_specs": None,
    "ai_cleaned_at": None,
}
PRICING_FIELDS: dict[str, Any] = {
    "proposed_price": None,
    "final_price": None,
    "pricing_stage": "unpriced",
}
INSERT_CHUNK = 2000


class ManifestRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # -- the manifest ----------------------------------------------------------------------

    async def of_order(self, order_id: uuid.UUID, *, lock: bool = False) -> Manifest | None:
        statement = select(Manifest).where(Manifest.order_id == order_id)
        if lock:
            statement = statement.with_for_update().execution_options(populate_existing=True)
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def add(self, manifest: Manifest) -> Manifest:
        self.session.add(manifest)
        await self.session.flush()
        return manifest

    async def flush(self) -> None:
        await self.session.flush()

    async def delete(self, manifest: Manifest) -> None:
        await self.session.delete(manifest)
        await self.session.flush()

    # -- raw rows --------------------------------------------------------------------------

    async def add_raw_rows(self, manifest_id: uuid.UUID, rows: Sequence[list[str]]) -> None:
        values = [
            {
                "manifest_id": manifest_id,
                "row_no": number,
                "cells": cells,
                "search_text": " ".join(cells).casefold(),
            }
            for number, cells in enumerate(rows, start=1)
        ]
        for start in range(0, len(values), INSERT_CHUNK):
            await self.session.execute(insert(RawRow), values[start : start + INSERT_CHUNK])

    async def delete_raw_rows(self, manifest_id: uuid.UUID) -> None:
        await self.session.execute(delete(RawRow).where(RawRow.manifest_id == manifest_id))

    async def raw_rows(
        self, manifest_id: uuid.UUID, *, search: str | None = None, limit: int | None = None
    ) -> list[tuple[int, list[str]]]:
        statement = (
            select(RawRow.row_no, RawRow.cells)
            .where(RawRow.manifest_id == manifest_id)
            .order_by(RawRow.row_no)
        )
        if search and search.strip():
            pattern = contains_pattern(search.strip().casefold())
            statement = statement.where(RawRow.search_text.like(pattern, escape=LIKE_ESCAPE))
        if limit is not None:
            statement = statement.limit(limit)
        return [(row.row_no, list(row.cells)) for row in await self.session.execute(statement)]

    async def raw_count(self, manifest_id: uuid.UUID, search: str | None = None) -> int:
        statement = (
            select(func.count()).select_from(RawRow).where(RawRow.manifest_id == manifest_id)
        )
        if search and search.strip():
            pattern = contains_pattern(search.strip().casefold())
            statement = statement.where(RawRow.search_text.like(pattern, escape=LIKE_ESCAPE))
        return int(await self.session.scalar(statement) or 0)

    # -- standardised rows -----------------------------------------------------------------

    async def add_rows(self, rows: Sequence[dict[str, Any]]) -> None:
        for start in range(0, len(rows), INSERT_CHUNK):
            await self.session.execute(
                insert(ManifestRow), list(rows[start : start + INSERT_CHUNK])
            )

    async def delete_rows(self, order_id: uuid.UUID) -> int:
        result = await self.session.execute(
            delete(ManifestRow).where(ManifestRow.order_id == order_id)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    async def match_inputs(self, order_id: uuid.UUID) -> list[Any]:
        """What matching reads of every row (columns, not ORM objects: a 20,000-row lot)."""
        rows = await self.session.execute(
            select(
                ManifestRow.id,
                ManifestRow.upc,
                ManifestRow.vendor_sku,
                func.coalesce(ManifestRow.ai_title, ManifestRow.title).label("title"),
                func.coalesce(ManifestRow.ai_brand, ManifestRow.brand).label("brand"),
                func.coalesce(ManifestRow.ai_model, ManifestRow.model).label("model"),
                ManifestRow.match_decision,
            )
            .where(ManifestRow.order_id == order_id)
            .order_by(ManifestRow.row_no)
        )
        return list(rows.all())

    async def rows(
        self,
        order_id: uuid.UUID,
        *,
        ids: Sequence[int] | None = None,
        offset: int = 0,
        limit: int | None = None,
        search: str | None = None,
        match_status: str | None = None,
    ) -> list[ManifestRow]:
        statement = (
            select(ManifestRow).where(ManifestRow.order_id == order_id).order_by(ManifestRow.row_no)
        )
        if ids is not None:
            statement = statement.where(ManifestRow.id.in_(list(ids)))
        if search and search.strip():
            pattern = contains_pattern(search.strip().casefold())
            statement = statement.where(ManifestRow.search_text.like(pattern, escape=LIKE_ESCAPE))
        if match_status:
            statement = statement.where(ManifestRow.match_status == match_status)
        if offset:
            statement = statement.offset(offset)
        if limit is not None:
            statement = statement.limit(limit)
        return list((await self.session.execute(statement)).scalars())

    async def row_count(self, order_id: uuid.UUID, **where: Any) -> int:
        statement = (
            select(func.count()).select_from(ManifestRow).where(ManifestRow.order_id == order_id)
        )
        for column, value in where.items():
            field = getattr(ManifestRow, column.removesuffix("__not"))
            statement = statement.where(
                field != value if column.endswith("__not") else field == value
            )
        return int(await self.session.scalar(statement) or 0)

    async def counts_by(self, order_id: uuid.UUID, column: str) -> dict[str, int]:
        field = getattr(ManifestRow, column)
        rows = await self.session.execute(
            select(field, func.count()).where(ManifestRow.order_id == order_id).group_by(field)
        )
        return {str(value): int(count) for value, count in rows.all()}

    async def units(self, order_id: uuid.UUID) -> int:
        total = await self.session.scalar(
            select(func.coalesce(func.sum(ManifestRow.quantity), 0)).where(
                ManifestRow.order_id == order_id
            )
        )
        return int(total or 0)

    async def update_rows(self, order_id: uuid.UUID, values: dict[str, Any]) -> int:
        result = await self.session.execute(
            update(ManifestRow)
            .where(ManifestRow.order_id == order_id)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    async def update_each(self, changes: Sequence[dict[str, Any]]) -> None:
        """Per-row updates by primary key (``{"id": ..., field: value}``), as one executemany."""
        for start in range(0, len(changes), INSERT_CHUNK):
            await self.session.execute(
                update(ManifestRow).execution_options(synchronize_session=False),
                list(changes[start : start + INSERT_CHUNK]),
            )

    async def clear_matching(self, order_id: uuid.UUID) -> int:
        return await self.update_rows(order_id, MATCH_FIELDS)

    async def clear_ai(self, order_id: uuid.UUID) -> int:
        return await self.update_rows(order_id, AI_FIELDS)

    async def clear_pricing(self, order_id: uuid.UUID) -> int:
        return await self.update_rows(order_id, PRICING_FIELDS)
