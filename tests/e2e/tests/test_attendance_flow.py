"""Attendance through the gateway: an advisor created in auth and a store with a geofence in
catalog reach attendance by their events; the advisor checks in late with a selfie, checks
out with overtime, the branch head approves it, and the month's report shows it all."""

from __future__ import annotations

import asyncio
import struct
import time
import zlib
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

PASSWORD = "attendance e2e passphrase"
ZONE = "America/Los_Angeles"
STORE_POINT = ("34.052200", "-118.243700")
NEAR = ("34.052300", "-118.243800")  # ~14 m from the store: inside its 120 m circle
LATE_BY = timedelta(minutes=40)


def tiny_png(width: int = 32, height: int = 24) -> bytes:
    """A real RGB PNG (the app sends photos; Pillow is no dependency of these tests)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rows = b"".join(b"\x00" + bytes((200, 120, 60)) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


async def until(
    attempt: Callable[[], Awaitable[httpx.Response]], ok: int, timeout: float = 60
) -> httpx.Response:
    """Repeat a request until it answers ``ok`` (an event has arrived) or time runs out."""
    deadline = time.monotonic() + timeout
    while True:
        response = await attempt()
        if response.status_code == ok or time.monotonic() > deadline:
            return response
        await asyncio.sleep(0.25)


async def staff(
    client: httpx.AsyncClient, admin: dict[str, str], email: str, role: str, store_id: str
) -> tuple[str, dict[str, str]]:
    created = await client.post(
        "/api/accounts/users/",
        json={
            "email": email,
            "password": PASSWORD,
            "first_name": role.replace("_", " ").title(),
            "last_name": "E2E",
            "role": role,
            "store_ids": [store_id],
        },
        headers=admin,
    )
    assert created.status_code == 201, created.text
    login = await client.post("/api/auth/login", json={"email": email, "password": PASSWORD})
    assert login.status_code == 200, login.text
    return created.json()["id"], {"Authorization": f"Bearer {login.json()['access']}"}


def selfie_punch(fields: dict[str, str]) -> dict[str, Any]:
    return {"data": fields, "files": {"selfie": ("me.png", tiny_png(), "image/png")}}


async def test_a_late_check_in_with_overtime_approved_shows_in_the_month(
    platform, admin_headers
) -> None:
    async with httpx.AsyncClient(base_url=platform.gateway, timeout=15) as client:
        store = await client.post(
            "/api/stores",
            json={
                "code": "E2E-ATT",
                "name": "E2E attendance store",
                "time_zone": ZONE,
                "latitude": STORE_POINT[0],
                "longitude": STORE_POINT[1],
                "geofence_radius_m": 120,
            },
            headers=admin_headers,
        )
        assert store.status_code == 201, store.text
        store_id = store.json()["id"]
        advisor_id, advisor = await staff(
            client, admin_headers, "e2e-att-advisor@example.com", "advisor", store_id
        )
        _, head = await staff(
            client, admin_headers, "e2e-att-head@example.com", "branch_head", store_id
        )

        # The store reaches attendance from catalog's event ...
        policy = await until(
            lambda: client.get(f"/api/attendance/admin/policies/{store_id}", headers=admin_headers),
            200,
        )
        assert policy.status_code == 200, policy.text
        # ... and a shift that started 40 minutes ago and ends in a few seconds, for the advisor
        # auth announced (the schedule names them: refused until their event has arrived).
        local = ZoneInfo(ZONE)
        now = datetime.now(UTC)
        start, end = (
            (now - LATE_BY).astimezone(local),
            (now + timedelta(seconds=4)).astimezone(local),
        )
        shift = await client.post(
            "/api/attendance/admin/shifts",
            json={
                "store_id": store_id,
                "name": "E2E short",
                "start_time": start.strftime("%H:%M:%S"),
                "end_time": end.strftime("%H:%M:%S"),
                "overnight": start.date() != end.date(),
                "grace_late_minutes": 10,
                "overtime_after_minutes": 0,
            },
            headers=admin_headers,
        )
        assert shift.status_code == 201, shift.text
        schedule = await until(
            lambda: client.post(
                "/api/attendance/admin/schedules",
                json={
                    "person_id": advisor_id,
                    "store_id": store_id,
                    "shift_id": shift.json()["id"],
                    "weekdays": list(range(7)),
                    "effective_from": start.date().isoformat(),
                },
                headers=admin_headers,
            ),
            201,
        )
        assert schedule.status_code == 201, schedule.text

        checked_in = await client.post(
            "/api/attendance/check-in",
            **selfie_punch({"latitude": NEAR[0], "longitude": NEAR[1], "accuracy": "12"}),
            headers=advisor,
        )
        assert checked_in.status_code == 201, checked_in.text
        entry = checked_in.json()
        assert entry["late"] is True and entry["late_minutes"] in (39, 40), entry
        assert entry["approvals"] == [] and entry["check_in"]["distance_m"] < 120
        selfie = await client.get(entry["check_in"]["selfie_url"], headers=head)
        assert selfie.status_code == 200 and selfie.headers["content-type"] == "image/jpeg"
        assert selfie.content.startswith(b"\xff\xd8")  # stored re-encoded, served only this way

        await asyncio.sleep(max(0.0, (end - datetime.now(UTC)).total_seconds()) + 2)
        checked_out = await client.post(
            "/api/attendance/check-out",
            **selfie_punch(
                {
                    "latitude": NEAR[0],
                    "longitude": NEAR[1],
                    "ot_requested": "true",
                    "ot_reason": "E2E",
                }
            ),
            headers=advisor,
        )
        assert checked_out.status_code == 200, checked_out.text
        [overtime] = checked_out.json()["approvals"]
        assert (overtime["kind"], overtime["status"]) == ("overtime", "pending")

        pending = await client.get("/api/attendance/approvals", headers=head)
        assert [a["id"] for a in pending.json()["results"]] == [overtime["id"]]
        mine = await client.post(
            f"/api/attendance/approvals/{overtime['id']}/approve", headers=advisor
        )
        assert mine.status_code == 403
        approved = await client.post(
            f"/api/attendance/approvals/{overtime['id']}/approve",
            json={"note": "E2E count ran late"},
            headers=head,
        )
        assert approved.status_code == 200, approved.text

        month = start.strftime("%Y-%m")
        report = await client.get(
            f"/api/attendance/reports/store/{store_id}", params={"month": month}, headers=head
        )
        assert report.status_code == 200, report.text
        [row] = [r for r in report.json()["people"] if r["person_id"] == advisor_id]
        assert (row["days_present"], row["late_count"], row["approved_ot_entries"]) == (1, 1, 1)
        assert row["late_minutes"] in (39, 40) and row["pending_exceptions"] == 0
        hr_view = await client.get(
            "/api/hr/time-entries/", params={"employee": advisor_id}, headers=head
        )
        assert [e["id"] for e in hr_view.json()["results"]] == [entry["id"]]
