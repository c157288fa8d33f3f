"""attendance: a check-in with a 1 MB selfie (straight to the service and through the
gateway), and the monthly store report of 50 advisors x 31 days.

The service runs as in production (``shopfloor-attendance serve``, its own migrated
database, JetStream, Caddy in front with the Caddyfile ``make up`` renders), signed tokens
of the run's own key. Seeded straight into attendance's database with its own models:

- store ``BENCH-RPT`` (America/Los_Angeles) with ``--advisors`` advisors on a Mon-Sun
  09:00-17:00 roster and an hourly payroll profile, and for each of them every day of
  March 2026 worked: a closed record matched to the day's shift, late on every 5th day,
  leaving early on every 6th, with overtime approved on every 7th (its approval row);
- store ``BENCH-PUNCH`` (same zone, catalog's 150 m circle) whose ``--punches`` x 2 (+
  warm-up) people are on a roster of their own, so every check-in reads a real roster.

1. **Check-in.** ``POST /api/attendance/check-in`` (multipart: the store's coordinates, a
   12 m accuracy and a ``--selfie-kb`` JPEG of noise, so it does not compress), each
   request by another person (one may be clocked in once), ``--concurrency`` at a time:
   ``--warmup`` unmeasured, ``--punches`` measured, direct first, then through the gateway.
   Every measured request must answer 201; at the end the database must hold one open
   record and one selfie per check-in.
2. **Monthly report.** ``GET /api/attendance/reports/store/{id}?month=2026-03`` as a system
   admin, one at a time: ``--warmup`` unmeasured, ``--report-requests`` measured, both
   paths. The report must list every advisor with 31 days present.
"""

from __future__ import annotations

import contextlib
import io
import os
import random
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as wall
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PIL import Image
from sqlalchemy import func, select

from common.config import normalise_database_url
from common.db import Database
from shopfloor_bench.engines import Backends
from shopfloor_bench.events_relay import BenchmarkFailed
from shopfloor_bench.http import RequestSpec, Result, run_load
from shopfloor_bench.pos import own_streams
from shopfloor_bench.report import Ratio, ratio
from shopfloor_bench.services import (
    access_token,
    admin_token,
    error_lines,
    public_pem,
    serve_gateway,
    serve_service,
    service_database,
    with_log_tail,
)

DEFAULT_ADVISORS = 50
DEFAULT_PUNCHES = 100  # measured check-ins per path
DEFAULT_WARMUP = 5
DEFAULT_CONCURRENCY = 4
DEFAULT_REPORT_REQUESTS = 30
DEFAULT_SELFIE_KB = 1024
DEFAULT_RANDOM_SEED = 20_260_301
MONTH = "2026-03"
FIRST, LAST = date(2026, 3, 1), date(2026, 3, 31)
ZONE = "America/Los_Angeles"
POINT = (34.0522, -118.2437)
SERVICE_STREAMS = ("attendance", "catalog", "auth")

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Sizes:
    advisors: int = DEFAULT_ADVISORS
    punches: int = DEFAULT_PUNCHES
    warmup: int = DEFAULT_WARMUP
    concurrency: int = DEFAULT_CONCURRENCY
    report_requests: int = DEFAULT_REPORT_REQUESTS
    selfie_kb: int = DEFAULT_SELFIE_KB

    def __post_init__(self) -> None:
        if min(self.advisors, self.punches, self.concurrency, self.report_requests) < 1:
            raise ValueError(
                "advisors, punches, concurrency and report requests must be at least 1"
            )
        if self.warmup < 0 or self.selfie_kb < 1:
            raise ValueError("warmup must not be negative and the selfie at least 1 KB")

    @property
    def punchers(self) -> int:
        """People who check in: one each, both paths, warm-up included."""
        return 2 * (self.warmup + self.punches)


@dataclass(frozen=True)
class Seeded:
    report_store: uuid.UUID
    punch_store: uuid.UUID
    advisors: list[str]
    punchers: list[str]
    seconds: float

    def to_dict(self) -> dict[str, object]:
        return {
            "scenario": "attendance seed (ORM, one transaction)",
            "advisors": len(self.advisors),
            "records": len(self.advisors) * ((LAST - FIRST).days + 1),
            "punchers": len(self.punchers),
            "seconds": self.seconds,
        }


def noise_jpeg(kilobytes: int, random_seed: int) -> bytes:
    """A JPEG of random pixels about ``kilobytes`` KB big (noise does not compress)."""
    rng = random.Random(random_seed)
    target = kilobytes * 1024
    side = 256
    while True:
        width, height = side * 4 // 3, side
        image = Image.frombytes("RGB", (width, height), rng.randbytes(width * height * 3))
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=90)
        if out.tell() >= target or side >= 4096:
            return out.getvalue()
        side = int(side * max(1.05, (target / out.tell()) ** 0.5))


def multipart(fields: dict[str, str], selfie: bytes) -> tuple[bytes, str]:
    """The body a phone sends: the form fields and the selfie, and its Content-Type."""
    boundary = f"shopfloor-bench-{uuid.uuid4().hex}"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="selfie"; filename="me.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n".encode()
        + selfie
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


async def seed(database_url: str, sizes: Sizes, random_seed: int) -> Seeded:
    """The two stores, their people, rosters, pay and March's records (see the module)."""
    from attendance.models import (
        Approval,
        PayrollProfile,
        Person,
        Schedule,
        Shift,
        Store,
        TimeEntry,
    )
    from attendance.punches.models import ApprovalKind, ApprovalStatus, EntrySource, EntryStatus
    from attendance.shifts.instances import instant

    rng = random.Random(random_seed)
    started = time.perf_counter()
    zone = ZoneInfo(ZONE)
    now = datetime.now(UTC)
    report_store, punch_store = uuid.UUID(int=rng.getrandbits(128), version=4), uuid.uuid4()
    advisors = [f"bench-advisor-{n:03d}" for n in range(sizes.advisors)]
    punchers = [f"bench-puncher-{n:04d}" for n in range(sizes.punchers)]
    database = Database(normalise_database_url(database_url), pool_size=1)
    try:
        async with database.session() as session:
            for store_id, code in ((report_store, "BENCH-RPT"), (punch_store, "BENCH-PUNCH")):
                session.add(
                    Store(
                        id=store_id,
                        code=code,
                        name=code,
                        time_zone=ZONE,
                        latitude=POINT[0],
                        longitude=POINT[1],
                        geofence_radius_m=150,
                        synced_at=now,
                    )
                )
            await session.flush()
            shifts = {
                store: Shift(
                    id=uuid.uuid4(),
                    store_id=store,
                    name="Day",
                    start_time=wall(9),
                    end_time=wall(17),
                    break_minutes=30,
                    break_after_minutes=360,
                    overtime_after_minutes=15,
                )
                for store in (report_store, punch_store)
            }
            session.add_all(shifts.values())
            await session.flush()
            for store, people in ((report_store, advisors), (punch_store, punchers)):
                for person in people:
                    session.add(
                        Person(
                            id=person,
                            email=f"{person}@bench.example",
                            first_name=person,
                            role="advisor",
                            store_ids=[str(store)],
                            synced_at=now,
                        )
                    )
                    session.add(
                        Schedule(
                            person_id=person,
                            store_id=store,
                            shift_id=shifts[store].id,
                            weekdays=list(range(7)),
                            effective_from=date(2026, 1, 1),
                        )
                    )
            for person in advisors:
                session.add(
                    PayrollProfile(
                        person_id=person,
                        pay_type="hourly",
                        hourly_rate=Decimal("21.50"),
                        currency="USD",
                        effective_from=date(2026, 1, 1),
                    )
                )
            await session.flush()
            day = FIRST
            while day <= LAST:
                start, end = instant(day, wall(9), zone), instant(day, wall(17), zone)
                for number, person in enumerate(advisors):
                    turn = day.day + number
                    late = timedelta(minutes=12) if turn % 5 == 0 else timedelta(0)
                    early = timedelta(minutes=40) if turn % 6 == 0 else timedelta(0)
                    overtime = timedelta(minutes=45) if turn % 7 == 0 else timedelta(0)
                    clock_out = end - early + overtime
                    entry = TimeEntry(
                        id=uuid.uuid4(),
                        person_id=person,
                        store_id=report_store,
                        work_date=day,
                        source=EntrySource.selfie,
                        status=EntryStatus.completed,
                        clock_in=start + late,
                        clock_out=clock_out,
                        break_minutes=30,
                        shift_id=shifts[report_store].id,
                        shift_name="Day",
                        shift_start=start,
                        shift_end=end,
                        late_seconds=int(late.total_seconds()),
                        early_leave_seconds=int(early.total_seconds()),
                        overtime_seconds=int(overtime.total_seconds()),
                        ot_requested=bool(overtime),
                        approved_overtime_seconds=int(overtime.total_seconds()),
                        check_in_latitude=POINT[0],
                        check_in_longitude=POINT[1],
                        check_in_accuracy_m=10.0,
                        check_in_distance_m=3.0,
                        approvals=[],
                    )
                    if overtime:
                        entry.approvals.append(
                            Approval(
                                person_id=person,
                                store_id=report_store,
                                kind=ApprovalKind.overtime,
                                punch="check_out",
                                status=ApprovalStatus.approved,
                                overtime_seconds=int(overtime.total_seconds()),
                                decided_by="bench-head",
                                decided_at=clock_out,
                            )
                        )
                    session.add(entry)
                day += timedelta(days=1)
    finally:
        await database.dispose()
    return Seeded(report_store, punch_store, advisors, punchers, time.perf_counter() - started)


@contextlib.contextmanager
def selfie_folder(directory: Path) -> Iterator[Path]:
    """ATTACHMENTS_DIR of the served service for the run (``serve_service`` passes our
    environment on)."""
    folder = directory / "selfies"
    before = os.environ.get("ATTACHMENTS_DIR")
    os.environ["ATTACHMENTS_DIR"] = str(folder)
    try:
        yield folder
    finally:
        if before is None:
            os.environ.pop("ATTACHMENTS_DIR", None)
        else:
            os.environ["ATTACHMENTS_DIR"] = before


@dataclass
class AttendanceReport:
    sizes: Sizes
    seeded: Seeded
    selfie_bytes: int
    check_in: dict[str, Result] = field(default_factory=dict)
    report: dict[str, Result] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    service_errors: list[str] = field(default_factory=list)

    def ratios(self) -> list[Ratio]:
        return [
            ratio(self.check_in["gateway"], self.check_in["direct"], "check-in: gateway vs direct"),
            ratio(
                self.report["gateway"], self.report["direct"], "monthly report: gateway vs direct"
            ),
        ]

    def rows(self) -> list[dict[str, object]]:
        rows: list[dict[str, object]] = []
        for results in (self.check_in, self.report):
            for result in results.values():
                row = result.to_dict()
                row.pop("statuses")
                rows.append(row)
        return rows

    def json_rows(self) -> list[dict[str, object]]:
        return [
            self.seeded.to_dict(),
            *(result.to_dict() for result in (*self.check_in.values(), *self.report.values())),
            *(r.to_dict() for r in self.ratios()),
        ]


def _check_in_specs(
    base: str, key: Ed25519PrivateKey, seeded: Seeded, people: list[str], body: bytes, kind: str
) -> Callable[[int], RequestSpec]:
    tokens = [
        access_token(key, subject=person, role="advisor", stores=[str(seeded.punch_store)])
        for person in people
    ]

    def spec(index: int) -> RequestSpec:
        return RequestSpec(
            "POST",
            f"{base}/api/attendance/check-in",
            headers={"Authorization": f"Bearer {tokens[index]}", "Content-Type": kind},
            body=body,
        )

    return spec


async def _verify(
    database_url: str, seeded: Seeded, checked_in: int, reports: list[dict[str, Any]]
) -> list[str]:
    from attendance.models import Selfie, TimeEntry

    problems = []
    database = Database(normalise_database_url(database_url), pool_size=1)
    try:
        async with database.session() as session:
            open_entries = await session.scalar(
                select(func.count())
                .select_from(TimeEntry)
                .where(TimeEntry.store_id == seeded.punch_store, TimeEntry.clock_out.is_(None))
            )
            selfies = await session.scalar(select(func.count()).select_from(Selfie))
    finally:
        await database.dispose()
    if open_entries != checked_in or selfies != checked_in:
        problems.append(
            f"{checked_in} check-ins answered 201, but the database holds {open_entries} open "
            f"records and {selfies} selfies"
        )
    for report in reports:
        rows = {row["person_id"]: row for row in report["people"]}
        wrong = [p for p in seeded.advisors if rows.get(p, {}).get("days_present") != 31]
        if len(rows) != len(seeded.advisors) or wrong:
            problems.append(f"the report lists {len(rows)} people; wrong days for {wrong[:3]}")
            break
    return problems


async def run_attendance(
    backend: Backends,
    *,
    sizes: Sizes | None = None,
    random_seed: int = DEFAULT_RANDOM_SEED,
    keep_database: bool = False,
    progress: Progress | None = None,
) -> AttendanceReport:
    """Seed, serve attendance and the gateway, check in both ways, read the report both ways."""
    say = progress or (lambda _message: None)
    sizes = sizes or Sizes()
    key = Ed25519PrivateKey.generate()
    async with (
        own_streams(backend.nats_url, SERVICE_STREAMS),
        service_database(backend.postgres_url, "attendance", keep=keep_database) as url,
    ):
        seeded = await seed(url, sizes, random_seed)
        say(f"seeded {sizes.advisors} advisors x 31 days and {sizes.punchers} people to check in")
        selfie = noise_jpeg(sizes.selfie_kb, random_seed)
        body, kind = multipart(
            {"latitude": str(POINT[0]), "longitude": str(POINT[1]), "accuracy": "12"}, selfie
        )
        report = AttendanceReport(sizes, seeded, len(selfie))
        with (
            tempfile.TemporaryDirectory(prefix="sf-bench-att-") as directory,
            selfie_folder(Path(directory)),
        ):
            log = Path(directory, "attendance.log")
            async with (
                with_log_tail("attendance", log),
                serve_service("attendance", url, backend.nats_url, public_pem(key), log) as direct,
                serve_gateway(
                    {"attendance": direct.removeprefix("http://")}, Path(directory)
                ) as gateway,
            ):
                say(f"attendance serving on {direct}, the gateway (Caddy) on {gateway}")
                people = iter(seeded.punchers)
                bodies: list[dict[str, Any]] = []
                for path, base in (("direct", direct), ("gateway", gateway)):
                    mine = [next(people) for _ in range(sizes.warmup + sizes.punches)]
                    say(
                        f"check-in {path}: {sizes.warmup} + {sizes.punches}, {len(selfie):,} B selfie"
                    )
                    report.check_in[path] = await run_load(
                        _check_in_specs(base, key, seeded, mine, body, kind),
                        name=f"check-in, {len(selfie) // 1024} KB selfie ({path})",
                        concurrency=sizes.concurrency,
                        count=sizes.punches,
                        warmup=sizes.warmup,
                        timeout=60.0,
                        ok=lambda status: status == 201,
                    )
                admin = {"Authorization": f"Bearer {admin_token(key)}"}
                for path, base in (("direct", direct), ("gateway", gateway)):
                    target = (
                        f"{base}/api/attendance/reports/store/{seeded.report_store}?month={MONTH}"
                    )
                    say(f"monthly report {path}: {sizes.warmup} + {sizes.report_requests}")
                    report.report[path] = await run_load(
                        [RequestSpec("GET", target, headers=admin)],
                        name=f"store report {sizes.advisors} x 31 days ({path})",
                        concurrency=1,
                        count=sizes.report_requests,
                        warmup=sizes.warmup,
                        timeout=60.0,
                    )
                    async with httpx.AsyncClient(timeout=60.0, trust_env=False) as client:
                        bodies.append((await client.get(target, headers=admin)).json())
            report.service_errors = error_lines(log)
        for result in (*report.check_in.values(), *report.report.values()):
            if result.errors:
                report.problems.append(
                    f"{result.name}: {result.errors} failed ({dict(result.statuses)})"
                )
        checked_in = sum(int(r.statuses.get("201", 0)) for r in report.check_in.values())
        checked_in += 2 * sizes.warmup  # the warm-up check-ins were real ones too
        report.problems += await _verify(url, seeded, checked_in, bodies)
    if report.problems:
        raise BenchmarkFailed("\n".join(report.problems))
    return report
