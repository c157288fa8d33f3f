"""``Idempotency-Key`` (Stripe's semantics, DESIGN.md): a write stores the key with a hash
of its body; the same key with the same body answers what the first request made, with
another body it is refused. This module holds what every service computes the same way:
the body's hash, and the key a service passes on when its write makes another service
write (so that service's own idempotency answers the retry with what it made before)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable
from typing import Protocol, TypeVar

from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import Conflict, Unprocessable


def request_hash(body: BaseModel) -> str:
    """The body's SHA-256 over its canonical JSON (keys sorted): equal bodies, equal hashes."""
    canonical = json.dumps(body.model_dump(mode="json"), sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def derived_key(purpose: str, key: str) -> str:
    """The key to send another service for the write ``key`` asked of us: the same client
    key always derives the same key (a retry reaches the same record there), ``purpose``
    keeps one client key from colliding with another use of it, and the hash keeps it
    short (at most 120 characters) whatever the client sent."""
    return f"{purpose}:{hashlib.sha256(key.encode()).hexdigest()}"


class Keyed(Protocol):
    """A row a keyed write made: the hash of the body that made it."""

    request_hash: str | None


K = TypeVar("K", bound=Keyed)


async def hold_key(session: AsyncSession, namespace: str, key: str) -> bool:
    """Hold ``key`` (within ``namespace``, e.g. the table) until the transaction ends; False
    when another request holds it."""
    held = await session.scalar(
        text("SELECT pg_try_advisory_xact_lock(hashtextextended(:key, 0))"),
        {"key": f"{namespace}:{key}"},
    )
    return bool(held)


async def earlier_write(
    session: AsyncSession,
    namespace: str,
    key: str,
    digest: str,
    find: Callable[[str], Awaitable[K | None]],
    *,
    what: str,
    named: Callable[[K], str],
    check: Callable[[K], None] | None = None,
) -> K | None:
    """What ``key`` made before with this body (``digest``), or None with the key held by
    this request until it commits, so a concurrent retry cannot make a second one: 409
    while another request holds the key, 422 when the key made ``named(earlier)`` with
    another body. ``check`` refuses an earlier write the caller may not see (its store)."""
    if not await hold_key(session, namespace, key):
        raise Conflict(
            f"Idempotency-Key {key!r} is in use by a request still in flight; retry it "
            f"to get its {what}."
        )
    earlier = await find(key)
    if earlier is None:
        return None
    if check is not None:
        check(earlier)
    if earlier.request_hash != digest:
        raise Unprocessable(
            f"Idempotency-Key {key!r} was used for {named(earlier)} with a different body; "
            f"use a new key for a new {what}."
        )
    return earlier
