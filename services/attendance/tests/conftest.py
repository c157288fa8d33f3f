"""attendance test fixtures: the shared ones of common.testing.service; two stores as catalog
announced them (Los Angeles and Kolkata) and their staff as auth announced them (most tests
arrange the read-model rows; tests/events proves the events build them); a settable clock;
selfies; and the calls most tests make."""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from PIL import Image

from attendance.config import AttendanceSettings
from attendance.main import build_app
from attendance.models import Base, Person, Store
from common.db import Database
from common.roles import Role
from common.testing.service import ServiceUnderTest

pytest_plugins = ["common.testing.plugin", "common.testing.service"]

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"
LA = uuid.UUID("0000000a-0000-4000-8000-00000000000a")  # America/Los_Angeles
IN = uuid.UUID("0000000b-0000-4000-8000-00000000000b")  # Asia/Kolkata
LA_POINT = (34.052200, -118.243700)
IN_POINT = (12.971600, 77.594600)
RADIUS_M = 150


@pytest.fixture(scope="session")
def service_under_test() -> ServiceUnderTest:
    return ServiceUnderTest(
        package="attendance",
        migrations=MIGRATIONS,
        metadata=Base.metadata,
        settings_class=AttendanceSettings,
        build_app=build_app,
    )


@pytest.fixture
def settings_overrides(tmp_path: Path) -> dict[str, Any]:
    return {"attachments_dir": tmp_path / "selfies"}


@dataclass(frozen=True)
class Staff:
    user_id: str
    role: Role
    store: uuid.UUID | None


ADVISOR_LA = Staff("advisor-la", Role.advisor, LA)
HEAD_LA = Staff("head-la", Role.branch_head, LA)
ADVISOR_IN = Staff("advisor-in", Role.advisor, IN)
HEAD_IN = Staff("head-in", Role.branch_head, IN)
ADMIN = Staff("admin-1", Role.system_admin, None)
STAFF = (ADVISOR_LA, HEAD_LA, ADVISOR_IN, HEAD_IN)


async def open_stores(database: Database) -> None:
    """Both stores and their staff, as catalog's and auth's events would have stored them."""
    now = datetime.now(UTC)
    async with database.session() as session:
        session.add_all(
            [
                Store(
                    id=LA,
                    code="LA-01",
                    name="Venice Beach",
                    time_zone="America/Los_Angeles",
                    latitude=LA_POINT[0],
                    longitude=LA_POINT[1],
                    geofence_radius_m=RADIUS_M,
                    synced_at=now,
                ),
                Store(
                    id=IN,
                    code="BLR-01",
                    name="MG Road",
                    time_zone="Asia/Kolkata",
                    latitude=IN_POINT[0],
                    longitude=IN_POINT[1],
                    geofence_radius_m=RADIUS_M,
                    synced_at=now,
                ),
            ]
        )
        await session.flush()
        session.add_all(
            [
                Person(
                    id=person.user_id,
                    email=f"{person.user_id}@shop.example",
                    first_name=person.user_id.split("-")[0].title(),
                    last_name=person.user_id.split("-")[1].upper(),
                    role=person.role,
                    store_ids=[str(person.store)] if person.store else [],
                    synced_at=now,
                )
                for person in (*STAFF, ADMIN)
            ]
        )


@pytest.fixture
async def stores(database: Database) -> None:
    await open_stores(database)


@pytest.fixture
def headers(auth_headers: Callable[..., dict[str, str]]) -> Callable[[Staff], dict[str, str]]:
    def of(person: Staff) -> dict[str, str]:
        stores = [str(person.store)] if person.store else []
        return auth_headers(person.role, user_id=person.user_id, stores=stores)

    return of


@dataclass
class Clock:
    """The app's clock, set by the test (``app.state.clock``)."""

    now: datetime = field(default_factory=lambda: datetime.now(UTC))

    def __call__(self) -> datetime:
        return self.now

    def set(self, moment: datetime) -> None:
        if moment.tzinfo is None:
            raise ValueError("give the clock an aware datetime")
        self.now = moment.astimezone(UTC)


@pytest.fixture
def clock(app: FastAPI) -> Clock:
    found = Clock()
    app.state.clock = found
    return found


def photo(
    fmt: str = "JPEG", size: tuple[int, int] = (320, 240), exif: bytes | None = None
) -> bytes:
    """A small photo; ``exif`` embeds metadata (``gps_exif()``)."""
    image = Image.new("RGB", size, (180, 120, 90))
    out = io.BytesIO()
    if exif is not None:
        image.save(out, format=fmt, exif=exif)
    else:
        image.save(out, format=fmt)
    return out.getvalue()


def gps_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Model X"  # Model
    exif[0x8825] = {1: "N", 2: (34.0, 3.0, 7.92), 3: "W", 4: (118.0, 14.0, 37.32)}  # GPSInfo
    return exif.tobytes()


async def punch(
    client: httpx.AsyncClient,
    route: str,
    headers: dict[str, str],
    point: tuple[float, float],
    *,
    accuracy: float | None = None,
    selfie: bytes | None = None,
    **fields: str,
) -> httpx.Response:
    """POST /api/attendance/check-in or check-out, multipart, as the app sends it."""
    data = {"latitude": str(point[0]), "longitude": str(point[1]), **fields}
    if accuracy is not None:
        data["accuracy"] = str(accuracy)
    files = {"selfie": ("selfie.jpg", selfie if selfie is not None else photo(), "image/jpeg")}
    return await client.post(f"/api/attendance/{route}", data=data, files=files, headers=headers)


async def make_shift(
    client: httpx.AsyncClient,
    admin: dict[str, str],
    store: uuid.UUID,
    start: str,
    end: str,
    **rules: Any,
) -> dict[str, Any]:
    body = {
        "store_id": str(store),
        "name": rules.pop("name", f"{start}-{end}"),
        "start_time": start,
    }
    body |= {"end_time": end, **rules}
    made = await client.post("/api/attendance/admin/shifts", json=body, headers=admin)
    assert made.status_code == 201, made.text
    return dict(made.json())


async def make_schedule(
    client: httpx.AsyncClient,
    admin: dict[str, str],
    person: Staff,
    shift: dict[str, Any],
    *,
    weekdays: list[int] | None = None,
    effective_from: str = "2026-01-01",
) -> dict[str, Any]:
    body = {
        "person_id": person.user_id,
        "store_id": shift["store_id"],
        "shift_id": shift["id"],
        "weekdays": weekdays if weekdays is not None else list(range(7)),
        "effective_from": effective_from,
    }
    made = await client.post("/api/attendance/admin/schedules", json=body, headers=admin)
    assert made.status_code == 201, made.text
    return dict(made.json())
