"""Waiting for the PostgreSQL server and creating a service's database on it."""

from __future__ import annotations

import psycopg
from psycopg import errors, sql
from tenacity import Retrying, retry_if_exception_type, stop_after_delay, wait_fixed


def wait_for_postgres(url: str, timeout: float = 120.0) -> None:
    """Block until the server at ``url`` accepts a connection (or raise the last error)."""
    for attempt in Retrying(
        stop=stop_after_delay(timeout),
        wait=wait_fixed(0.5),
        retry=retry_if_exception_type(psycopg.OperationalError),
        reraise=True,
    ):
        with attempt, psycopg.connect(url, connect_timeout=3) as connection:
            connection.execute("SELECT 1")


def ensure_database(server_url: str, database: str) -> bool:
    """Create ``database`` on the server unless it exists; True if it was created."""
    with psycopg.connect(server_url, autocommit=True, connect_timeout=10) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (database,)
        ).fetchone()
        if exists:
            return False
        try:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
        except errors.DuplicateDatabase:
            return False  # another runner made it between our check and our create
        return True
