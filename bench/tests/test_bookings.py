"""The bookings benchmark's plumbing and one tiny whole run (no timing assertions): the seed is
reproducible and counts what the list must find; the run creates through the gateway with
solved captchas and checks every list's count against the seed."""

from __future__ import annotations

from datetime import time as clock
from datetime import timedelta

import pytest
from altcha.v1 import ChallengeOptions, create_challenge, verify_solution

from shopfloor_bench.bookings import STATUSES, run_bookings, seed_rows, solved
from shopfloor_bench.engines import backends

pytest.importorskip("bookings")


def test_the_seed_is_reproducible_and_its_counts_add_up() -> None:
    seed, rows = seed_rows(700, 7)
    again, same = seed_rows(700, 7)
    assert rows == same and seed.by_status_day == again.by_status_day
    assert sum(seed.by_status_day.values()) == 700
    assert {row[1] for row in rows} == set(STATUSES)
    last = seed.first_day + timedelta(days=400)
    assert sum(seed.count(status, seed.first_day, last) for status in STATUSES) == 700
    assert all(clock(9) <= row[8] <= clock(17, 30) for row in rows)


def test_a_solved_challenge_verifies() -> None:
    challenge = create_challenge(ChallengeOptions(hmac_key="k", max_number=500))
    token = solved({**challenge.to_dict(), "maxnumber": challenge.max_number})
    assert verify_solution(token, "k")[0] is True


async def test_a_tiny_whole_run() -> None:
    with backends() as backend:
        report = await run_bookings(backend, bookings=300, creates=2, lists=3, warmup=1)
    assert [row["count"] for row in report.rows()] == [2, 2, 3, 3]
    assert report.service_errors == []
