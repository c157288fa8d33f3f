"""Running the benchmarks' coroutines so that any stop signal unwinds cleanly.

Ctrl-C, SIGTERM and SIGHUP all end a run the same way: inside the event loop
the main task is cancelled (so ``finally`` blocks drop the scratch database and
stream), outside it ``KeyboardInterrupt`` is raised (so the embedded servers
are stopped and their directory removed).
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Coroutine
from types import FrameType
from typing import Any, TypeVar

import uvloop

T = TypeVar("T")
STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)


def _interrupt(signum: int, _frame: FrameType | None) -> None:
    """Outside the event loop, SIGTERM/SIGHUP unwind like Ctrl-C (servers stopped, dirs removed)."""
    raise KeyboardInterrupt(f"signal {signum}")


def catch_stop_signals() -> None:
    """Route SIGTERM/SIGHUP to ``KeyboardInterrupt`` (call once at start-up)."""
    for stop in STOP_SIGNALS:
        signal.signal(stop, _interrupt)


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run`` where SIGTERM/SIGHUP cancel the work cleanly, as Ctrl-C does."""

    async def main() -> T:
        loop = asyncio.get_running_loop()
        task = asyncio.current_task()
        assert task is not None
        for stop in STOP_SIGNALS:
            loop.add_signal_handler(stop, task.cancel)
        return await coroutine

    try:
        return uvloop.run(main())
    except asyncio.CancelledError:
        raise KeyboardInterrupt from None
    finally:
        catch_stop_signals()
