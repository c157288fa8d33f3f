"""The in-process copy of the revocation read-model, and the rules a token is judged by.

A token is refused when:

1. its ``jti`` or its session (the login it came from) was revoked (logout,
   a reused refresh token): "Token has been revoked.";
2. its user is deactivated: "User is inactive.";
3. it was issued before the user's not-before instant (password changed or
   reset, role changed, a store removed, deactivated): "This session has
   ended: log in again.";
4. its user is unknown to the read-model although the read-model is recent
   enough to know them: it has consumed an auth event stamped more than
   ``GRACE_SECONDS`` after the token was issued. Auth publishes a user's
   creation (in the creating transaction) before it can issue that user a
   token, and the read-model consumes auth's events in order, so by then the
   creation would have arrived. A token newer than that is accepted: the user
   may simply be newer than what we have consumed. The grace covers clock skew
   between auth's replicas (event time and ``iat`` are both auth's clocks).

Service tokens (another service calling as itself) are judged by rule 1 only.
Checking is a few dictionary lookups; no I/O on the request path.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from common.revocations.store import Changes
from common.roles import Caller, ServicePrincipal

GRACE_SECONDS = 5.0
REVOKED = "Token has been revoked."
INACTIVE = "User is inactive."
ENDED = "This session has ended: log in again."
UNKNOWN = "Unknown user."


@dataclass(frozen=True)
class _Standing:
    is_active: bool
    tokens_valid_after: float | None


_ACTIVE = _Standing(True, None)  # shared by the (many) users with nothing against them


class RevocationSnapshot:
    def __init__(self) -> None:
        self.version = 0
        self.as_of: float | None = None
        self._users: dict[str, _Standing] = {}
        self._tokens: dict[str, float] = {}

    def apply(self, changes: Changes, *, now: float) -> None:
        for user in changes.users:
            standing = _Standing(user.is_active, user.tokens_valid_after)
            self._users[user.user_id] = _ACTIVE if standing == _ACTIVE else standing
        self._tokens.update(changes.tokens)
        if changes.as_of is not None:
            self.as_of = max(self.as_of or changes.as_of, changes.as_of)
        self.version = max(self.version, changes.version)
        expired = [token for token, expires in self._tokens.items() if expires <= now]
        for token in expired:
            del self._tokens[token]

    def assume_known(self, user_ids: Iterable[str]) -> None:
        """Users auth has that no event told us about yet (e.g. the test plugin's)."""
        for user_id in user_ids:
            self._users.setdefault(user_id, _ACTIVE)

    @property
    def users_known(self) -> int:
        return len(self._users)

    def refusal(self, caller: Caller) -> str | None:
        """Why this verified token must be refused, or None."""
        if caller.token_id in self._tokens:
            return REVOKED
        if isinstance(caller, ServicePrincipal):
            return None
        if caller.session_id is not None and caller.session_id in self._tokens:
            return REVOKED
        issued_at = caller.issued_at if caller.issued_at is not None else 0.0
        standing = self._users.get(caller.user_id)
        if standing is None:
            if self.as_of is not None and self.as_of > issued_at + GRACE_SECONDS:
                return UNKNOWN
            return None
        if not standing.is_active:
            return INACTIVE
        if standing.tokens_valid_after is not None and issued_at < standing.tokens_valid_after:
            return ENDED
        return None
