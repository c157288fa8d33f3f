"""The customer's manage link: a signed token naming one booking, valid for
``MANAGE_TOKEN_DAYS`` after it was issued. With it the customer reads the booking and may
cancel it up to ``CUSTOMER_CANCEL_CUTOFF_HOURS`` before the slot, without an account.

The token is ``itsdangerous`` (HMAC-SHA512 over the booking id and the expiry, salted with
this token's purpose, so no other signed value of ours passes as one); it is not a JWT, so
no service that verifies auth's tokens could ever take it for an access token. It travels in
the ``X-Manage-Token`` header (never in a URL path the gateway logs).
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime, timedelta

from itsdangerous import BadSignature, URLSafeSerializer

SALT = "shopfloor.bookings.manage-link"


class ManageLinkRefused(Exception):
    """The token is not one we issued, or it expired; the message says which."""


class ManageTokens:
    def __init__(self, secret: str, *, lifetime: timedelta) -> None:
        self.serializer = URLSafeSerializer(
            secret, salt=SALT, signer_kwargs={"digest_method": hashlib.sha512}
        )
        self.lifetime = lifetime

    def issue(self, booking_id: uuid.UUID, *, now: datetime | None = None) -> str:
        expires = (now or datetime.now(UTC)) + self.lifetime
        return str(
            self.serializer.dumps({"booking": str(booking_id), "exp": int(expires.timestamp())})
        )

    def booking_of(self, token: str, *, now: datetime | None = None) -> uuid.UUID:
        """The booking the token names, or ``ManageLinkRefused`` saying why."""
        try:
            claims = self.serializer.loads(token)
            booking = uuid.UUID(str(claims["booking"]))
            expires = int(claims["exp"])
        except (BadSignature, KeyError, TypeError, ValueError) as exc:
            raise ManageLinkRefused("This manage link is not valid.") from exc
        if expires < (now or datetime.now(UTC)).timestamp():
            raise ManageLinkRefused("This manage link has expired.")
        return booking
