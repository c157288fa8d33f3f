"""What waits for the commit runs after it, and never when the transaction rolls back."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from common.after_commit import after_commit
from common.db import Database


async def test_an_action_runs_once_the_transaction_commits(widgets_settings) -> None:
    database = Database(widgets_settings.database_url)
    ran: list[bool] = []
    try:
        async with database.session() as session:

            async def seen_committed() -> None:
                # a fresh connection sees the table: the transaction is over
                async with database.engine.connect() as other:
                    count = (await other.execute(text("SELECT count(*) FROM t_after"))).scalar()
                ran.append(count == 1)

            await session.execute(text("CREATE TABLE t_after (id int)"))
            await session.execute(text("INSERT INTO t_after VALUES (1)"))
            after_commit(session, seen_committed)
            assert ran == []
        assert ran == [True]
    finally:
        async with database.session() as session:
            await session.execute(text("DROP TABLE IF EXISTS t_after"))
        await database.dispose()


async def test_an_action_is_dropped_when_the_transaction_rolls_back(widgets_settings) -> None:
    database = Database(widgets_settings.database_url)
    ran: list[str] = []

    async def remove_file() -> None:
        ran.append("removed")

    try:
        with pytest.raises(RuntimeError, match="the commit never comes"):
            async with database.session() as session:
                after_commit(session, remove_file)
                raise RuntimeError("the commit never comes")
        async with database.session() as session:  # a later unit of work does not run it either
            await session.execute(text("SELECT 1"))
        assert ran == []
    finally:
        await database.dispose()


async def test_a_failing_action_does_not_undo_or_hide_the_commit(widgets_settings, caplog) -> None:
    database = Database(widgets_settings.database_url)
    ran: list[str] = []

    async def broken() -> None:
        raise OSError("disk gone")

    async def next_one() -> None:
        ran.append("next")

    try:
        async with database.session() as session:
            after_commit(session, broken)
            after_commit(session, next_one)
        assert ran == ["next"]
        assert "an after-commit action failed" in caplog.text
    finally:
        await database.dispose()
