"""The intake benchmark's manifest and one tiny whole run (no timing assertions)."""

from __future__ import annotations

import pytest

from shopfloor_bench.engines import backends
from shopfloor_bench.intake import STEPS, manifest, run_intake

pytest.importorskip("inventory")


def test_the_manifest_is_the_same_for_the_same_seed_and_counts_its_units() -> None:
    data, units = manifest(50, 10, random_seed=7)
    assert manifest(50, 10, random_seed=7) == (data, units)
    lines = data.decode().splitlines()
    assert lines[0] == "Item Description,Brand,Qty,Unit Cost,Retail,Condition"
    assert len(lines) == 51
    assert units == sum(int(line.split(",")[2]) for line in lines[1:])


async def test_a_tiny_run_end_to_end(pg_server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """120 rows over a background threshold of 50: the three heavy steps run as jobs."""
    monkeypatch.setenv("BENCH_DATABASE_URL", pg_server)
    monkeypatch.delenv("BENCH_NATS_URL", raising=False)
    with backends() as backend:  # our PostgreSQL, an embedded NATS
        report = await run_intake(backend, rows=120, products=10, background_rows=50)
    assert [step.name for step in report.steps] == list(STEPS)
    assert {step.name: step.ran for step in report.steps} == {
        "process-manifest": "job", "match-products": "job", "update-manifest-pricing": "request",
        "finalize-rows": "request", "create-items": "job",
    }  # fmt: skip
    assert report.items == report.units and 0 < report.matched < 120
    rows = report.json_rows()
    assert [row["step"] for row in rows] == ["upload-manifest", *STEPS]
    assert all(row["rows"] == 120 and row["benchmark"] == "intake" for row in rows)
    assert report.service_errors == []
