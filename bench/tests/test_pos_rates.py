"""The pos-rates benchmark's arithmetic and one tiny whole run (no timing assertions).

The whole run is the real thing at a tiny size, compared against itself: this checkout's
POS and the same checkout served as the "other" one (``--against``), interleaved.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from shopfloor_bench.auth_me import PlatformUnavailable
from shopfloor_bench.engines import backends
from shopfloor_bench.pos_rates import (
    AGAINST,
    KINDS,
    THIS,
    Phase,
    RateReport,
    RateSizes,
    Saturation,
    _checkout_of,
    cpu_seconds,
    run_pos_rates,
    service_pid,
)

pytest.importorskip("pos")

REPOSITORY = Path(__file__).resolve().parents[2]
TINY = RateSizes(levels=(1, 2), carts=1, cart_items=2, warmup=1)


def phase(kind: str, clients: int, per_s: float, side: str = THIS, cpu: float = 1.0) -> Phase:
    count = int(per_s * 10)
    return Phase(kind, clients, [0.01] * count, 10.0, cpu, side)


def test_sizes_count_the_units_a_rate_run_sells() -> None:
    assert RateSizes().needed == (4 + (1 + 2 + 4 + 8 + 16) * 6) * 10
    assert TINY.needed == (1 + 3 * 1) * 2
    for wrong in ({"levels": ()}, {"levels": (2, 1)}, {"levels": (1, 1)}, {"carts": 0}):
        with pytest.raises(ValueError):
            RateSizes(**wrong)  # type: ignore[arg-type]


def test_saturation_is_the_least_level_at_90_percent_of_the_peak() -> None:
    phases = [phase("add-item", c, r) for c, r in ((1, 40), (2, 70), (4, 95), (8, 100), (16, 60))]
    found = Saturation.of("add-item", phases)
    assert (found.peak_per_s, found.peak_clients, found.saturation_clients) == (100, 8, 4)
    assert (found.beyond_clients, found.beyond_per_s) == (8, 100)
    assert found.beyond_vs_peak == 1.0 and "x1.00 of the peak" in str(found)
    falling = Saturation.of("complete", [phase("complete", 4, 50), phase("complete", 8, 20)])
    assert falling.beyond_vs_peak == 0.4
    alone = Saturation.of("complete", [phase("complete", 16, 50)])
    assert alone.beyond_per_s is None and "no level measured" in str(alone)


def test_a_comparison_divides_this_by_against() -> None:
    report = RateReport(sizes=TINY, units=10, compared=True)
    for kind in KINDS:
        report.phases += [
            phase(kind, 1, 30, THIS, cpu=0.5),  # 300 requests, 600 per CPU-second
            phase(kind, 2, 60, THIS, cpu=1.0),
            phase(kind, 4, 60, THIS, cpu=1.0),
            phase(kind, 1, 10, AGAINST, cpu=0.5),  # 100 requests, 200 per CPU-second
            phase(kind, 2, 20, AGAINST, cpu=1.0),
            phase(kind, 4, 20, AGAINST, cpu=1.0),
        ]
    [add, complete] = report.comparisons
    assert (add.kind, add.peak_ratio, add.per_cpu_ratio) == ("add-item", 3.0, 3.0)
    assert complete.beyond_ratio == 3.0  # 60 ÷ 20, each at twice its saturation (2 → 4)
    names = [row["scenario"] for row in report.json_rows()]
    assert names[0] == "pos rate · this · add-item · 1 clients"
    assert names[-1] == "pos rate · complete · this ÷ against"
    assert not RateReport(sizes=TINY, units=10).comparisons


def test_the_pos_process_and_its_cpu_are_found_in_proc() -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", "import time; sum(range(10**6)); time.sleep(5)", "marker-h-pos"]
    )
    try:
        for _ in range(50):
            if service_pid("marker-h-pos") == child.pid:
                break
            subprocess.run(["sleep", "0.05"], check=True)
        assert service_pid("marker-h-pos") == child.pid
        used = cpu_seconds(child.pid)
        assert used is not None and used >= 0
    finally:
        child.kill()
        child.wait()
    assert service_pid("no-such-child-h-pos") is None
    assert cpu_seconds(None) is None


def test_another_checkout_must_be_one(tmp_path: Path) -> None:
    with pytest.raises(PlatformUnavailable, match="not a Shopfloor"):
        _checkout_of(tmp_path)
    path, migrations = _checkout_of(REPOSITORY)
    pos_src, common_src = (Path(entry) for entry in path.split(os.pathsep))
    assert (pos_src / "pos" / "cli.py").is_file() and (migrations / "env.py").is_file()
    assert (common_src / "common" / "money.py").is_file()  # its common is served, not ours


async def test_a_tiny_run_against_itself(pg_server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BENCH_DATABASE_URL", pg_server)
    monkeypatch.delenv("BENCH_NATS_URL", raising=False)
    messages: list[str] = []
    with backends() as backend:
        report = await run_pos_rates(
            backend, sizes=TINY, against=REPOSITORY, progress=messages.append
        )
    for side in (THIS, AGAINST):
        for kind in KINDS:
            phases = report.of(kind, side)
            assert [item.clients for item in phases] == [1, 2], (side, kind)
            per_cart = TINY.cart_items if kind == "add-item" else 1
            assert [len(item.samples) for item in phases] == [per_cart, 2 * per_cart]
            assert all(item.cpu_s is not None for item in phases), "the POS process was found"
    assert [item.kind for item in report.comparisons] == list(KINDS)
    assert report.service_errors == []
    assert any("against on http://127.0.0.1:" in message for message in messages)
