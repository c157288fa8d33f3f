"""The public routes' throttles (``booking``, ``contact``, ``schedule_call``, ``response``), with
the ``limits`` library, as auth throttles its logins.

Two keys per scope: the **client address** and the **sender** (email and phone, each on its
own). The address is uvicorn's ``request.client.host``: behind the gateway uvicorn takes it
from ``X-Forwarded-For`` only when the connection comes from ``FORWARDED_ALLOW_IPS`` (the
gateway), so a client writing the header itself changes nothing. The address is counted
before anything else is checked (it guards the captcha too); the sender only once the request
passed its captcha, so nobody can spend someone else's budget by typing their email.

Storage is memory by default (per process); point ``RATE_LIMIT_STORAGE_URI`` at Redis or
Memcached when running several replicas or workers.
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass
from enum import StrEnum

from fastapi import Request
from limits import RateLimitItem, parse
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string

from common.errors import TooManyRequests


class Scope(StrEnum):
    booking = "booking"
    contact = "contact"
    schedule_call = "schedule_call"
    response = "response"


@dataclass(frozen=True)
class Rates:
    """A scope's two rates (``limits`` strings such as ``10/hour``)."""

    per_address: str
    per_sender: str | None = None


class Throttle:
    """One limiter for the service (built with the app, kept on ``app.state``)."""

    def __init__(self, storage_uri: str, rates: dict[Scope, Rates]) -> None:
        uri = storage_uri if storage_uri.startswith("async+") else f"async+{storage_uri}"
        self.limiter = MovingWindowRateLimiter(storage_from_string(uri))
        self.rates = {scope: _parsed(rate) for scope, rate in rates.items()}

    async def address(self, scope: Scope, address: str) -> None:
        """Count one attempt from ``address``; 429 with ``Retry-After`` once it is spent."""
        per_address, _ = self.rates[scope]
        await self._hit(scope, per_address, "address", address)

    async def sender(self, scope: Scope, *, email: str | None, phone: str | None) -> None:
        """Count one submission for the email and for the phone (each its own budget)."""
        _, per_sender = self.rates[scope]
        if per_sender is None:
            return
        keys = [("email", email.strip().lower()) if email else None]
        keys.append(("phone", phone_key(phone)) if phone and phone_key(phone) else None)
        for key in keys:
            if key is not None:
                await self._hit(scope, per_sender, *key)

    async def _hit(self, scope: Scope, item: RateLimitItem, kind: str, key: str) -> None:
        if await self.limiter.hit(item, scope.value, kind, key):
            return
        stats = await self.limiter.get_window_stats(item, scope.value, kind, key)
        retry_after = max(1, math.ceil(stats.reset_time - time.time()))
        what = {
            "address": "from this address",
            "email": "for this email",
            "phone": "for this phone",
        }
        raise TooManyRequests(
            f"Too many {scope.value.replace('_', ' ')} requests {what[kind]}. "
            f"Try again in {retry_after} seconds.",
            retry_after=retry_after,
        )

    async def reset(self) -> None:
        await self.limiter.storage.reset()


def _parsed(rates: Rates) -> tuple[RateLimitItem, RateLimitItem | None]:
    return parse(rates.per_address), parse(rates.per_sender) if rates.per_sender else None


def phone_key(phone: str) -> str:
    """The digits of a phone number (``+1 (212) 555-0100`` = ``12125550100``)."""
    return re.sub(r"\D", "", phone)


def client_address(request: Request) -> str:
    """The client's address as uvicorn determined it (never a header read here)."""
    return request.client.host if request.client else "unknown"
