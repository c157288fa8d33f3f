"""The attendance benchmark's plumbing and one tiny whole run (no timing assertions).

The whole run is the real thing at a tiny size: attendance migrated and seeded, served as a
process behind Caddy, check-ins with a selfie both ways, the monthly report both ways, and
the final check of the database and the report."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from shopfloor_bench.attendance import Sizes, multipart, noise_jpeg, run_attendance
from shopfloor_bench.engines import backends

pytest.importorskip("attendance")


def test_the_selfie_is_a_jpeg_of_about_the_size_asked() -> None:
    data = noise_jpeg(256, 1)
    assert 256 * 1024 <= len(data) < 400 * 1024
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
    assert noise_jpeg(64, 5) == noise_jpeg(64, 5)


def test_the_form_carries_its_fields_and_the_selfie() -> None:
    body, kind = multipart({"latitude": "34.05"}, b"\xff\xd8JPEG")
    boundary = kind.split("boundary=")[1]
    assert body.startswith(f"--{boundary}\r\n".encode()) and body.endswith(
        f"--{boundary}--\r\n".encode()
    )
    assert b'name="latitude"\r\n\r\n34.05\r\n' in body and b"\xff\xd8JPEG\r\n" in body


def test_sizes_refuse_nonsense() -> None:
    assert Sizes(punches=3, warmup=1).punchers == 8
    with pytest.raises(ValueError):
        Sizes(advisors=0)


async def test_a_tiny_whole_run_checks_in_both_ways_and_reads_the_report() -> None:
    sizes = Sizes(advisors=3, punches=2, warmup=1, concurrency=2, report_requests=2, selfie_kb=64)
    with backends() as backend:
        report = await run_attendance(backend, sizes=sizes)
    assert set(report.check_in) == set(report.report) == {"direct", "gateway"}
    assert all(r.count == 2 and r.errors == 0 for r in report.check_in.values())
    assert all(r.count == 2 and r.errors == 0 for r in report.report.values())
    assert report.problems == [] and report.service_errors == []
    assert [row["scenario"] for row in report.json_rows()][-2:] == [
        "check-in: gateway vs direct",
        "monthly report: gateway vs direct",
    ]
