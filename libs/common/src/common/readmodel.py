"""Read-models fed by other services' events: "the newer event wins", written once.

A read-model row carries the time of the event it was last written from (``synced_at``
by convention). Events can arrive out of order (a redelivery, two subscriptions on one
entity), so an upsert may only overwrite a row with data at least as new as what it
holds; an older event is dropped quietly (it is not an error: the newer one already won).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession


async def upsert_newer(
    session: AsyncSession,
    model: Any,
    values: Mapping[str, Any],
    *,
    keys: Sequence[str] = ("id",),
    version: str = "synced_at",
    overrides: Mapping[str, Any] | None = None,
    keep: Iterable[str] = (),
) -> bool:
    """Insert ``values`` or update the row with them when they are not older than it.

    ``keys`` are the conflict columns, ``version`` the column compared (it must be in
    ``values``). ``overrides`` replaces the update expression of some columns (e.g.
    ``{"sellable": stmt_excluded_sellable & Model.sold_in_sale_id.is_(None)}`` — build it
    with ``excluded(model)``); ``keep`` lists columns written on insert only. Returns True
    when a row was inserted or updated, False when a newer row was already there.
    """
    if version not in values:
        raise ValueError(f"upsert_newer needs the version column {version!r} in the values")
    statement = insert(model).values(**values)
    kept = set(keys) | set(keep)
    changes: dict[str, Any] = {
        column: statement.excluded[column] for column in values if column not in kept
    }
    changes.update(overrides or {})
    table = model.__table__
    upsert = statement.on_conflict_do_update(
        index_elements=[table.c[key] for key in keys],
        set_=changes,
        where=table.c[version] <= statement.excluded[version],
    ).returning(table.c[keys[0]])
    return (await session.execute(upsert)).first() is not None


def excluded(model: Any) -> Any:
    """The ``EXCLUDED`` row of an upsert on ``model``, for ``overrides`` expressions."""
    return insert(model).excluded
