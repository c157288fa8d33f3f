"""The audit benchmark's pieces and one tiny whole run (no timing assertions).

The backlog's events are valid events audit masks; the seed fills audit's real schema
(partitions, action counts, stores) so every list filter is one audit accepts; a tiny run
ingests a backlog into exactly one row per event, serves audit as a process, asks every
list and exports a date range whose trailer counts what the seed put there.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime

import psycopg
import pytest

from shopfloor_bench.audit import (
    MONTHS,
    Sizes,
    backlog_event,
    export_range,
    list_scenarios,
    months_back,
    run_audit,
)
from shopfloor_bench.engines import backends

pytest.importorskip("audit")


def test_impossible_sizes_are_refused() -> None:
    with pytest.raises(ValueError, match="export-rows"):
        Sizes(rows=10, export_rows=11)
    with pytest.raises(ValueError, match="at least 1"):
        Sizes(events=0)


def test_the_backlog_is_events_audit_reads_and_masks() -> None:
    from audit.streams.reading import Received, read

    rng = random.Random(1)
    for number in range(8):
        envelope = backlog_event(number, "benchaudit", rng)
        draft = read(
            Received(
                envelope.type, envelope.to_bytes(), {}, "BENCHAUDIT", number + 1, envelope.time
            )
        )
        assert draft.parse_error is None and draft.event_id == envelope.id
        if "email" in envelope.data:
            assert envelope.data["email"] not in (draft.payload or "")


def test_six_months_back_end_with_this_one() -> None:
    assert months_back(date(2026, 2, 14), MONTHS) == [
        date(2025, 9, 1),
        date(2025, 10, 1),
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]


async def test_a_tiny_run_end_to_end(pg_server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BENCH_DATABASE_URL", pg_server)
    monkeypatch.delenv("BENCH_NATS_URL", raising=False)
    messages: list[str] = []
    sizes = Sizes(events=400, rows=12_000, export_rows=1_500, requests=2, warmup=1)
    with backends() as backend:
        report = await run_audit(backend, sizes=sizes, batch_sizes=(100,), progress=messages.append)
    [ingest] = report.ingest
    assert (ingest.events, ingest.rows, ingest.batch_size) == (400, 400, 100)
    assert report.seeded is not None and report.seeded.rows == 12_000
    assert [result.scenario for result in report.lists] == [
        scenario.name for scenario in list_scenarios(report.seeded)
    ]
    matching = {result.scenario: result.count for result in report.lists}
    assert matching["newest page, no filter"] == 12_000
    assert 0 < (matching["store, a branch head's own"] or 0) < 12_000
    assert report.export is not None and report.export.rows >= 1_500
    assert report.export.peak_mib >= report.export.baseline_mib > 0
    with psycopg.connect(pg_server) as connection:
        left = connection.execute(
            "SELECT count(*) FROM pg_database WHERE datname LIKE 'bench_audit_%'"
        ).fetchone()
    assert left == (0,), "the run's databases are dropped"
    assert report.service_errors == []
    assert (
        export_range(report.seeded, 12_000)["date_from"] == report.seeded.first.date().isoformat()
    )
    assert datetime.now(UTC) > report.seeded.first
