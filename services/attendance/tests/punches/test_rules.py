"""Late, early leave and overtime through the check-in API, at a store in Los Angeles and one
in Kolkata (+05:30), on an overnight shift, and on the nights the clocks change."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.conftest import (
    ADVISOR_IN,
    ADVISOR_LA,
    HEAD_LA,
    IN,
    IN_POINT,
    LA,
    LA_POINT,
    Clock,
    Staff,
    make_schedule,
    make_shift,
    punch,
)

pytestmark = pytest.mark.usefixtures("stores")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")
KOLKATA = ZoneInfo("Asia/Kolkata")

Headers = Callable[[Staff], dict[str, str]]


def at(zone: ZoneInfo, text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=zone)


async def test_late_check_in_and_early_leave_at_los_angeles(
    client: httpx.AsyncClient, admin: dict[str, str], headers: Headers, clock: Clock
) -> None:
    shift = await make_shift(client, admin, LA, "09:00", "17:00", grace_late_minutes=10)
    await make_schedule(client, admin, ADVISOR_LA, shift)
    clock.set(at(LOS_ANGELES, "2026-03-02T09:12:30"))
    checked_in = await punch(client, "check-in", headers(ADVISOR_LA), LA_POINT)
    assert checked_in.status_code == 201, checked_in.text
    entry = checked_in.json()
    assert (entry["late"], entry["late_minutes"], entry["work_date"]) == (True, 12, "2026-03-02")
    assert entry["shift"]["start"] == "2026-03-02T17:00:00Z"  # 09:00 PST
    assert entry["status"] == "active" and entry["approvals"] == []

    clock.set(at(LOS_ANGELES, "2026-03-02T16:40:00"))
    out = await punch(client, "check-out", headers(ADVISOR_LA), LA_POINT)
    assert out.status_code == 200, out.text
    done = out.json()
    assert (done["early_leave"], done["early_leave_minutes"], done["overtime_minutes"]) == (
        True,
        20,
        0,
    )
    assert done["status"] == "completed"


async def test_inside_the_grace_is_not_late_and_leaving_inside_it_is_not_early(
    client: httpx.AsyncClient, admin: dict[str, str], headers: Headers, clock: Clock
) -> None:
    shift = await make_shift(
        client, admin, LA, "09:00", "17:00", grace_late_minutes=10, grace_early_minutes=5
    )
    await make_schedule(client, admin, ADVISOR_LA, shift)
    clock.set(at(LOS_ANGELES, "2026-03-03T09:10:00"))  # exactly start + grace
    entry = (await punch(client, "check-in", headers(ADVISOR_LA), LA_POINT)).json()
    assert (entry["late"], entry["late_minutes"]) == (False, 0)
    clock.set(at(LOS_ANGELES, "2026-03-03T16:55:00"))
    done = (await punch(client, "check-out", headers(ADVISOR_LA), LA_POINT)).json()
    assert (done["early_leave"], done["overtime_minutes"]) == (False, 0)


async def test_overtime_beyond_the_threshold_with_a_request_waits_for_a_manager(
    client: httpx.AsyncClient, admin: dict[str, str], headers: Headers, clock: Clock
) -> None:
    shift = await make_shift(client, admin, LA, "09:00", "17:00", overtime_after_minutes=15)
    await make_schedule(client, admin, ADVISOR_LA, shift)
    clock.set(at(LOS_ANGELES, "2026-03-04T08:55:00"))
    await punch(client, "check-in", headers(ADVISOR_LA), LA_POINT)
    clock.set(at(LOS_ANGELES, "2026-03-04T17:40:00"))
    out = await punch(
        client,
        "check-out",
        headers(ADVISOR_LA),
        LA_POINT,
        ot_requested="true",
        ot_reason="Stock count",
    )
    assert out.status_code == 200, out.text
    done = out.json()
    assert done["overtime_minutes"] == 40 and done["approved_overtime_minutes"] == 0
    [approval] = done["approvals"]
    assert (approval["kind"], approval["status"], approval["overtime_minutes"]) == (
        "overtime",
        "pending",
        40,
    )
    assert approval["reason"] == "Stock count"
    decided = await client.post(
        f"/api/attendance/approvals/{approval['id']}/approve",
        json={"note": "Count ran late"},
        headers=headers(HEAD_LA),
    )
    assert decided.status_code == 200, decided.text
    today = (await client.get("/api/attendance/me/today", headers=headers(ADVISOR_LA))).json()
    [record] = today["entries"]
    assert record["approved_overtime_minutes"] == 40


async def test_overtime_inside_the_threshold_or_not_requested_asks_nobody(
    client: httpx.AsyncClient, admin: dict[str, str], headers: Headers, clock: Clock
) -> None:
    shift = await make_shift(client, admin, LA, "09:00", "17:00", overtime_after_minutes=15)
    await make_schedule(client, admin, ADVISOR_LA, shift)
    for day, leave, requested in (("05", "17:10", "true"), ("06", "18:30", "false")):
        clock.set(at(LOS_ANGELES, f"2026-03-{day}T09:00:00"))
        await punch(client, "check-in", headers(ADVISOR_LA), LA_POINT)
        clock.set(at(LOS_ANGELES, f"2026-03-{day}T{leave}:00"))
        done = (
            await punch(client, "check-out", headers(ADVISOR_LA), LA_POINT, ot_requested=requested)
        ).json()
        assert done["approvals"] == [], done
        assert done["overtime_minutes"] > 0


async def test_late_at_kolkata_half_hour_offset(
    client: httpx.AsyncClient, admin: dict[str, str], headers: Headers, clock: Clock
) -> None:
    shift = await make_shift(client, admin, IN, "10:00", "19:00", grace_late_minutes=15)
    await make_schedule(client, admin, ADVISOR_IN, shift)
    clock.set(at(KOLKATA, "2026-03-02T10:25:00"))  # 04:55 UTC
    entry = (await punch(client, "check-in", headers(ADVISOR_IN), IN_POINT)).json()
    assert entry["shift"]["start"] == "2026-03-02T04:30:00Z"
    assert (entry["late"], entry["late_minutes"]) == (True, 25)
    clock.set(at(KOLKATA, "2026-03-02T18:30:00"))
    done = (await punch(client, "check-out", headers(ADVISOR_IN), IN_POINT)).json()
    assert done["early_leave_minutes"] == 30


async def test_an_overnight_shift_is_dated_by_its_start_and_checks_out_the_next_morning(
    client: httpx.AsyncClient, admin: dict[str, str], headers: Headers, clock: Clock
) -> None:
    night = await make_shift(
        client, admin, LA, "22:00", "06:00", overnight=True, overtime_after_minutes=10
    )
    await make_schedule(client, admin, ADVISOR_LA, night)
    clock.set(at(LOS_ANGELES, "2026-03-03T00:20:00"))  # after midnight: still the 2nd's night
    entry = (await punch(client, "check-in", headers(ADVISOR_LA), LA_POINT)).json()
    assert (entry["work_date"], entry["late_minutes"]) == ("2026-03-02", 140)
    clock.set(at(LOS_ANGELES, "2026-03-03T06:30:00"))
    done = (
        await punch(client, "check-out", headers(ADVISOR_LA), LA_POINT, ot_requested="true")
    ).json()
    assert (done["work_date"], done["overtime_minutes"]) == ("2026-03-02", 30)
    assert [a["kind"] for a in done["approvals"]] == ["overtime"]


@pytest.mark.parametrize(
    ("night", "morning", "hours"),
    [("2026-03-07", "2026-03-08", 7), ("2026-10-31", "2026-11-01", 9)],
    ids=["clocks-forward", "clocks-back"],
)
async def test_the_night_the_clocks_change_lasts_what_it_really_lasts(
    client: httpx.AsyncClient,
    admin: dict[str, str],
    headers: Headers,
    clock: Clock,
    night: str,
    morning: str,
    hours: int,
) -> None:
    shift = await make_shift(client, admin, LA, "22:00", "06:00", overnight=True)
    await make_schedule(client, admin, ADVISOR_LA, shift)
    clock.set(at(LOS_ANGELES, f"{night}T22:00:00"))
    entry = (await punch(client, "check-in", headers(ADVISOR_LA), LA_POINT)).json()
    start, end = (datetime.fromisoformat(entry["shift"][k]) for k in ("start", "end"))
    assert (end - start).total_seconds() == hours * 3600
    clock.set(at(LOS_ANGELES, f"{morning}T06:00:00"))
    done = (await punch(client, "check-out", headers(ADVISOR_LA), LA_POINT)).json()
    assert done["worked_minutes"] == hours * 60
    assert (done["late"], done["early_leave"], done["overtime_minutes"]) == (False, False, 0)


async def test_a_shift_starting_in_the_skipped_hour_starts_after_it(
    client: httpx.AsyncClient, admin: dict[str, str], headers: Headers, clock: Clock
) -> None:
    shift = await make_shift(client, admin, LA, "02:30", "10:30", grace_late_minutes=10)
    await make_schedule(client, admin, ADVISOR_LA, shift)
    clock.set(at(LOS_ANGELES, "2026-03-08T03:35:00"))  # 02:30 PST does not exist; 03:30 PDT
    entry = (await punch(client, "check-in", headers(ADVISOR_LA), LA_POINT)).json()
    assert entry["shift"]["start"] == "2026-03-08T10:30:00Z"
    assert entry["late"] is False


async def test_unscheduled_work_is_recorded_without_shift_rules(
    client: httpx.AsyncClient, headers: Headers, clock: Clock
) -> None:
    clock.set(at(LOS_ANGELES, "2026-03-02T13:00:00"))
    entry = (await punch(client, "check-in", headers(ADVISOR_LA), LA_POINT)).json()
    assert entry["shift"] is None and entry["late"] is False and entry["work_date"] == "2026-03-02"
