"""Sessions end everywhere: every service refuses revoked tokens within a second of the event.

Auth publishes what ends a session: ``auth.session.revoked`` (logout, a reused
refresh token: the access token's ``jti`` and the login's session id, each with
the time its tokens expire) and ``auth.user.tokens_invalidated`` (password
changed or reset, role changed, a store removed, deactivation: a not-before
instant), besides ``auth.user.*`` (who exists, who is active). Each service
consumes them into a small read-model in its own database (``tables.py``,
``handlers.py``), keeps it in memory in every process (``guard.py``: LISTEN/NOTIFY
from the consumer's transaction) and checks each request's token against it
(``snapshot.py``, where the rules are written down) without any I/O.

Wire it with ``create_app(revocations=revocation_table(Base.metadata))``.
"""

from common.revocations.guard import RevocationGuard
from common.revocations.snapshot import GRACE_SECONDS, RevocationSnapshot
from common.revocations.tables import RevocationTables, revocation_table

__all__ = [
    "GRACE_SECONDS",
    "RevocationGuard",
    "RevocationSnapshot",
    "RevocationTables",
    "revocation_table",
]
