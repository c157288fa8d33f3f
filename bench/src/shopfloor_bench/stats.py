"""Percentiles and a latency summary, in whatever unit the samples are in.

Percentiles interpolate linearly between the two closest ranks (NumPy's default
"linear" method): ``percentile([1, 2, 3, 4], 50) == 2.5``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0 ≤ q ≤ 100) of ``values`` (any order, at least one value)."""
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= q <= 100:
        raise ValueError(f"percentile must be within 0..100, got {q}")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = math.floor(rank)
    high = math.ceil(rank)
    if low == high:
        return float(ordered[low])
    weight = rank - low
    return float(ordered[low] * (1 - weight) + ordered[high] * weight)


@dataclass(frozen=True)
class LatencyStats:
    """Summary of a set of samples; all zeros when there are none."""

    count: int
    p50: float
    p95: float
    p99: float
    max: float
    mean: float

    @classmethod
    def of(cls, samples: Iterable[float]) -> LatencyStats:
        values = list(samples)
        if not values:
            return cls(0, 0.0, 0.0, 0.0, 0.0, 0.0)
        return cls(
            count=len(values),
            p50=percentile(values, 50),
            p95=percentile(values, 95),
            p99=percentile(values, 99),
            max=float(max(values)),
            mean=math.fsum(values) / len(values),
        )

    def scaled(self, factor: float) -> LatencyStats:
        """The same summary in another unit (``scaled(1000)``: seconds → milliseconds)."""
        return LatencyStats(
            self.count,
            self.p50 * factor,
            self.p95 * factor,
            self.p99 * factor,
            self.max * factor,
            self.mean * factor,
        )

    def as_ms_dict(self) -> dict[str, float | int]:
        """``{"count": …, "p50_ms": …}`` for samples already in milliseconds."""
        return {
            ("count" if key == "count" else f"{key}_ms"): value
            for key, value in asdict(self).items()
        }
