"""The benchmark harness itself: percentiles, loopback refusal, the load driver, the report.

The driver runs against a tiny ASGI app served by uvicorn on a free loopback
port inside the test; every run is bounded by a count. No timing assertions.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

import pytest

from common.testing.engines import free_port
from shopfloor_bench.http import NotLoopbackError, RequestSpec, Result, ensure_loopback, run_load
from shopfloor_bench.report import json_line, print_json_lines, ratio
from shopfloor_bench.stats import LatencyStats, percentile

Serve = Callable[[Any], AbstractAsyncContextManager[str]]  # the ``serve`` fixture (conftest)


class TinyApp:
    """``/ok`` → 200, ``/fail`` → 500, ``/echo`` → 200 with the body's length; counts hits."""

    def __init__(self) -> None:
        self.hits: Counter[str] = Counter()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        assert scope["type"] == "http"
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        path = scope["path"]
        self.hits[path] += 1
        status, payload = {
            "/ok": (200, b"ok"),
            "/fail": (500, b"boom"),
            "/echo": (200, str(len(body)).encode()),
        }.get(path, (404, b"no"))
        headers = [
            (b"content-type", b"text/plain"),
            (b"content-length", str(len(payload)).encode()),
        ]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": payload})


@pytest.fixture
async def server(serve: Serve) -> AsyncIterator[tuple[str, TinyApp]]:
    app = TinyApp()
    async with serve(app) as base:
        yield base, app


# -- percentiles --------------------------------------------------------------


def test_percentile_interpolates_between_ranks() -> None:
    values = [4.0, 1.0, 3.0, 2.0]  # order does not matter
    assert percentile(values, 0) == 1.0
    assert percentile(values, 50) == 2.5
    assert percentile(values, 100) == 4.0
    assert percentile(values, 25) == pytest.approx(1.75)


def test_percentile_of_one_to_a_hundred() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == pytest.approx(50.5)
    assert percentile(values, 95) == pytest.approx(95.05)
    assert percentile(values, 99) == pytest.approx(99.01)
    assert percentile([7.0], 99) == 7.0


def test_percentile_refuses_nonsense() -> None:
    with pytest.raises(ValueError):
        percentile([], 50)
    with pytest.raises(ValueError):
        percentile([1.0], 101)


def test_latency_stats_summary_and_units() -> None:
    stats = LatencyStats.of([0.001, 0.002, 0.003, 0.010])
    assert stats.count == 4
    assert stats.max == 0.010
    assert stats.mean == pytest.approx(0.004)
    in_ms = stats.scaled(1000)
    assert in_ms.p50 == pytest.approx(2.5)
    assert in_ms.as_ms_dict()["max_ms"] == pytest.approx(10.0)
    assert LatencyStats.of([]) == LatencyStats(0, 0.0, 0.0, 0.0, 0.0, 0.0)


# -- loopback only ------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8000/x", "http://localhost/", "https://127.3.2.1:1/", "http://[::1]:8100/"],
)
def test_loopback_targets_are_accepted(url: str) -> None:
    assert ensure_loopback(url).host


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/",
        "http://10.0.0.5:8000/",
        "http://192.168.1.1/",
        "http://localhost.example.com/",
        "http://0.0.0.0:8000/",
        "ftp://127.0.0.1/",
    ],
)
def test_other_targets_are_refused(url: str) -> None:
    with pytest.raises(NotLoopbackError):
        ensure_loopback(url)


async def test_driver_refuses_a_remote_spec_before_sending_anything(
    server: tuple[str, TinyApp],
) -> None:
    base, app = server
    specs = [RequestSpec("GET", f"{base}/ok"), RequestSpec("GET", "http://example.com/")]
    with pytest.raises(NotLoopbackError, match=r"example\.com"):
        await run_load(specs, count=10)
    assert sum(app.hits.values()) == 0


async def test_driver_refuses_a_remote_url_from_a_factory() -> None:
    with pytest.raises(NotLoopbackError):
        await run_load(lambda i: RequestSpec("GET", "http://203.0.113.9/"), count=3)


async def test_driver_needs_a_bound() -> None:
    with pytest.raises(ValueError, match="count or a duration"):
        await run_load(lambda i: RequestSpec("GET", "http://127.0.0.1:1/"))
    with pytest.raises(ValueError):
        await run_load([RequestSpec("GET", "http://127.0.0.1:1/")], concurrency=0)


# -- the driver against a real server ----------------------------------------


async def test_driver_counts_requests_statuses_and_errors(server: tuple[str, TinyApp]) -> None:
    base, app = server
    specs = [RequestSpec("GET", f"{base}/ok")] * 3 + [RequestSpec("GET", f"{base}/fail")]
    result = await run_load(specs, name="mixed", concurrency=4, count=40, warmup=8)
    assert result.name == "mixed"
    assert result.count == 40
    assert result.errors == 10
    assert result.statuses == {"200": 30, "500": 10}
    assert app.hits == {"/ok": 36, "/fail": 12}  # warm-up requests are sent, not recorded
    assert 0 < result.p50_ms <= result.p95_ms <= result.p99_ms <= result.max_ms
    assert result.rps > 0


async def test_a_sequence_without_bound_is_sent_once(server: tuple[str, TinyApp]) -> None:
    base, app = server
    result = await run_load([RequestSpec("GET", f"{base}/ok"), RequestSpec("GET", f"{base}/fail")])
    assert (result.count, result.errors) == (2, 1)
    assert sum(app.hits.values()) == 2


async def test_factory_requests_with_bodies(server: tuple[str, TinyApp]) -> None:
    base, app = server
    seen: list[int] = []

    def factory(index: int) -> RequestSpec:
        seen.append(index)
        return RequestSpec("POST", f"{base}/echo", headers={"x-n": str(index)}, body=b"x" * index)

    result = await run_load(factory, concurrency=3, count=12, warmup=2)
    assert result.count == 12 and result.errors == 0
    assert sorted(seen) == list(range(14))  # warm-up takes the first numbers
    assert app.hits["/echo"] == 14


async def test_duration_runs_stop_by_themselves(server: tuple[str, TinyApp]) -> None:
    base, app = server
    result = await run_load(
        [RequestSpec("GET", f"{base}/ok")], concurrency=2, duration=0.2, max_requests=50
    )
    assert 0 < result.count <= 50
    assert app.hits["/ok"] == result.count


async def test_nothing_listening_is_counted_as_errors() -> None:
    port = free_port()
    result = await run_load([RequestSpec("GET", f"http://127.0.0.1:{port}/")], count=5, timeout=2)
    assert result.count == 5 and result.errors == 5
    assert result.statuses == {"ConnectError": 5}


# -- report -------------------------------------------------------------------


def _result(name: str, p50: float, rps: float) -> Result:
    return Result(name, 100, 0, 1.0, rps, p50, p50 * 2, p50 * 3, p50 * 4, p50, {"200": 100})


def test_ratio_of_candidate_to_baseline() -> None:
    gateway, direct = _result("gateway", 2.62, 780.0), _result("direct", 2.0, 1000.0)
    found = ratio(gateway, direct, "through gateway vs direct")
    assert found.p50 == pytest.approx(1.31)
    assert found.rps == pytest.approx(0.78)
    assert str(found).startswith("through gateway vs direct: p50 x1.31, p95 x1.31")
    assert str(found).endswith("rps x0.78")
    assert ratio(gateway, _result("zero", 0.0, 0.0), "x").p50 is None


def test_json_lines_are_one_compact_line_per_scenario() -> None:
    out = io.StringIO()
    print_json_lines([_result("a", 1.23456, 10.0).to_dict(), {"scenario": "b", "n": 1}], out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    first = json.loads(lines[0])
    assert first["scenario"] == "a" and first["p50_ms"] == 1.235
    assert first["statuses"] == {"200": 100}
    assert json.loads(json_line({"scenario": "c", "x": 0.5})) == {"scenario": "c", "x": 0.5}
