"""A schedule's preview: each day's expected shift and paid hours, projected weekly overtime,
weekly offs and exceptions overriding the schedule, and the conflicts they make."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.conftest import ADVISOR_LA, LA, Staff, make_schedule, make_shift

pytestmark = pytest.mark.usefixtures("stores")
Headers = Callable[[Staff], dict[str, str]]


async def _preview(
    client: httpx.AsyncClient,
    admin: dict[str, str],
    schedule: dict[str, Any],
    first: str,
    last: str,
) -> dict[str, Any]:
    response = await client.get(
        f"/api/attendance/admin/schedules/{schedule['id']}/preview",
        params={"date_from": first, "date_to": last},
        headers=admin,
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


async def test_a_week_of_shifts_projects_hours_and_the_overtime_beyond_the_weekly_limit(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    # 09:00-18:30 less a 30-minute break: 9 paid hours, six days = 54 h, 14 h over 40.
    shift = await make_shift(
        client, admin, LA, "09:00", "18:30", break_minutes=30, break_after_minutes=360
    )
    schedule = await make_schedule(client, admin, ADVISOR_LA, shift, weekdays=[0, 1, 2, 3, 4, 5])
    preview = await _preview(client, admin, schedule, "2026-03-02", "2026-03-08")  # Mon..Sun
    assert [day["hours"] for day in preview["days"]] == ["9.00"] * 6 + ["0.00"]
    assert preview["days"][0]["shifts"][0]["local_start"] == "2026-03-02T09:00:00-08:00"
    assert preview["weeks"] == [{"week": "2026-W10", "hours": "54.00", "overtime_hours": "14.00"}]
    assert (preview["hours"], preview["overtime_hours"], preview["scheduled_days"]) == (
        "54.00",
        "14.00",
        6,
    )
    assert preview["conflicts"] == 0


async def test_weekly_offs_and_exceptions_override_and_clashes_are_reported(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    day = await make_shift(client, admin, LA, "09:00", "17:00")
    late = await make_shift(client, admin, LA, "14:00", "22:00", name="Late")
    schedule = await make_schedule(client, admin, ADVISOR_LA, day)
    off = await client.post(
        "/api/attendance/admin/weekoffs",
        json={"person_id": ADVISOR_LA.user_id, "weekday": 2, "effective_from": "2026-01-01"},
        headers=admin,
    )
    assert off.status_code == 201, off.text
    for body in (
        {"kind": "leave", "person_id": ADVISOR_LA.user_id, "date_from": "2026-03-04"},  # a Wed off
        {"kind": "holiday", "date_from": "2026-03-05"},  # the whole store
        {
            "kind": "swap",
            "person_id": ADVISOR_LA.user_id,
            "date_from": "2026-03-06",
            "shift_id": late["id"],
        },
    ):
        made = await client.post(
            "/api/attendance/admin/exceptions", json={"store_id": str(LA), **body}, headers=admin
        )
        assert made.status_code == 201, made.text
    preview = await _preview(client, admin, schedule, "2026-03-03", "2026-03-06")
    days = {d["date"]: d for d in preview["days"]}
    assert days["2026-03-03"]["off"] is None and days["2026-03-03"]["hours"] == "8.00"
    assert days["2026-03-04"]["off"] == "leave"
    assert days["2026-03-04"]["conflicts"] == ["weekly off clashes with a leave exception"]
    assert days["2026-03-05"]["off"] == "holiday" and days["2026-03-05"]["shifts"] == []
    [swapped] = days["2026-03-06"]["shifts"]
    assert (swapped["name"], swapped["source"]) == ("Late", "swap")
    assert preview["conflicts"] == 1


async def test_overlapping_shifts_are_conflicts_even_across_midnight(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    night = await make_shift(client, admin, LA, "22:00", "06:00", overnight=True, name="Night")
    early = await make_shift(client, admin, LA, "05:00", "13:00", name="Early")
    mid = await make_shift(client, admin, LA, "12:00", "20:00", name="Mid")
    schedule = await make_schedule(client, admin, ADVISOR_LA, night, weekdays=[0])  # Mondays
    await make_schedule(client, admin, ADVISOR_LA, early, weekdays=[1])  # Tuesdays
    await make_schedule(client, admin, ADVISOR_LA, mid, weekdays=[1])
    preview = await _preview(client, admin, schedule, "2026-03-02", "2026-03-03")
    tuesday = preview["days"][1]
    assert tuesday["conflicts"] == [
        "overlapping shifts: Early of 2026-03-03 (05:00-13:00) and Mid of 2026-03-03 (12:00-20:00)",
        "overlapping shifts: Night of 2026-03-02 (22:00-06:00) and Early of 2026-03-03 (05:00-13:00)",
    ]


async def test_the_preview_of_a_dst_week_counts_real_hours(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    night = await make_shift(client, admin, LA, "22:00", "06:00", overnight=True)
    schedule = await make_schedule(client, admin, ADVISOR_LA, night, weekdays=[5])  # Saturdays
    spring = await _preview(client, admin, schedule, "2026-03-07", "2026-03-07")
    autumn = await _preview(client, admin, schedule, "2026-10-31", "2026-10-31")
    assert (spring["hours"], autumn["hours"]) == ("7.00", "9.00")


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"date_from": "2026-03-10", "date_to": "2026-03-01"}, "date_to"),
        ({"date_from": "2026-01-01", "date_to": "2026-06-30"}, "date_to"),
        ({"date_from": "2026-01-01"}, "date_to"),
    ],
    ids=["backwards", "too-long", "missing"],
)
async def test_a_bad_range_is_named(
    client: httpx.AsyncClient, admin: dict[str, str], params: dict[str, str], field: str
) -> None:
    shift = await make_shift(client, admin, LA, "09:00", "17:00")
    schedule = await make_schedule(client, admin, ADVISOR_LA, shift)
    response = await client.get(
        f"/api/attendance/admin/schedules/{schedule['id']}/preview", params=params, headers=admin
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == field
