"""POS's declarative base, the tables common gives every service (outbox, inbox, dead
letters, revoked users) and the column types the domains share.

Each domain declares its own tables in its ``models.py`` on this ``Base``; ``pos.tables``
imports them all for Alembic and the tests. Money is ``NUMERIC(12, 2)`` (``common.db.MONEY``),
a tax rate a fraction in ``NUMERIC(7, 4)`` (0.0875 is 8.75 %), a discount a percentage in
``NUMERIC(5, 2)``. A status is a ``StrEnum`` stored as its text (``text_enum``), with the
table's CHECK constraint naming the values."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import Enum, Numeric, Table

from common.db import ServiceBase, new_metadata
from common.events.tables import event_tables
from common.revocations import revocation_table


class Base(ServiceBase):
    __abstract__ = True
    metadata = new_metadata()


EVENT_TABLES = event_tables(Base.metadata)
REVOKED_USERS = revocation_table(Base.metadata)

RATE = Numeric(7, 4)
PERCENT = Numeric(5, 2)


def text_enum(values: type[StrEnum], length: int) -> Enum:
    """A ``StrEnum`` column stored as ``VARCHAR(length)`` holding the member's value."""
    return Enum(
        values,
        native_enum=False,
        create_constraint=False,
        length=length,
        values_callable=lambda members: [member.value for member in members],
    )


def table_of(model: type[Base]) -> Table:
    """A model's table, for the Core statements of the hot paths (no ORM unit of work)."""
    table = model.__table__
    if not isinstance(table, Table):
        raise TypeError(f"{model.__name__} is not mapped to a table")
    return table
