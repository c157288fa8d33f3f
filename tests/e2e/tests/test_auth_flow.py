"""Auth through the gateway, as a web client: register → login → me → refresh → logout, and the guards."""

from __future__ import annotations

import asyncio
import os
import signal
import time

import httpx
import psutil
from test_chaos import program_process, serving
from test_pos_flow import eventually

from common.testing.helpers import read_events

PASSWORD = "a long passphrase 42"


async def test_customer_session_lifecycle(platform, nats_url) -> None:
    since = time.time()
    async with httpx.AsyncClient(base_url=platform.gateway, timeout=10) as client:
        registered = await client.post(
            "/api/auth/register/",
            json={"email": "e2e-customer@example.com", "password": PASSWORD, "first_name": "Eve"},
        )
        assert registered.status_code == 201, registered.text
        assert registered.json()["role"] == "customer"
        assert registered.headers.get("x-request-id")

        login = await client.post(
            "/api/auth/login", json={"email": "e2e-customer@example.com", "password": PASSWORD}
        )
        assert login.status_code == 200, login.text
        tokens = login.json()
        me = await client.get(
            "/api/auth/me/", headers={"Authorization": f"Bearer {tokens['access']}"}
        )
        assert me.status_code == 200 and me.json()["email"] == "e2e-customer@example.com"

        rotated = await client.post("/api/token/refresh", json={"refresh": tokens["refresh"]})
        assert rotated.status_code == 200
        new = rotated.json()
        assert new["refresh"] != tokens["refresh"]
        reused = await client.post("/api/token/refresh", json={"refresh": tokens["refresh"]})
        assert reused.status_code == 401

        # Reuse ended the family: log in again for the logout half of the story.
        fresh = (
            await client.post(
                "/api/auth/login", json={"email": "e2e-customer@example.com", "password": PASSWORD}
            )
        ).json()
        logout = await client.post(
            "/api/auth/logout",
            json={"refresh": fresh["refresh"]},
            headers={"Authorization": f"Bearer {fresh['access']}"},
        )
        assert logout.status_code == 200
        after = await client.post("/api/token/refresh", json={"refresh": fresh["refresh"]})
        assert after.status_code == 401

    events = await read_events(nats_url, "auth.user.registered", since=since)
    assert [event.data["email"] for event in events] == ["e2e-customer@example.com"]


async def test_admin_creates_staff_who_can_log_in_and_can_be_deactivated(platform) -> None:
    async with httpx.AsyncClient(base_url=platform.gateway, timeout=10) as client:
        admin = (
            await client.post(
                "/api/auth/login",
                json={"email": platform.admin_email, "password": platform.admin_password},
            )
        ).json()
        admin_headers = {"Authorization": f"Bearer {admin['access']}"}
        created = await client.post(
            "/api/accounts/users/",
            json={
                "email": "e2e-advisor@example.com",
                "password": PASSWORD,
                "role": "advisor",
                "store_ids": ["store-1"],
            },
            headers=admin_headers,
        )
        assert created.status_code == 201, created.text
        staff = (
            await client.post(
                "/api/auth/login", json={"email": "e2e-advisor@example.com", "password": PASSWORD}
            )
        ).json()
        staff_headers = {"Authorization": f"Bearer {staff['access']}"}
        assert (await client.get("/api/auth/me", headers=staff_headers)).json()["role"] == "advisor"

        # An advisor is not an admin: 403 on the users list; anonymous: 401.
        assert (await client.get("/api/users", headers=staff_headers)).status_code == 403
        anonymous = await client.get("/api/users")
        assert anonymous.status_code == 401 and anonymous.headers["www-authenticate"] == "Bearer"

        deleted = await client.delete(f"/api/users/{created.json()['id']}", headers=admin_headers)
        assert deleted.status_code == 204
        assert (await client.get("/api/auth/me", headers=staff_headers)).status_code == 401
        assert (
            await client.post(
                "/api/auth/login", json={"email": "e2e-advisor@example.com", "password": PASSWORD}
            )
        ).status_code == 401


async def test_customer_is_refused_the_users_list(platform) -> None:
    async with httpx.AsyncClient(base_url=platform.gateway, timeout=10) as client:
        await client.post(
            "/api/auth/register", json={"email": "e2e-c2@example.com", "password": PASSWORD}
        )
        token = (
            await client.post(
                "/api/auth/login", json={"email": "e2e-c2@example.com", "password": PASSWORD}
            )
        ).json()["access"]
        response = await client.get("/api/users", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 403
        assert response.json() == {"detail": "You do not have permission to perform this action."}


async def dead(process: psutil.Process, timeout: float = 10) -> None:
    """Until the killed process has exited (a zombie: its parent is stopped, so nobody reaps
    it, but its sockets are closed)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if process.status() == psutil.STATUS_ZOMBIE:
                return
        except psutil.NoSuchProcess:
            return
        assert time.monotonic() < deadline, f"process {process.pid} still alive"
        await asyncio.sleep(0.05)


async def test_gateway_answers_for_a_service_that_is_down_and_unknown_paths(platform) -> None:
    """Every routed prefix has its service now (a prefix without one answers 503: gateway's
    tests), so a service is taken down instead: audit's process killed while supervisord is
    held still (SIGSTOP), so it cannot start it again before the gateway is asked. The
    gateway names the service in a JSON 502; supervisord, let go, brings it back."""
    supervisord = program_process(platform, lambda cmdline: "supervisord" in " ".join(cmdline))
    victim = program_process(platform, serving("audit"))
    assert supervisord is not None and victim is not None
    async with httpx.AsyncClient(base_url=platform.gateway, timeout=10) as client:
        os.kill(supervisord.pid, signal.SIGSTOP)
        try:
            os.kill(victim.pid, signal.SIGKILL)
            await dead(victim)
            down = await client.get("/api/logs/")
        finally:
            os.kill(supervisord.pid, signal.SIGCONT)
        assert down.status_code == 502, down.text
        assert down.json() == {"detail": "service audit is unreachable"}
        back = await eventually(
            lambda: client.get("/api/audit/actions"), lambda r: r.status_code == 401, timeout=180
        )
        assert back.status_code == 401, back.text  # audit answers again (and wants a token)
        unknown = await client.get("/nope")
        assert unknown.status_code == 404 and "detail" in unknown.json()
        docs = await client.get("/docs")
        assert docs.status_code == 200 and "/docs/auth" in docs.text
        openapi = await client.get("/docs/auth/openapi.json")
        assert openapi.status_code == 200 and "/api/auth/login" in openapi.json()["paths"]
