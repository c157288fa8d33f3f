"""Stopping background tasks at shutdown without ever hanging on one."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterable

logger = logging.getLogger(__name__)

STOP_GRACE_SECONDS = 5.0


async def stop_tasks(
    tasks: Iterable[asyncio.Task[None]], grace: float = STOP_GRACE_SECONDS
) -> None:
    """Cancel ``tasks`` and wait up to ``grace`` seconds for them to end. A task that swallows
    its cancellation (a library catching ``CancelledError`` deep in a network call) is logged
    and left behind, so a service — or a test's teardown — always finishes shutting down."""
    tasks = list(tasks)
    pending = [task for task in tasks if not task.done()]
    for task in pending:
        task.cancel()
    if pending:
        _, stuck = await asyncio.wait(pending, timeout=grace)
        for task in stuck:
            logger.warning("task %s did not stop within %.0f s; leaving it", task.get_name(), grace)
    for task in tasks:
        if task.done() and not task.cancelled():
            with contextlib.suppress(Exception):
                task.exception()  # retrieved: no "exception was never retrieved" noise
