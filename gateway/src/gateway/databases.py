"""One PostgreSQL database per service: its name, and the init SQL of the Postgres container."""

from __future__ import annotations

from collections.abc import Sequence

from gateway.containers import GENERATED_NOTICE


def database_name(service: str) -> str:
    """The database that belongs to ``service`` alone (``shopfloor_<name>``)."""
    return f"shopfloor_{service}"


def render_postgres_init(services: Sequence[str]) -> str:
    """SQL that creates every service's database; the Postgres image runs it on first start.

    It lists every service of the table, not only those that exist yet, because the
    image runs init scripts once per data volume.
    """
    statements = "".join(f"CREATE DATABASE {database_name(name)};\n" for name in services)
    notice = GENERATED_NOTICE.replace("# ", "-- ").replace("#\n", "--\n")
    return notice + "-- One database per service; no service reads another's.\n" + statements
