"""Shutdown never hangs on a background task, even one that swallows its cancellation."""

from __future__ import annotations

import asyncio
import contextlib
import time

from common.tasks import stop_tasks


async def test_a_task_that_ignores_cancel_does_not_hang_shutdown() -> None:
    async def stubborn() -> None:
        # swallowed, as a library deep in a network call may do
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.sleep(10)
        await asyncio.sleep(10)  # ... and carries on (a second cancel ends it)

    async def polite() -> None:
        await asyncio.sleep(10)

    tasks = [asyncio.create_task(stubborn(), name="stubborn"), asyncio.create_task(polite())]
    await asyncio.sleep(0)
    started = time.monotonic()
    await stop_tasks(tasks, grace=0.3)
    assert time.monotonic() - started < 2
    assert tasks[1].cancelled()
    assert not tasks[0].done()  # left behind and logged, not awaited forever
    tasks[0].cancel()  # let the test's loop close cleanly
    await asyncio.wait([tasks[0]], timeout=1)
    assert tasks[0].cancelled()


async def test_errors_of_stopped_tasks_are_retrieved() -> None:
    async def failing() -> None:
        raise RuntimeError("boom")

    task = asyncio.create_task(failing())
    await asyncio.sleep(0)
    await stop_tasks([task], grace=0.3)
    assert task.done() and isinstance(task.exception(), RuntimeError)
