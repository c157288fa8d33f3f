"""One LISTEN connection per process serves every channel (real PostgreSQL)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import psycopg
import pytest

from common.notifications import Notifications
from common.testing.events import eventually
from common.testing.helpers import running_app
from tests.widgets import make_app, make_settings


@pytest.fixture(scope="module")
def listen_db(fresh_database: Callable[[str], str]) -> str:
    return fresh_database("listen")


async def listeners(url: str) -> list[int]:
    """Backends of this database whose last statement was a LISTEN (the listening ones)."""
    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as connection:
        cursor = await connection.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND query LIKE 'LISTEN %'"
        )
        return [int(row[0]) for row in await cursor.fetchall()]


async def notify(url: str, channel: str) -> None:
    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as connection:
        await connection.execute("SELECT pg_notify(%s, '')", [channel])


@pytest.fixture
async def running(listen_db: str) -> AsyncIterator[Notifications]:
    notifications = Notifications(listen_db, recheck=0.1)
    task = asyncio.create_task(notifications.run())
    yield notifications
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


async def woken(event: asyncio.Event, timeout: float = 5.0) -> bool:
    try:
        async with asyncio.timeout(timeout):
            await event.wait()
    except TimeoutError:
        return False
    event.clear()
    return True


async def test_two_channels_share_one_connection(running: Notifications, listen_db: str) -> None:
    outbox = running.listen("shopfloor_outbox_widgets")
    revocations = running.listen("shopfloor_revocations")
    assert await woken(outbox) and await woken(revocations)  # set once LISTEN is in place
    assert len(await listeners(listen_db)) == 1

    await notify(listen_db, "shopfloor_revocations")
    assert await woken(revocations)
    assert not outbox.is_set()  # only the channel notified wakes
    await notify(listen_db, "shopfloor_outbox_widgets")
    assert await woken(outbox)


async def test_a_channel_asked_for_later_is_listened_on_the_same_connection(
    running: Notifications, listen_db: str
) -> None:
    first = running.listen("first")
    assert await woken(first)
    [pid] = await listeners(listen_db)
    later = running.listen("later")
    assert await woken(later)  # its LISTEN ran: what was committed before is to be read now
    await notify(listen_db, "later")
    assert await woken(later)
    assert await listeners(listen_db) == [pid]


async def test_a_lost_connection_is_replaced_and_wakes_every_waiter(
    running: Notifications, listen_db: str
) -> None:
    event = running.listen("again")
    assert await woken(event)
    [pid] = await listeners(listen_db)
    async with await psycopg.AsyncConnection.connect(listen_db, autocommit=True) as connection:
        await connection.execute("SELECT pg_terminate_backend(%s)", [pid])
    assert await woken(event)  # the new connection's LISTEN: catch up on what was missed

    async def replaced() -> bool:
        return len(found := await listeners(listen_db)) == 1 and found != [pid]

    await eventually(replaced, timeout=5)
    await notify(listen_db, "again")
    assert await woken(event)


async def test_the_relay_and_the_revocation_guard_of_an_app_share_one_listener(
    widgets_db: str, nats_url: str, public_key_pem: str
) -> None:
    app = make_app(
        make_settings(widgets_db, nats_url, public_key_pem),
        with_consumer=True,
        with_revocations=True,
    )
    async with running_app(app):

        async def both_listened() -> bool:
            channels = {"shopfloor_outbox_widgets", "shopfloor_revocations"}
            return channels <= app.state.notifications.listening

        await eventually(both_listened, timeout=10)
        assert len(await listeners(widgets_db)) == 1
