"""Checking in and out: the geofence and the store's policy, bad input refused with nothing
stored, and one record behind both seed 000's and seed 002's APIs."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import httpx
import pytest
from sqlalchemy import func, select

from attendance.geofences.geometry import EARTH_RADIUS_M
from attendance.models import Base, Selfie, TimeEntry
from common.db import Database
from common.testing.helpers import read_events
from common.testing.permissions import snapshot
from tests.conftest import ADVISOR_LA, HEAD_LA, LA, LA_POINT, Staff, photo, punch

pytestmark = pytest.mark.usefixtures("stores")
Headers = Callable[[Staff], dict[str, str]]


def north(metres: float) -> tuple[float, float]:
    return LA_POINT[0] + math.degrees(metres / EARTH_RADIUS_M), LA_POINT[1]


async def test_inside_the_store_circle_the_punch_is_accepted_and_announced(
    client: httpx.AsyncClient, headers: Headers, nats_url: str
) -> None:
    since = time.time()
    entry = (await punch(client, "check-in", headers(ADVISOR_LA), north(149), accuracy=10)).json()
    assert entry["approvals"] == [] and entry["store_id"] == str(LA)
    assert entry["check_in"]["distance_m"] == pytest.approx(149, abs=0.2)
    assert entry["check_in"]["selfie_url"].startswith("/api/attendance/selfies/")
    [event] = await read_events(nats_url, "attendance.punch.recorded", since=since)
    assert event.data["entry_id"] == entry["id"] and event.data["punch"] == "check_in"
    assert event.data["pending_exceptions"] == 0 and event.actor == ADVISOR_LA.user_id


async def test_outside_the_geofence_is_a_pending_exception_with_the_distance(
    client: httpx.AsyncClient, headers: Headers, nats_url: str
) -> None:
    since = time.time()
    response = await punch(client, "check-in", headers(ADVISOR_LA), north(420), accuracy=8)
    assert response.status_code == 201, response.text
    [approval] = response.json()["approvals"]
    assert (approval["kind"], approval["status"]) == ("outside_geofence", "pending")
    assert approval["distance_m"] == pytest.approx(420, abs=0.5)
    assert approval["radius_m"] == 150 and approval["fence"] == "store location (catalog)"
    listed = await client.get("/api/attendance/approvals", headers=headers(HEAD_LA))
    assert [a["id"] for a in listed.json()["results"]] == [approval["id"]]
    raised = await read_events(nats_url, "attendance.exception.raised", since=since)
    assert [e.data["approval_id"] for e in raised] == [approval["id"]]


async def test_an_accuracy_larger_than_the_radius_is_held_for_a_manager(
    client: httpx.AsyncClient, headers: Headers
) -> None:
    entry = (await punch(client, "check-in", headers(ADVISOR_LA), LA_POINT, accuracy=500)).json()
    [approval] = entry["approvals"]
    assert (approval["kind"], approval["accuracy_m"], approval["radius_m"]) == (
        "low_accuracy",
        500,
        150,
    )


async def test_a_store_that_refuses_stores_nothing_and_says_how_far(
    client: httpx.AsyncClient, admin: dict[str, str], headers: Headers, database: Database
) -> None:
    policy = await client.patch(
        f"/api/attendance/admin/policies/{LA}", json={"outside_geofence": "refuse"}, headers=admin
    )
    assert policy.status_code == 200, policy.text
    before = await snapshot(database, Base.metadata)
    refused = await punch(client, "check-in", headers(ADVISOR_LA), north(1000))
    assert refused.status_code == 422
    [problem] = refused.json()["detail"]
    assert problem["field"] == "latitude" and "1000 m" in problem["msg"]
    assert await snapshot(database, Base.metadata) == before


async def test_a_polygon_geofence_of_the_store_accepts_its_inside(
    client: httpx.AsyncClient, admin: dict[str, str], headers: Headers
) -> None:
    lat, lon = LA_POINT[0] + 0.01, LA_POINT[1]  # 1.1 km north: outside catalog's circle
    square = [
        {"latitude": lat - 0.001, "longitude": lon - 0.001},
        {"latitude": lat - 0.001, "longitude": lon + 0.001},
        {"latitude": lat + 0.001, "longitude": lon + 0.001},
        {"latitude": lat + 0.001, "longitude": lon - 0.001},
    ]
    made = await client.post(
        "/api/attendance/admin/geofences",
        json={"store_id": str(LA), "name": "Warehouse", "kind": "polygon", "points": square},
        headers=admin,
    )
    assert made.status_code == 201, made.text
    entry = (await punch(client, "check-in", headers(ADVISOR_LA), (lat, lon), accuracy=20)).json()
    assert entry["approvals"] == []
    assert entry["check_in"]["distance_m"] == 0


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"latitude": "90.5", "longitude": "0"}, "latitude"),
        ({"latitude": "0", "longitude": "-180.1"}, "longitude"),
        ({"latitude": "NaN", "longitude": "0"}, "latitude"),
        ({"latitude": "12", "longitude": "inf"}, "longitude"),
        ({"latitude": "12", "longitude": "12", "accuracy": "-1"}, "accuracy"),
        ({"longitude": "12"}, "latitude"),
    ],
    ids=["lat>90", "lon<-180", "NaN", "inf", "accuracy<0", "no-lat"],
)
async def test_bad_coordinates_are_named_and_nothing_is_stored(
    client: httpx.AsyncClient,
    headers: Headers,
    database: Database,
    fields: dict[str, str],
    field: str,
) -> None:
    files = {"selfie": ("s.jpg", b"\xff\xd8", "image/jpeg")}
    response = await client.post(
        "/api/attendance/check-in", data=fields, files=files, headers=headers(ADVISOR_LA)
    )
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["detail"]] == [field]
    async with database.session() as session:
        assert await session.scalar(select(func.count()).select_from(TimeEntry)) == 0


async def test_a_second_check_in_and_a_check_out_without_one_are_refused(
    client: httpx.AsyncClient, headers: Headers, database: Database
) -> None:
    nobody = await punch(client, "check-out", headers(ADVISOR_LA), LA_POINT)
    assert nobody.status_code == 409 and "not clocked in" in nobody.json()["detail"]
    assert (await punch(client, "check-in", headers(ADVISOR_LA), LA_POINT)).status_code == 201
    twice = await punch(client, "check-in", headers(ADVISOR_LA), LA_POINT)
    assert twice.status_code == 409 and "already clocked in" in twice.json()["detail"]
    async with database.session() as session:
        assert await session.scalar(select(func.count()).select_from(TimeEntry)) == 1
        assert await session.scalar(select(func.count()).select_from(Selfie)) == 1


async def test_a_selfie_check_in_is_the_hr_entry_and_an_hr_clock_in_is_the_record(
    client: httpx.AsyncClient, headers: Headers
) -> None:
    advisor = headers(ADVISOR_LA)
    entry = (await punch(client, "check-in", advisor, LA_POINT)).json()
    current = await client.get("/api/hr/time-entries/current", headers=advisor)
    assert current.status_code == 200 and current.json()["id"] == entry["id"]
    assert current.json()["source"] == "selfie"
    refused = await client.post("/api/hr/time-entries/", headers=advisor)
    assert refused.status_code == 409  # one open record, whichever API opened it
    out = await client.post(
        f"/api/hr/time-entries/{entry['id']}/clock_out/", json={"break_minutes": 0}, headers=advisor
    )
    assert out.status_code == 200, out.text

    clocked = await client.post("/api/hr/time-entries", headers=advisor)  # empty body
    assert clocked.status_code == 201, clocked.text
    assert clocked.json()["employee"] == ADVISOR_LA.user_id and clocked.json()["source"] == "hr"
    today = (await client.get("/api/attendance/me/today", headers=advisor)).json()
    assert today["clocked_in"] is True
    assert {e["id"] for e in today["entries"]} == {entry["id"], clocked.json()["id"]}
    twice = await punch(client, "check-in", advisor, LA_POINT)
    assert twice.status_code == 409


async def test_an_hr_clock_in_where_the_store_wants_a_location_follows_its_policy(
    client: httpx.AsyncClient, admin: dict[str, str], headers: Headers, database: Database
) -> None:
    await client.patch(
        f"/api/attendance/admin/policies/{LA}", json={"unlocated_clock_in": "refuse"}, headers=admin
    )
    before = await snapshot(database, Base.metadata)
    refused = await client.post("/api/hr/time-entries", headers=headers(ADVISOR_LA))
    assert refused.status_code == 422 and "location" in refused.json()["detail"]
    assert await snapshot(database, Base.metadata) == before
    await client.patch(
        f"/api/attendance/admin/policies/{LA}",
        json={"unlocated_clock_in": "pending"},
        headers=admin,
    )
    held = await client.post("/api/hr/time-entries", headers=headers(ADVISOR_LA))
    assert held.status_code == 201 and held.json()["pending_exceptions"] == 1


async def test_a_nul_in_the_overtime_reason_or_a_bad_store_is_named(
    client: httpx.AsyncClient, headers: Headers
) -> None:
    advisor = headers(ADVISOR_LA)
    files = {"selfie": ("s.jpg", b"\xff\xd8", "image/jpeg")}
    point = {"latitude": str(LA_POINT[0]), "longitude": str(LA_POINT[1])}
    nul = await client.post(
        "/api/attendance/check-out",
        data={**point, "ot_reason": "late\x00"},
        files=files,
        headers=advisor,
    )
    assert nul.status_code == 422 and nul.json()["detail"][0]["field"] == "ot_reason"
    store = await client.post(
        "/api/attendance/check-in", data={**point, "store_id": "nope"}, files=files, headers=advisor
    )
    assert store.status_code == 422 and store.json()["detail"][0]["field"] == "store_id"
    elsewhere = await client.post(
        "/api/attendance/check-in",
        data={**point, "store_id": "0000000b-0000-4000-8000-00000000000b"},
        files={"selfie": ("s.jpg", photo(), "image/jpeg")},
        headers=advisor,
    )
    assert elsewhere.status_code == 403
