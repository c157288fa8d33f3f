"""Test sessions side by side: a NATS started on a port another one took says so."""

from __future__ import annotations

from pathlib import Path

import pytest

from common.testing.engines import NatsServer, PortTaken, free_port


def test_a_nats_whose_port_was_taken_refuses_to_stand_in_for_the_other(tmp_path: Path) -> None:
    port = free_port()
    first = NatsServer(tmp_path / "first", port, name="shopfloor-test-first")
    first.start()
    try:
        second = NatsServer(tmp_path / "second", port, name="shopfloor-test-second")
        with pytest.raises(PortTaken, match="shopfloor-test-first"):
            second.start()
        assert second._process is None  # stopped, nothing left running
    finally:
        first.stop()
