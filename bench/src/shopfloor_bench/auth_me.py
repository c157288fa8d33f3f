"""auth-me: ``GET /api/auth/me`` against the same auth process's ``/healthz`` floor, and via the gateway.

Three loads, interleaved in ``--rounds`` rounds so that drift on a busy machine
lands in all of them alike (the order rotates every round): ``/healthz`` straight
to auth (the process's floor: routing, middleware, no token, no database),
``/api/auth/me`` straight to auth, and ``/api/auth/me`` through the gateway. Two
ratios come out: me ÷ healthz (issue 11's target: ≥ 0.4 of the floor's rate) and
gateway ÷ direct (the extra hop's cost).

When auth is ours (started by the run), the server's own CPU time is read around
every load (``psutil``): CPU ms per request, and healthz's ÷ me's, is the same
ratio as the process would reach alone on a core. On a machine busy with other
work the requests-per-second ratio wanders (the load generator competes for the
same cores); the CPU ratio does not.

By default it starts what it measures (``serve_auth``): auth's own database on the
event benchmarks' PostgreSQL, ``shopfloor-auth prestart`` (migrations, the first
admin), ``shopfloor-auth serve`` (uvicorn, one process, as ``make up`` runs it) and
Caddy with the Caddyfile ``make up`` renders. With ``--direct-url`` /
``--gateway-url`` it measures a running platform instead (``make up``), logging in
through the gateway with ``--email`` / ``--password``.
"""

from __future__ import annotations

import contextlib
import os
import statistics
import sys
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from shopfloor_bench.http import RequestSpec, Result, ensure_loopback, run_load
from shopfloor_bench.report import Ratio, ratio

DEFAULT_EMAIL = "admin@shopfloor.local"
BENCH_PASSWORD = "a long bench passphrase 1"
DEFAULT_CONCURRENCY = 10
DEFAULT_REQUESTS = 1_000  # measured, per path and round
DEFAULT_ROUNDS = 5
DEFAULT_WARMUP = 100
ME_PATH = "/api/auth/me"
HEALTH_PATH = "/healthz"
LOGIN_PATH = "/api/auth/login"
TARGET_FLOOR_RATIO = 0.4


class PlatformUnavailable(RuntimeError):
    """Nothing (or not auth) answers where the platform should be, or it refuses our login."""


class MissingPassword(PlatformUnavailable):
    """No --password and no SHOPFLOOR_ADMIN_PASSWORD."""


def default_gateway_url() -> str:
    return f"http://127.0.0.1:{int(os.environ.get('SHOPFLOOR_GATEWAY_PORT') or 8000)}"


def default_direct_url() -> str:
    base = int(os.environ.get("SHOPFLOOR_SERVICE_PORT_BASE") or 8100)
    return f"http://127.0.0.1:{base + 1}"


def default_email() -> str:
    return os.environ.get("SHOPFLOOR_ADMIN_EMAIL") or DEFAULT_EMAIL


def default_password() -> str | None:
    return os.environ.get("SHOPFLOOR_ADMIN_PASSWORD") or None


@dataclass(frozen=True)
class Round:
    """One round: the three loads, measured one after the other in ``order``."""

    order: tuple[str, ...]
    healthz: Result
    direct: Result
    gateway: Result
    cpu_ms: dict[str, float]  # the server's CPU ms per request, per load (when it is ours)

    def to_dict(self, number: int) -> dict[str, object]:
        row: dict[str, object] = {
            "scenario": f"round {number}",
            "order": " → ".join(self.order),
            "healthz_rps": self.healthz.rps,
            "me_rps": self.direct.rps,
            "gateway_rps": self.gateway.rps,
            "me_vs_healthz": self.direct.rps / self.healthz.rps if self.healthz.rps else None,
        }
        if self.cpu_ms:
            row["healthz_cpu_ms"] = self.cpu_ms["healthz"]
            row["me_cpu_ms"] = self.cpu_ms["direct"]
            row["cpu_me_vs_healthz"] = self.cpu_ms["healthz"] / self.cpu_ms["direct"]
        return row


class ServerClock:
    """CPU seconds (user + system) a local process has used so far."""

    def __init__(self, pid: int) -> None:
        import psutil

        self._process = psutil.Process(pid)

    def cpu(self) -> float:
        times = self._process.cpu_times()
        return float(times.user + times.system)


def pooled(name: str, results: list[Result]) -> Result:
    """The rounds of one path as one row: counts and time summed (so rps = all requests ÷ all
    time), latency percentiles as the median of the rounds' percentiles."""
    count = sum(result.count for result in results)
    elapsed = sum(result.elapsed_s for result in results)
    statuses: dict[str, int] = {}
    for result in results:
        for status, seen in result.statuses.items():
            statuses[status] = statuses.get(status, 0) + seen
    return Result(
        name=name,
        count=count,
        errors=sum(result.errors for result in results),
        elapsed_s=elapsed,
        rps=count / elapsed if elapsed else 0.0,
        p50_ms=statistics.median(result.p50_ms for result in results),
        p95_ms=statistics.median(result.p95_ms for result in results),
        p99_ms=statistics.median(result.p99_ms for result in results),
        max_ms=max(result.max_ms for result in results),
        mean_ms=statistics.fmean(result.mean_ms for result in results),
        statuses=dict(sorted(statuses.items())),
    )


@dataclass(frozen=True)
class AuthMeResult:
    rounds: list[Round]
    healthz: Result
    direct: Result
    gateway: Result
    floor: Ratio  # me direct ÷ healthz direct
    ratio: Ratio  # me through the gateway ÷ me direct

    @property
    def cpu_floor(self) -> float | None:
        """healthz's server CPU per request ÷ me's, over every round (None: not our process)."""
        if not all(item.cpu_ms for item in self.rounds):
            return None
        healthz = statistics.fmean(item.cpu_ms["healthz"] for item in self.rounds)
        me = statistics.fmean(item.cpu_ms["direct"] for item in self.rounds)
        return healthz / me if me else None

    def cpu_row(self) -> dict[str, object] | None:
        if self.cpu_floor is None:
            return None
        return {
            "scenario": "server CPU per request (ms)",
            "healthz": statistics.fmean(item.cpu_ms["healthz"] for item in self.rounds),
            "me_direct": statistics.fmean(item.cpu_ms["direct"] for item in self.rounds),
            "me_gateway": statistics.fmean(item.cpu_ms["gateway"] for item in self.rounds),
            "healthz_vs_me": self.cpu_floor,
        }

    def verdict(self) -> str:
        lines = []
        for what, value in (
            ("requests/s", self.floor.rps),
            ("server CPU per request", self.cpu_floor),
        ):
            if value is None:
                continue
            mark = "meets" if value >= TARGET_FLOOR_RATIO else "MISSES"
            lines.append(
                f"/api/auth/me at x{value:.2f} of the same process's /healthz ({what}): "
                f"{mark} the target x{TARGET_FLOOR_RATIO:.1f}"
            )
        return "\n".join(lines)


def _unreachable(what: str, base: str, exc: Exception) -> PlatformUnavailable:
    return PlatformUnavailable(
        f"{what} does not answer at {base} ({type(exc).__name__}). "
        "Start the platform with `make up` first (and wait until it reports ready)."
    )


def _refused(what: str, base: str, response: httpx.Response, hint: str) -> PlatformUnavailable:
    return PlatformUnavailable(
        f"{what} at {base} answered {response.status_code} to "
        f"{response.request.method} {response.request.url.path}: {response.text[:200]!r}. {hint}"
    )


async def login(client: httpx.AsyncClient, base: str, email: str, password: str) -> str:
    """The access token of ``email``, logging in at ``base``."""
    try:
        response = await client.post(
            f"{base}{LOGIN_PATH}", json={"email": email, "password": password}
        )
    except httpx.TransportError as exc:
        raise _unreachable("the gateway", base, exc) from exc
    if response.status_code in (400, 401, 403, 422):
        hint = "Check --email / --password (or SHOPFLOOR_ADMIN_EMAIL / SHOPFLOOR_ADMIN_PASSWORD)."
        raise _refused("login", base, response, hint)
    if response.status_code != 200:
        raise _refused("the gateway", base, response, "Is auth up? Run `make up` first.")
    try:
        return str(response.json()["access"])
    except (ValueError, KeyError, TypeError) as exc:
        raise PlatformUnavailable(f"login at {base} returned no access token") from exc


async def check_me(client: httpx.AsyncClient, what: str, base: str, token: str) -> None:
    """One ``GET /api/auth/me`` that must answer 200 before loading ``base``."""
    try:
        response = await client.get(
            f"{base}{ME_PATH}", headers={"Authorization": f"Bearer {token}"}
        )
    except httpx.TransportError as exc:
        raise _unreachable(what, base, exc) from exc
    if response.status_code != 200:
        raise _refused(what, base, response, "Is the platform fully up (`make up`)?")


async def ensure_listening(client: httpx.AsyncClient, what: str, base: str) -> None:
    """Any HTTP answer will do; a refused or timed-out connection means the platform is down."""
    try:
        await client.get(f"{base}{HEALTH_PATH}")
    except httpx.TransportError as exc:
        raise _unreachable(what, base, exc) from exc


async def prepare(gateway: str, direct: str, email: str, password: str | None) -> str:
    """Check both paths answer, log in, check the token on both; returns the bearer token."""
    ensure_loopback(gateway)
    ensure_loopback(direct)
    async with httpx.AsyncClient(timeout=10.0, trust_env=False) as client:
        await ensure_listening(client, "the gateway", gateway)
        await ensure_listening(client, "auth (direct)", direct)
        if not password:
            raise MissingPassword(
                "no password: pass --password or set SHOPFLOOR_ADMIN_PASSWORD "
                "(`make up` prints the development admin's credentials)"
            )
        token = await login(client, gateway, email, password)
        await check_me(client, "auth (direct)", direct, token)
        await check_me(client, "the gateway", gateway, token)
    return token


async def run_auth_me(
    *,
    gateway: str,
    direct: str,
    email: str,
    password: str | None,
    concurrency: int = DEFAULT_CONCURRENCY,
    requests: int = DEFAULT_REQUESTS,
    rounds: int = DEFAULT_ROUNDS,
    warmup: int = DEFAULT_WARMUP,
    server_pid: int | None = None,
) -> AuthMeResult:
    if rounds < 1:
        raise ValueError("rounds must be at least 1")
    token = await prepare(gateway, direct, email, password)
    bearer = {"Authorization": f"Bearer {token}"}
    specs = {
        "healthz": RequestSpec("GET", f"{direct}{HEALTH_PATH}"),
        "direct": RequestSpec("GET", f"{direct}{ME_PATH}", headers=bearer),
        "gateway": RequestSpec("GET", f"{gateway}{ME_PATH}", headers=bearer),
    }
    names = tuple(specs)
    clock = ServerClock(server_pid) if server_pid is not None else None
    measured: list[Round] = []
    for number in range(rounds):
        order = names[number % 3 :] + names[: number % 3]
        results: dict[str, Result] = {}
        cpu_ms: dict[str, float] = {}
        for name in order:
            # The warm-up runs first, unmeasured, so only measured requests land in the CPU.
            await run_load(
                [specs[name]], concurrency=concurrency, count=warmup if number == 0 else concurrency
            )
            before = clock.cpu() if clock else 0.0
            results[name] = await run_load(
                [specs[name]], name=name, concurrency=concurrency, count=requests
            )
            if clock is not None:
                cpu_ms[name] = (clock.cpu() - before) * 1000 / results[name].count
        measured.append(
            Round(order, results["healthz"], results["direct"], results["gateway"], cpu_ms)
        )
    healthz = pooled("GET /healthz direct", [r.healthz for r in measured])
    me_direct = pooled("GET /api/auth/me direct", [r.direct for r in measured])
    me_gateway = pooled("GET /api/auth/me gateway", [r.gateway for r in measured])
    return AuthMeResult(
        rounds=measured,
        healthz=healthz,
        direct=me_direct,
        gateway=me_gateway,
        floor=ratio(me_direct, healthz, "/api/auth/me vs /healthz (same process, direct)"),
        ratio=ratio(me_gateway, me_direct, "through gateway vs direct"),
    )


# ------------------------------------------------------------------ auth, started for the run


def _private_pem(key: Ed25519PrivateKey) -> str:
    return key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()).decode()


def auth_environment(database_url: str, nats_url: str, key: Ed25519PrivateKey) -> dict[str, str]:
    """auth's contract (docs/architecture.md) for a run: its signing key, the first admin."""
    from shopfloor_bench.services import service_environment

    env = service_environment(database_url, nats_url, public_key="")
    env.update(
        {
            "JWT_PUBLIC_KEYS": "",
            "JWT_PRIVATE_KEY": _private_pem(key),
            "SHOPFLOOR_ADMIN_EMAIL": DEFAULT_EMAIL,
            "SHOPFLOOR_ADMIN_PASSWORD": BENCH_PASSWORD,
            # The benchmarks log in more often than a person would.
            "LOGIN_RATE_PER_ACCOUNT": "100000/minute",
            "LOGIN_RATE_PER_IP": "100000/minute",
        }
    )
    return env


def _auth_command(*arguments: str) -> list[str]:
    return [sys.executable, "-c", "from auth.cli import app; app()", *arguments]


@dataclass(frozen=True)
class AuthServer:
    url: str
    pid: int


@dataclass(frozen=True)
class AuthPlatform:
    gateway: str
    direct: str
    auth_pid: int


@contextlib.asynccontextmanager
async def serve_auth(
    postgres_url: str,
    nats_url: str,
    directory: Path,
    *,
    key: Ed25519PrivateKey | None = None,
    database_url: str | None = None,
    extra_env: dict[str, str] | None = None,
) -> AsyncIterator[AuthServer]:
    """auth on its own migrated database (or ``database_url``), prestarted and served."""
    import asyncio

    from common.testing.engines import free_port
    from shopfloor_bench.services import serve_process, service_database, tail

    key = key or Ed25519PrivateKey.generate()
    async with contextlib.AsyncExitStack() as stack:
        if database_url is None:
            database_url = await stack.enter_async_context(service_database(postgres_url, "auth"))
        env = {**auth_environment(database_url, nats_url, key), **(extra_env or {})}
        log_path = directory / f"auth-{free_port()}.log"
        prestart = await asyncio.create_subprocess_exec(
            *_auth_command("prestart"),
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        output, _ = await prestart.communicate()
        if prestart.returncode != 0:
            raise PlatformUnavailable(f"shopfloor-auth prestart failed:\n{output.decode()[-2000:]}")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        command = _auth_command("serve", "--host", "127.0.0.1", "--port", str(port))
        try:
            process = await stack.enter_async_context(
                serve_process("auth", command, env, log_path, f"{base}/readyz")
            )
        except PlatformUnavailable as exc:
            raise PlatformUnavailable(f"{exc}\n{tail(log_path)}") from exc
        yield AuthServer(base, process.pid)


@contextlib.asynccontextmanager
async def auth_platform(postgres_url: str, nats_url: str) -> AsyncIterator[AuthPlatform]:
    """auth and Caddy in front of it, for one run."""
    from shopfloor_bench.services import serve_gateway

    with tempfile.TemporaryDirectory(prefix="sf-bench-auth-") as scratch:
        directory = Path(scratch)
        async with serve_auth(postgres_url, nats_url, directory) as auth:
            upstreams = {"auth": auth.url.removeprefix("http://")}
            async with serve_gateway(upstreams, directory) as gateway:
                yield AuthPlatform(gateway, auth.url, auth.pid)
