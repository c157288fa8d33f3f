"""JWKS fetching (cache, refetch on unknown kid, rate limit), settings safety, traceparent on events."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from opentelemetry import trace
from pydantic import ValidationError
from sqlalchemy import select

from common.config import ServiceSettings
from common.db import Database
from common.jwk import public_jwk
from common.roles import Role
from common.scope import acts_on
from common.security import InvalidToken, KeyStore, TokenVerifier
from common.testing.engines import free_port
from common.testing.plugin import mint
from tests.widgets import TABLES, outbox


class JwksServer:
    """A real HTTP server publishing a JWKS that the test can change, counting fetches."""

    def __init__(self) -> None:
        self.keys: list[dict[str, str]] = []
        self.fetches = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.fetches += 1
                body = json.dumps({"keys": server.keys}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                return

        self.httpd = HTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/jwks"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


@pytest.fixture
def jwks_server() -> Iterator[JwksServer]:
    server = JwksServer()
    yield server
    server.httpd.shutdown()


async def test_unknown_kid_refetches_once_then_is_rate_limited(jwks_server: JwksServer) -> None:
    old, new = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    jwks_server.keys = [public_jwk(old)]
    verifier = TokenVerifier(
        KeyStore(jwks_url=jwks_server.url, refetch_interval=60),
        issuer="shopfloor-auth",
        audience="shopfloor",
    )
    principal = await verifier.principal(mint(old, role=Role.advisor, user_id="u1"))
    assert principal.user_id == "u1" and jwks_server.fetches == 1
    await verifier.principal(mint(old, role=Role.advisor))
    assert jwks_server.fetches == 1  # cached
    # Auth rotated its key, but we fetched moments ago: the unknown kid is refused without a fetch storm.
    jwks_server.keys = [public_jwk(old), public_jwk(new)]
    with pytest.raises(InvalidToken, match="unknown key"):
        await verifier.principal(mint(new, role=Role.advisor))
    assert jwks_server.fetches == 1


async def test_rotated_key_is_picked_up_after_the_interval(jwks_server: JwksServer) -> None:
    old, new = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    jwks_server.keys = [public_jwk(old)]
    verifier = TokenVerifier(
        KeyStore(jwks_url=jwks_server.url, refetch_interval=0),
        issuer="shopfloor-auth",
        audience="shopfloor",
    )
    await verifier.principal(mint(old, role=Role.advisor))
    jwks_server.keys = [public_jwk(new)]
    store, other = uuid.uuid4(), uuid.uuid4()
    principal = await verifier.principal(mint(new, role=Role.branch_head, stores=[str(store)]))
    assert principal.role == Role.branch_head and acts_on(principal, store)
    assert not acts_on(principal, other)
    assert jwks_server.fetches == 2


def test_settings_refuse_missing_keys_outside_development() -> None:
    with pytest.raises(ValidationError, match="JWT_JWKS_URL or JWT_PUBLIC_KEYS"):
        ServiceSettings(database_url="postgresql://x@h/db", shopfloor_env="production")  # type: ignore[arg-type]
    ok = ServiceSettings(
        database_url="postgresql://x@h/db",
        shopfloor_env="production",
        jwt_jwks_url="http://auth/jwks",
    )  # type: ignore[arg-type]
    assert ok.database_url.startswith("postgresql+psycopg://")


def test_settings_refuse_dev_secrets_outside_development() -> None:
    from typing import ClassVar

    from pydantic import SecretStr

    class WithSecret(ServiceSettings):
        DEV_SECRETS: ClassVar[tuple[str, ...]] = ("api_secret",)
        api_secret: SecretStr | None = None

    common = {"database_url": "postgresql://x@h/db", "jwt_jwks_url": "http://auth/jwks"}
    with pytest.raises(ValidationError, match="API_SECRET must be set"):
        WithSecret(shopfloor_env="production", **common)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="looks like a development default"):
        WithSecret(shopfloor_env="production", api_secret="changeme", **common)  # type: ignore[arg-type]
    assert WithSecret(shopfloor_env="development", api_secret="changeme", **common)  # type: ignore[arg-type]


def test_role_hierarchy() -> None:
    from common.roles import Principal, role_satisfies

    assert role_satisfies(Role.system_admin, Role.branch_head)
    assert role_satisfies(Role.branch_head, Role.advisor)
    assert not role_satisfies(Role.advisor, Role.branch_head)
    assert not role_satisfies(Role.consignee, Role.customer)
    assert not role_satisfies(Role.system_admin, Role.consignee)
    assert acts_on(Principal(user_id="a", role=Role.system_admin), uuid.uuid4())


async def test_outbox_row_carries_the_callers_traceparent(widgets_settings) -> None:
    from opentelemetry.sdk.trace import TracerProvider

    tracer = TracerProvider().get_tracer("test")
    database = Database(widgets_settings.database_url)
    try:
        with tracer.start_as_current_span("request") as span:
            async with database.session() as session:
                envelope = await outbox.add(session, "widgets.widget.created", {})
            trace_id = format(span.get_span_context().trace_id, "032x")
        async with database.session() as session:
            headers = (
                await session.execute(
                    select(TABLES.outbox.c.headers).where(TABLES.outbox.c.id == envelope.id)
                )
            ).scalar_one()
        assert headers["traceparent"].split("-")[1] == trace_id
    finally:
        await database.dispose()
    assert trace.get_current_span().get_span_context().is_valid is False
