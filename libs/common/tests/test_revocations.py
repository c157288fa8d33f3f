"""A user auth deactivates is refused by every other service once the event arrives."""

from __future__ import annotations

import asyncio
import time

from common.events.bus import NatsBus
from common.events.envelope import Envelope
from common.roles import Role
from common.testing.helpers import running_app
from tests.widgets import make_app


async def _publish(nats_url: str, subject: str, data: dict[str, object]) -> None:
    """Publish as auth would (auth's stream exists once auth has started)."""
    bus = NatsBus(nats_url, name="fake-auth")
    await bus.connect()
    try:
        await bus.ensure_stream("auth")
        await bus.publish(Envelope(type=subject, source="auth", data=data), {})
    finally:
        await bus.close()


async def _status_until(client, headers, expected: int, timeout: float = 10.0) -> int:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    status = 0
    while time.monotonic() < deadline:
        status = (await client.get("/api/widgets/me", headers=headers)).status_code
        if status == expected:
            return status
        await asyncio.sleep(0.1)
    return status


async def test_deactivated_user_is_refused_and_reactivated_user_admitted(
    widgets_settings, auth_headers, nats_url
) -> None:
    app = make_app(widgets_settings, with_revocations=True)
    user_headers = auth_headers(Role.advisor, user_id="user-to-deactivate")
    other_headers = auth_headers(Role.advisor, user_id="someone-else")
    async with running_app(app) as client:
        assert (await client.get("/api/widgets/me", headers=user_headers)).status_code == 200
        await _publish(
            nats_url, "auth.user.deactivated", {"user_id": "user-to-deactivate", "is_active": False}
        )
        assert await _status_until(client, user_headers, 401) == 401
        refused = await client.get("/api/widgets/me", headers=user_headers)
        assert refused.json() == {"detail": "User is inactive."}
        assert (await client.get("/api/widgets/me", headers=other_headers)).status_code == 200
        await _publish(
            nats_url, "auth.user.updated", {"user_id": "user-to-deactivate", "is_active": True}
        )
        assert await _status_until(client, user_headers, 200) == 200
