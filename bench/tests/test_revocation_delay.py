"""revocation-delay at a tiny size: the real thing (auth, two catalog processes), no timing asserts."""

from __future__ import annotations

import pytest

from shopfloor_bench.engines import backends
from shopfloor_bench.revocation_delay import DelayReport, Revocation, run_revocation_delay

pytest.importorskip("auth")
pytest.importorskip("catalog")


def test_the_report_is_when_every_process_refuses() -> None:
    report = DelayReport(
        processes=2,
        revocations=[Revocation("logout", [10.0, 30.0]), Revocation("role change", [50.0, 20.0])],
    )
    assert [stats.max for stats in report.per_process()] == [50.0, 30.0]
    assert report.slowest().max == 50.0 and report.slowest().p50 == 40.0
    rows = {row["scenario"]: row for row in report.rows()}
    assert rows["every process, logout"]["max_ms"] == 30.0
    assert "meets the target" in report.verdict()


async def test_a_tiny_run_ends_each_session_on_both_processes() -> None:
    with backends() as backend:
        report = await run_revocation_delay(backend, revocations=3, timeout=30.0)
    assert [item.kind for item in report.revocations] == [
        "logout",
        "role change",
        "password change",
    ]
    assert all(len(item.delays_ms) == 2 for item in report.revocations)
