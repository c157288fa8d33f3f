"""revocation-delay: from auth ending a session to another service refusing its token, per process.

DESIGN.md: logout, a password change or reset, a role or store change and
deactivation end the affected sessions everywhere within a second
(``common.revocations``). This measures it as a client would see it.

Runs on the event benchmarks' servers (``engines.backends()``). auth gets a
database of its own and is served as ``make up`` does (``prestart`` creates the
admin, ``serve``); catalog gets one database and **two processes** on it, as two
replicas or uvicorn workers would: they share one durable consumer, so only one
of them consumes each of auth's events, and the other must learn it from the
NOTIFY of that consumer's transaction. The NATS must not hold an ``AUTH`` or
``CATALOG`` stream yet (the run's services own them and they are deleted at the
end).

Arrange: ``--users`` users created through auth's API by the admin, each logged
in; every token is then checked on both catalog processes (``GET /api/units``,
which needs a login) until both answer 200, so their read-models know every user.

Measure: ``--revocations`` times, one at a time, a user's session is ended in
turn by a logout (``auth.session.revoked``), a role change by the admin and a
password change (both ``auth.user.tokens_invalidated``). From the moment auth's
answer arrives (the revocation is committed) both catalog processes are asked
with the ended token every ``POLL_S`` until each answers 401; the delay of each
process is the time to its first 401. Exit 1 if a token is still accepted after
``--timeout`` seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from nats.js.errors import NotFoundError

from common.events.bus import NatsBus
from common.events.envelope import stream_name
from shopfloor_bench.auth_me import BENCH_PASSWORD, DEFAULT_EMAIL, serve_auth
from shopfloor_bench.engines import Backends
from shopfloor_bench.events_relay import BenchmarkFailed
from shopfloor_bench.services import public_pem, serve_service, service_database
from shopfloor_bench.stats import LatencyStats

DEFAULT_REVOCATIONS = 50
DEFAULT_TIMEOUT_S = 10.0
POLL_S = 0.005
TARGET_S = 1.0
PASSWORD = "a long bench passphrase 2"
NEW_PASSWORD = "another long bench passphrase 3"
PROBE = "/api/units"
KINDS = ("logout", "role change", "password change")
STREAMS = ("auth", "catalog")

Progress = Callable[[str], None]


@dataclass
class Session:
    email: str
    user_id: str
    access: str
    refresh: str


@dataclass
class Revocation:
    kind: str
    delays_ms: list[float]  # one per catalog process, in process order


@dataclass
class DelayReport:
    processes: int
    revocations: list[Revocation] = field(default_factory=list)

    def per_process(self) -> list[LatencyStats]:
        return [
            LatencyStats.of(item.delays_ms[index] for item in self.revocations)
            for index in range(self.processes)
        ]

    def slowest(self) -> LatencyStats:
        """Per revocation, the later of the processes: when *every* process refuses."""
        return LatencyStats.of(max(item.delays_ms) for item in self.revocations)

    def rows(self) -> list[dict[str, object]]:
        rows: list[dict[str, object]] = []
        for index, stats in enumerate(self.per_process(), 1):
            rows.append({"scenario": f"catalog process {index}", **_ms(stats)})
        for kind in KINDS:
            chosen = [max(item.delays_ms) for item in self.revocations if item.kind == kind]
            if chosen:
                rows.append({"scenario": f"every process, {kind}", **_ms(LatencyStats.of(chosen))})
        rows.append({"scenario": "every process, all", **_ms(self.slowest())})
        return rows

    def verdict(self) -> str:
        slowest = self.slowest()
        mark = "meets" if slowest.p95 <= TARGET_S * 1000 else "MISSES"
        return (
            f"revocation → refused by every process: p50 {slowest.p50:.0f} ms, p95 "
            f"{slowest.p95:.0f} ms, max {slowest.max:.0f} ms over {slowest.count} revocations: "
            f"{mark} the target of {TARGET_S:.0f} s (p95)"
        )


def _ms(stats: LatencyStats) -> dict[str, object]:
    return {
        "count": stats.count,
        "p50_ms": stats.p50,
        "p95_ms": stats.p95,
        "max_ms": stats.max,
        "mean_ms": stats.mean,
    }


async def _delete_streams(nats_url: str) -> None:
    bus = NatsBus(nats_url, name="bench-revocation-cleanup")
    await bus.connect(timeout=10)
    try:
        for service in STREAMS:
            with contextlib.suppress(NotFoundError):
                await bus.js.delete_stream(stream_name(service))
    finally:
        await bus.close()


async def _ensure_fresh_streams(nats_url: str) -> None:
    bus = NatsBus(nats_url, name="bench-revocation-check")
    await bus.connect(timeout=10)
    try:
        for service in STREAMS:
            with contextlib.suppress(NotFoundError):
                await bus.js.stream_info(stream_name(service))
                raise BenchmarkFailed(
                    f"NATS at {nats_url} already holds the {stream_name(service)} stream: "
                    "run against a NATS of its own (unset BENCH_NATS_URL)"
                )
    finally:
        await bus.close()


@contextlib.asynccontextmanager
async def _platform(backend: Backends, directory: Path) -> AsyncIterator[tuple[str, list[str]]]:
    """auth and two catalog processes on one catalog database; (auth URL, catalog URLs)."""
    key = Ed25519PrivateKey.generate()
    pem = public_pem(key)
    async with contextlib.AsyncExitStack() as stack:
        auth = await stack.enter_async_context(
            serve_auth(backend.postgres_url, backend.nats_url, directory, key=key)
        )
        catalog_db = await stack.enter_async_context(
            service_database(backend.postgres_url, "catalog")
        )
        catalogs = [
            await stack.enter_async_context(
                serve_service(
                    "catalog", catalog_db, backend.nats_url, pem, directory / f"catalog-{n}.log"
                )
            )
            for n in (1, 2)
        ]
        yield auth.url, catalogs


async def _login(client: httpx.AsyncClient, auth: str, email: str, password: str) -> dict[str, str]:
    response = await client.post(
        f"{auth}/api/auth/login", json={"email": email, "password": password}
    )
    if response.status_code != 200:
        raise BenchmarkFailed(
            f"login of {email} answered {response.status_code}: {response.text[:200]}"
        )
    tokens: dict[str, str] = response.json()
    return tokens


async def _arrange(
    client: httpx.AsyncClient, auth: str, catalogs: list[str], users: int, progress: Progress
) -> tuple[dict[str, str], list[Session]]:
    admin = _bearer((await _login(client, auth, DEFAULT_EMAIL, BENCH_PASSWORD))["access"])
    sessions: list[Session] = []
    for number in range(users):
        email = f"revoked-{number:03d}@bench.example"
        created = await client.post(
            f"{auth}/api/accounts/users",
            json={"email": email, "password": PASSWORD, "role": "advisor", "store_ids": ["s1"]},
            headers=admin,
        )
        if created.status_code != 201:
            raise BenchmarkFailed(f"creating {email}: {created.status_code} {created.text[:200]}")
        tokens = await _login(client, auth, email, PASSWORD)
        sessions.append(Session(email, created.json()["id"], tokens["access"], tokens["refresh"]))
    progress(f"{users} users created and logged in; waiting until both catalog processes know them")
    for session in sessions:
        for base in catalogs:
            await _until(client, base, session.access, 200, timeout=60.0)
    return admin, sessions


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def _until(
    client: httpx.AsyncClient, base: str, access: str, status: int, *, timeout: float
) -> float:
    """Seconds until ``GET base/api/units`` with ``access`` answers ``status``."""
    started = time.perf_counter()
    while True:
        response = await client.get(f"{base}{PROBE}", headers=_bearer(access))
        elapsed = time.perf_counter() - started
        if response.status_code == status:
            return elapsed
        if elapsed > timeout:
            raise BenchmarkFailed(
                f"{base}{PROBE} still answered {response.status_code} (not {status}) "
                f"after {timeout:.0f} s"
            )
        await asyncio.sleep(POLL_S)


async def _revoke(
    client: httpx.AsyncClient, auth: str, admin: dict[str, str], session: Session, kind: str
) -> httpx.Response:
    if kind == "logout":
        return await client.post(
            f"{auth}/api/auth/logout",
            json={"refresh": session.refresh},
            headers=_bearer(session.access),
        )
    if kind == "role change":
        return await client.patch(
            f"{auth}/api/users/{session.user_id}", json={"role": "branch_head"}, headers=admin
        )
    return await client.post(
        f"{auth}/api/auth/change-password",
        json={"old_password": PASSWORD, "new_password": NEW_PASSWORD},
        headers=_bearer(session.access),
    )


async def run_revocation_delay(
    backend: Backends,
    *,
    revocations: int = DEFAULT_REVOCATIONS,
    timeout: float = DEFAULT_TIMEOUT_S,
    progress: Progress = lambda _: None,
) -> DelayReport:
    await _ensure_fresh_streams(backend.nats_url)
    try:
        with tempfile.TemporaryDirectory(prefix="sf-bench-revocations-") as scratch:
            progress("starting auth and two catalog processes on one catalog database")
            async with (
                _platform(backend, Path(scratch)) as (auth, catalogs),
                httpx.AsyncClient(timeout=10.0, trust_env=False) as client,
            ):
                admin, sessions = await _arrange(client, auth, catalogs, revocations, progress)
                report = DelayReport(processes=len(catalogs))
                progress(f"{revocations} revocations, one at a time")
                for number, session in enumerate(sessions):
                    kind = KINDS[number % len(KINDS)]
                    answered = await _revoke(client, auth, admin, session, kind)
                    if answered.status_code != 200:
                        raise BenchmarkFailed(
                            f"{kind} of {session.email}: {answered.status_code} {answered.text[:200]}"
                        )
                    delays = await asyncio.gather(
                        *(
                            _until(client, base, session.access, 401, timeout=timeout)
                            for base in catalogs
                        )
                    )
                    report.revocations.append(Revocation(kind, [delay * 1000 for delay in delays]))
                return report
    finally:
        await _delete_streams(backend.nats_url)
