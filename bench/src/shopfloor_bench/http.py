"""An asyncio httpx load driver for loopback targets only.

``run_load`` sends requests from a list of ``RequestSpec`` (cycled) or from a
factory ``f(i) -> RequestSpec`` with ``concurrency`` workers, after ``warmup``
unrecorded requests, until ``count`` requests were sent or ``duration`` seconds
passed (capped by ``max_requests``: every run ends by itself). Every request's
latency and status is recorded; a ``Result`` summarises them.

Only 127.0.0.0/8, ::1 and ``localhost`` are accepted: this is a tool for
measuring the platform on this machine, never for loading someone else's.
"""

from __future__ import annotations

import asyncio
import ipaddress
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

from shopfloor_bench.stats import LatencyStats

DEFAULT_MAX_REQUESTS = 1_000_000


class NotLoopbackError(ValueError):
    """A target outside this machine."""


def ensure_loopback(url: str | httpx.URL) -> httpx.URL:
    """The parsed ``url`` when it is http(s) to a loopback host; ``NotLoopbackError`` otherwise."""
    parsed = httpx.URL(url)
    if parsed.scheme not in ("http", "https"):
        raise NotLoopbackError(f"refusing {str(url)!r}: only http:// or https:// URLs are loaded")
    host = parsed.host.lower()
    if host == "localhost":
        return parsed
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise NotLoopbackError(
            f"refusing to load {str(url)!r}: the benchmark driver only targets this machine "
            f"(127.0.0.1, ::1 or localhost), not {host!r}"
        )
    return parsed


@dataclass(frozen=True)
class RequestSpec:
    """One request: ``body`` is sent as is, ``json`` is encoded (give at most one)."""

    method: str
    url: str
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes | str | None = None
    json: Any = None


RequestFactory = Callable[[int], RequestSpec]


@dataclass(frozen=True)
class Result:
    """What one load run measured; latencies in milliseconds, ``rps`` over the whole run."""

    name: str
    count: int
    errors: int
    elapsed_s: float
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    mean_ms: float
    statuses: Mapping[str, int]

    @classmethod
    def from_samples(
        cls,
        name: str,
        latencies_s: Sequence[float],
        *,
        errors: int,
        elapsed_s: float,
        statuses: Mapping[str, int],
    ) -> Result:
        stats = LatencyStats.of(latencies_s).scaled(1000)
        return cls(
            name=name,
            count=len(latencies_s),
            errors=errors,
            elapsed_s=elapsed_s,
            rps=len(latencies_s) / elapsed_s if elapsed_s > 0 else 0.0,
            p50_ms=stats.p50,
            p95_ms=stats.p95,
            p99_ms=stats.p99,
            max_ms=stats.max,
            mean_ms=stats.mean,
            statuses=dict(sorted(statuses.items())),
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "scenario": self.name,
            "count": self.count,
            "errors": self.errors,
            "elapsed_s": self.elapsed_s,
            "rps": self.rps,
            "p50_ms": self.p50_ms,
            "p95_ms": self.p95_ms,
            "p99_ms": self.p99_ms,
            "max_ms": self.max_ms,
            "mean_ms": self.mean_ms,
            "statuses": dict(self.statuses),
        }


def _default_ok(status: int) -> bool:
    return status < 400


class Plan:
    """Hands out request numbers to the workers until the run's bound is reached."""

    def __init__(self, limit: int, deadline: float | None) -> None:
        self.limit = limit
        self.deadline = deadline
        self.issued = 0

    def next(self) -> int | None:
        if self.issued >= self.limit:
            return None
        if self.deadline is not None and time.monotonic() >= self.deadline:
            return None
        self.issued += 1
        return self.issued - 1


class _Recorder:
    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.statuses: Counter[str] = Counter()
        self.errors = 0


async def _send(
    client: httpx.AsyncClient,
    spec: RequestSpec,
    recorder: _Recorder | None,
    ok: Callable[[int], bool],
) -> None:
    started = time.perf_counter()
    try:
        response = await client.request(
            spec.method, spec.url, headers=dict(spec.headers), content=spec.body, json=spec.json
        )
        label, failed = str(response.status_code), not ok(response.status_code)
    except httpx.HTTPError as exc:
        label, failed = type(exc).__name__, True
    elapsed = time.perf_counter() - started
    if recorder is not None:
        recorder.latencies.append(elapsed)
        recorder.statuses[label] += 1
        recorder.errors += failed


async def _drive(
    client: httpx.AsyncClient,
    spec_for: Callable[[int], RequestSpec],
    plan: Plan,
    concurrency: int,
    recorder: _Recorder | None,
    ok: Callable[[int], bool],
    offset: int = 0,
) -> None:
    async def worker() -> None:
        while (index := plan.next()) is not None:
            await _send(client, spec_for(offset + index), recorder, ok)

    await asyncio.gather(*(worker() for _ in range(concurrency)))


async def run_load(
    requests: Sequence[RequestSpec] | RequestFactory,
    *,
    name: str = "load",
    concurrency: int = 10,
    count: int | None = None,
    duration: float | None = None,
    warmup: int = 0,
    timeout: float = 10.0,
    max_requests: int = DEFAULT_MAX_REQUESTS,
    ok: Callable[[int], bool] = _default_ok,
) -> Result:
    """Load loopback targets and summarise; see the module docstring for the bounds.

    A sequence without ``count`` or ``duration`` is sent once; a factory needs one
    of them. Statuses for which ``ok`` is false and transport errors count as errors.
    """
    if concurrency < 1:
        raise ValueError("concurrency must be at least 1")
    if warmup < 0 or (count is not None and count < 1) or (duration is not None and duration <= 0):
        raise ValueError("count must be ≥ 1, duration > 0 and warmup ≥ 0")
    if callable(requests):
        if count is None and duration is None:
            raise ValueError("a request factory needs a count or a duration")
        factory = requests

        def spec_for(index: int) -> RequestSpec:
            spec = factory(index)
            ensure_loopback(spec.url)
            return spec
    else:
        specs = list(requests)
        if not specs:
            raise ValueError("no requests to send")
        for spec in specs:
            ensure_loopback(spec.url)
        if count is None and duration is None:
            count = len(specs)

        def spec_for(index: int) -> RequestSpec:
            return specs[index % len(specs)]

    limit = min(count if count is not None else max_requests, max_requests)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(
        timeout=timeout, limits=limits, trust_env=False, follow_redirects=False
    ) as client:
        if warmup:
            await _drive(client, spec_for, Plan(warmup, None), concurrency, None, ok)
        recorder = _Recorder()
        deadline = time.monotonic() + duration if duration is not None else None
        started = time.perf_counter()
        await _drive(client, spec_for, Plan(limit, deadline), concurrency, recorder, ok, warmup)
        elapsed = time.perf_counter() - started
    return Result.from_samples(
        name,
        recorder.latencies,
        errors=recorder.errors,
        elapsed_s=elapsed,
        statuses=recorder.statuses,
    )
