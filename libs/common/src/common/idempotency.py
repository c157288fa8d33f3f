"""``Idempotency-Key`` (Stripe's semantics, DESIGN.md): a write stores the key with a hash
of its body; the same key with the same body answers what the first request made, with
another body it is refused. This module holds what every service computes the same way:
the body's hash, and the key a service passes on when its write makes another service
write (so that service's own idempotency answers the retry with what it made before)."""

from __future__ import annotations

import hashlib
import json

from pydantic import BaseModel


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
