"""The whole platform, started once per session exactly as `make up` starts it (own ports, temp data dir)."""

from __future__ import annotations

import base64
import json
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from common.testing.engines import free_port
from shopfloor_local.platform import Platform

ADMIN_EMAIL = "e2e-admin@shopfloor.test"
ADMIN_PASSWORD = "e2e platform passphrase"
# POS's service credential (consignment: users in auth, units in inventory). Every service
# sees the same environment, so each would call as "pos"; only POS makes such calls here.
SERVICE_CLIENT = "pos"
SERVICE_SECRET = "e2e service credential of pos"
SERVICE_SCOPES = ["users:create", "users:read", "consignees:enroll", "items:create"]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "chaos: kills processes of the shared platform; runs after the other tests"
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Chaos tests last: whatever they leave behind cannot look like another test's failure."""
    items.sort(key=lambda item: item.get_closest_marker("chaos") is not None)


@dataclass(frozen=True)
class RunningPlatform:
    gateway: str
    nats_url: str
    admin_email: str
    admin_password: str
    process: Platform


class MailSink:
    """A local SMTP server (aiosmtpd) the platform's services send their mail to."""

    def __init__(self) -> None:
        self.messages: list[Envelope] = []
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture(scope="session")
def mail_sink() -> Iterator[MailSink]:
    sink = MailSink()
    sink.controller.start()
    try:
        yield sink
    finally:
        sink.controller.stop()


@pytest.fixture(scope="session")
def platform(mail_sink: MailSink) -> Iterator[RunningPlatform]:
    workdir = Path(tempfile.mkdtemp(prefix="sfe2e-"))
    gateway_port = free_port()
    gateway = f"http://127.0.0.1:{gateway_port}"
    running = Platform(
        data_dir=workdir / "data",
        gateway_port=gateway_port,
        extra_env={
            "SHOPFLOOR_ADMIN_EMAIL": ADMIN_EMAIL,
            "SHOPFLOOR_ADMIN_PASSWORD": ADMIN_PASSWORD,
            "SMTP_URL": f"smtp://127.0.0.1:{mail_sink.port}",
            "SERVICE_CLIENTS": json.dumps(
                {SERVICE_CLIENT: {"secret": SERVICE_SECRET, "scopes": SERVICE_SCOPES}}
            ),
            "SERVICE_CLIENT_ID": SERVICE_CLIENT,
            "SERVICE_CLIENT_SECRET": SERVICE_SECRET,
            "SERVICE_URLS": json.dumps({"auth": gateway, "inventory": gateway}),
        },
    )
    running.start()
    try:
        running.wait_ready()
        yield RunningPlatform(
            gateway=running.gateway_url,
            nats_url=f"nats://127.0.0.1:{running.nats_port}",
            admin_email=ADMIN_EMAIL,
            admin_password=ADMIN_PASSWORD,
            process=running,
        )
        code = running.stop()
        assert code in (0, 130), f"`up` ended with {code}:\n{running.output()[-3000:]}"
        assert running.leftovers() == [], "processes outlived the platform"
    finally:
        running.kill_everything()
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def nats_url(platform: RunningPlatform) -> str:
    return platform.nats_url


@pytest.fixture(scope="session")
def admin_headers(platform: RunningPlatform) -> dict[str, str]:
    """The first admin's bearer header, logged in once for the tests that share it (auth
    throttles logins per account: five a minute)."""
    response = httpx.post(
        f"{platform.gateway}/api/auth/login",
        json={"email": platform.admin_email, "password": platform.admin_password},
        timeout=10,
    )
    assert response.status_code == 200, response.text
    tokens = response.json()
    _ADMIN_REFRESH[id(platform)] = tokens["refresh"]
    return {"Authorization": f"Bearer {tokens['access']}"}


# The shared admin session's refresh token, by platform (kept out of the header dict that
# tests pass to httpx as it is).
_ADMIN_REFRESH: dict[int, str] = {}
# Refresh when less than this is left: a test never starts with a token about to expire.
TOKEN_MARGIN_SECONDS = 120


def _seconds_left(access: str) -> float:
    payload = access.split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return float(claims["exp"]) - time.time()


@pytest.fixture(autouse=True)
def _admin_token_stays_fresh(request: pytest.FixtureRequest) -> None:
    """A slow e2e session outlives an access token (10 minutes): before each test that uses
    the shared admin header, it is refreshed through auth's refresh route (no login, so no
    login throttle) when it is close to expiring."""
    if "admin_headers" not in request.fixturenames:
        return
    headers: dict[str, str] = request.getfixturevalue("admin_headers")
    access = headers["Authorization"].removeprefix("Bearer ")
    if _seconds_left(access) > TOKEN_MARGIN_SECONDS:
        return
    platform: RunningPlatform = request.getfixturevalue("platform")
    response = httpx.post(
        f"{platform.gateway}/api/token/refresh",
        json={"refresh": _ADMIN_REFRESH[id(platform)]},
        timeout=10,
    )
    assert response.status_code == 200, response.text
    tokens = response.json()
    headers["Authorization"] = f"Bearer {tokens['access']}"
    _ADMIN_REFRESH[id(platform)] = tokens.get("refresh", _ADMIN_REFRESH[id(platform)])
