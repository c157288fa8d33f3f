"""events-backlog on a tiny backlog: every event is drained, and the report says how fast."""

from __future__ import annotations

import pytest

from shopfloor_bench.engines import backends
from shopfloor_bench.events_backlog import BacklogReport, run_events_backlog


def test_the_verdict_names_the_rate_against_the_target() -> None:
    slow = BacklogReport(
        events=1000, publish_seconds=1.0, drain_seconds=1.0, since_start_seconds=2.0
    )
    fast = BacklogReport(
        events=5000, publish_seconds=1.0, drain_seconds=1.0, since_start_seconds=2.0
    )
    assert "1,000 events/s" in slow.verdict() and "NOT met" in slow.verdict()
    assert "5,000 events/s" in fast.verdict() and "NOT met" not in fast.verdict()
    assert slow.rows()[0]["since_consumer_start_per_s"] == 500.0


async def test_a_tiny_backlog_is_drained(pg_server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BENCH_DATABASE_URL", pg_server)
    monkeypatch.delenv("BENCH_NATS_URL", raising=False)
    with backends() as backend:  # our PostgreSQL, an embedded NATS
        report = await run_events_backlog(backend, events=300, per_commit=50, timeout=60)
    assert report.events == 300
    assert 0 < report.drain_seconds <= report.since_start_seconds
    assert report.drain_per_s > 0 and report.publish_seconds > 0
