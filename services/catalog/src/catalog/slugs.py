"""Readable, unique slugs made from names (python-slugify): the one slug query every
repository shares. Slugs are lookup keys and never change once given."""

from __future__ import annotations

from typing import Any

from slugify import slugify
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession


async def unique_slug(
    session: AsyncSession, model: Any, name: str, *, max_length: int = 120
) -> str:
    """``"Mobile Phones"`` → ``mobile-phones``, or ``mobile-phones-2`` when taken."""
    # Transliteration can make a slug longer than its name (中 → zhong): never past the column,
    # keeping room for a "-<n>" suffix.
    column_length = getattr(model.slug.type, "length", None)
    if column_length:
        max_length = min(max_length, column_length - 8)
    base = slugify(name, max_length=max_length) or "item"
    taken = set(
        (await session.execute(select(model.slug).where(model.slug.like(f"{base}%"))))
        .scalars()
        .all()
    )
    if base not in taken:
        return base
    suffix = 2
    while f"{base}-{suffix}" in taken:
        suffix += 1
    return f"{base}-{suffix}"
