"""The revocation read-model's tables, added to each service's own MetaData.

``revocation_users``: every user auth told us about (``auth.user.*``), active or
not, with the instant before which their tokens no longer count
(``tokens_valid_after``, from ``auth.user.tokens_invalidated``).
``revocation_tokens``: token ids refused until they expire (an access token's
``jti``, or a login's session id covering every access token it issued), from
``auth.session.revoked``. ``revocation_state``: one row, the time of the newest
auth event consumed (the read-model is "as of" that instant).

Every write takes the next ``revocation_version_seq`` value, so a process keeping
a snapshot loads only the rows changed since the version it has.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    MetaData,
    Sequence,
    SmallInteger,
    String,
    Table,
)

VERSION_SEQUENCE = "revocation_version_seq"
_INFO_KEY = "shopfloor_revocation_tables"


@dataclass(frozen=True)
class RevocationTables:
    users: Table
    tokens: Table
    state: Table
    version: Sequence


def revocation_table(metadata: MetaData) -> RevocationTables:
    """The tables on ``metadata`` (created once; later calls return the same ones)."""
    existing: RevocationTables | None = metadata.info.get(_INFO_KEY)
    if existing is not None:
        return existing
    version = Sequence(VERSION_SEQUENCE, metadata=metadata)
    users = Table(
        "revocation_users",
        metadata,
        Column("user_id", String(64), primary_key=True),
        Column("is_active", Boolean, nullable=False),
        Column("tokens_valid_after", DateTime(timezone=True), nullable=True),
        Column("changed_at", DateTime(timezone=True), nullable=False),
        Column("version", BigInteger, nullable=False, index=True),
    )
    tokens = Table(
        "revocation_tokens",
        metadata,
        Column("token_id", String(64), primary_key=True),
        Column("expires_at", DateTime(timezone=True), nullable=False),
        Column("version", BigInteger, nullable=False, index=True),
    )
    state = Table(
        "revocation_state",
        metadata,
        Column("id", SmallInteger, primary_key=True, autoincrement=False),
        Column("last_event_at", DateTime(timezone=True), nullable=False),
        Column("version", BigInteger, nullable=False),
    )
    tables = RevocationTables(users, tokens, state, version)
    metadata.info[_INFO_KEY] = tables
    return tables
