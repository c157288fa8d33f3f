"""Printing results: a rich table for people, one JSON line per scenario for notes, and ratios.

A ratio compares a candidate with a baseline, e.g. the gateway with the direct
call: ``p50 x1.31`` means the candidate's median latency is 1.31 times the
baseline's (31 % slower); ``rps x0.78`` means it served 78 % of the baseline's
requests per second.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TextIO

from rich.console import Console
from rich.table import Table

from shopfloor_bench.http import Result

# Piped output (notes, CI logs) gets a wide table instead of rich's 80 columns.
console = Console(width=None if sys.stdout.isatty() else 160)


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    if isinstance(value, Mapping):
        return ", ".join(f"{key}:{item}" for key, item in value.items())
    return str(value)


def print_table(title: str, rows: Sequence[Mapping[str, object]]) -> None:
    """One row per scenario; columns are every key seen, in first-seen order."""
    columns: list[str] = []
    for row in rows:
        columns.extend(key for key in row if key not in columns)
    table = Table(title=title, title_justify="left")
    for column in columns:
        table.add_column(column, justify="left" if column == "scenario" else "right")
    for row in rows:
        table.add_row(*(_cell(row.get(column, "")) for column in columns))
    console.print(table)


def _rounded(value: object) -> object:
    if isinstance(value, float):
        return round(value, 3)
    if isinstance(value, Mapping):
        return {str(key): _rounded(item) for key, item in value.items()}
    return value


def json_line(row: Mapping[str, object]) -> str:
    """The row as one compact JSON line (floats rounded to 3 decimals)."""
    return json.dumps({key: _rounded(value) for key, value in row.items()}, ensure_ascii=False)


def print_json_lines(rows: Sequence[Mapping[str, object]], stream: TextIO | None = None) -> None:
    """Plain lines, never wrapped, so they can be copied as they are."""
    out = stream or sys.stdout
    for row in rows:
        out.write(json_line(row) + "\n")
    out.flush()


def print_results(title: str, rows: Sequence[Mapping[str, object]]) -> None:
    print_table(title, rows)
    print_json_lines(rows)


def _divide(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None


@dataclass(frozen=True)
class Ratio:
    """candidate / baseline for latency percentiles and throughput (None when undefined)."""

    label: str
    p50: float | None
    p95: float | None
    p99: float | None
    rps: float | None

    def __str__(self) -> str:
        parts = [
            f"{name} x{value:.2f}" if value is not None else f"{name} n/a"
            for name, value in (
                ("p50", self.p50),
                ("p95", self.p95),
                ("p99", self.p99),
                ("rps", self.rps),
            )
        ]
        return f"{self.label}: " + ", ".join(parts)

    def to_dict(self) -> dict[str, object]:
        return {
            "scenario": self.label,
            "p50_ratio": self.p50,
            "p95_ratio": self.p95,
            "p99_ratio": self.p99,
            "rps_ratio": self.rps,
        }


def ratio(candidate: Result, baseline: Result, label: str) -> Ratio:
    """``ratio(gateway, direct, "through gateway vs direct")``."""
    return Ratio(
        label=label,
        p50=_divide(candidate.p50_ms, baseline.p50_ms),
        p95=_divide(candidate.p95_ms, baseline.p95_ms),
        p99=_divide(candidate.p99_ms, baseline.p99_ms),
        rps=_divide(candidate.rps, baseline.rps),
    )
