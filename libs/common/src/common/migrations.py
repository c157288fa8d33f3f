"""Alembic helpers so each service keeps its own migration history in its own database.

A service's ``migrations/env.py`` is three lines::

    from common.migrations import run_env
    from pos.models import Base
    run_env(Base.metadata)
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from alembic import command, context
from alembic.config import Config
from alembic.operations import ops
from sqlalchemy import MetaData, pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from common.config import normalise_database_url


def alembic_config(migrations_dir: Path, database_url: str) -> Config:
    """An Alembic config that needs no alembic.ini: script location + URL."""
    config = Config()
    config.set_main_option("script_location", str(migrations_dir))
    config.set_main_option(
        "sqlalchemy.url", normalise_database_url(database_url).replace("%", "%%")
    )
    return config


def upgrade_head(migrations_dir: Path, database_url: str) -> None:
    """`alembic upgrade head`; an advisory lock keeps two replicas from migrating at once."""
    command.upgrade(alembic_config(migrations_dir, database_url), "head")


def missing_sequences(connection: Connection, metadata: MetaData) -> list[str]:
    """The sequences of ``metadata`` the database lacks. Alembic's autogenerate never compares
    sequences, so a model's sequence no migration creates fails only at its first nextval()."""
    present = set(
        connection.exec_driver_sql(
            "SELECT sequence_name FROM information_schema.sequences"
        ).scalars()
    )
    # MetaData keeps its sequences private (no public accessor).
    return [name for name in sorted(metadata._sequences) if name.split(".")[-1] not in present]


def _sequences_too(metadata: MetaData) -> Any:
    """On autogenerate, a revision gets a CREATE SEQUENCE (and its downgrade the DROP) for
    each sequence of the models the database does not have yet."""

    def directives(migration: Any, revision: Any, scripts: list[Any]) -> None:
        if not scripts or not getattr(scripts[0], "upgrade_ops", None):
            return
        script = scripts[0]
        for name in reversed(missing_sequences(migration.connection, metadata)):
            script.upgrade_ops.ops.insert(0, ops.ExecuteSQLOp(f"CREATE SEQUENCE {name}"))
            script.downgrade_ops.ops.append(ops.ExecuteSQLOp(f"DROP SEQUENCE {name}"))

    return directives


def _run_sync(connection: Connection, metadata: MetaData) -> None:
    # Serialise concurrent migrators (several replicas starting together).
    connection.exec_driver_sql("SELECT pg_advisory_xact_lock(7413061)")
    context.configure(
        connection=connection,
        target_metadata=metadata,
        compare_type=True,
        process_revision_directives=_sequences_too(metadata),
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_online(metadata: MetaData) -> None:
    url = context.config.get_main_option("sqlalchemy.url")
    assert url, "sqlalchemy.url is not set"
    engine = create_async_engine(url, poolclass=pool.NullPool)
    async with engine.connect() as connection:
        await connection.run_sync(_run_sync, metadata)
        await connection.commit()
    await engine.dispose()


def run_env(metadata: MetaData) -> None:
    """Body of a service's migrations/env.py (online mode only: we always have a database)."""
    if context.is_offline_mode():
        context.configure(
            url=context.config.get_main_option("sqlalchemy.url"), target_metadata=metadata
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    asyncio.run(_run_online(metadata))
