"""events-backlog on a tiny backlog: every event is drained by either handler shape, and the
report says how fast."""

from __future__ import annotations

import pytest

from shopfloor_bench.engines import Backends, backends
from shopfloor_bench.events_backlog import BacklogReport, run_events_backlog


def _report(handler: str, events: int) -> BacklogReport:
    return BacklogReport(
        handler=handler,
        events=events,
        publish_seconds=1.0,
        drain_seconds=1.0,
        since_start_seconds=2.0,
    )


def test_the_verdict_names_the_rate_against_the_target() -> None:
    slow, fast = _report("batch", 1000), _report("batch", 5000)
    assert "1,000 events/s" in slow.verdict() and "NOT met" in slow.verdict()
    assert "5,000 events/s" in fast.verdict() and "NOT met" not in fast.verdict()
    assert slow.rows()[0]["since_consumer_start_per_s"] == 500.0
    per_event = _report("per-event", 1000)  # what a statement per event gives: no target
    assert "per-event handler" in per_event.verdict() and "NOT met" not in per_event.verdict()
    assert per_event.rows()[0]["scenario"] == "events-backlog drain, per-event handler"


@pytest.mark.parametrize("handler", ["batch", "per-event"])
async def test_a_tiny_backlog_is_drained(
    pg_server: str, monkeypatch: pytest.MonkeyPatch, handler: str
) -> None:
    monkeypatch.setenv("BENCH_DATABASE_URL", pg_server)
    monkeypatch.delenv("BENCH_NATS_URL", raising=False)
    with backends() as backend:  # our PostgreSQL, an embedded NATS
        report = await run_events_backlog(
            backend, handler=handler, events=300, per_commit=50, timeout=60
        )
    assert report.events == 300 and report.handler == handler
    assert 0 < report.drain_seconds <= report.since_start_seconds
    assert report.drain_per_s > 0 and report.publish_seconds > 0


async def test_an_unknown_handler_is_refused() -> None:
    nowhere = Backends("postgresql://nowhere", "nats://nowhere", ())  # refused before use
    with pytest.raises(ValueError, match="handler must be one of"):
        await run_events_backlog(nowhere, handler="bulk", events=1)
