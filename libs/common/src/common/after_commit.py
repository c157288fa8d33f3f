"""Work that must wait until the transaction has committed, and must not happen without it.

Removing a stored file is the case: a request that deletes a file's row and then its bytes
loses the bytes for good when the commit fails afterwards (the row stays, pointing at
nothing). ``after_commit(session, action)`` keeps the action with the session; when the
transaction commits it becomes due, when it rolls back it is dropped, and
``Database.session()`` (the request session included) runs what is due right after its
commit, before the response goes out. An action that fails is logged, never raised: the
change it follows has committed, and a file left behind costs only disk space.

An action added inside a savepoint that is later rolled back still runs if the outer
transaction commits: add actions outside savepoints.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

logger = logging.getLogger(__name__)

Action = Callable[[], Awaitable[None]]
_PENDING = "shopfloor_after_commit_pending"
_DUE = "shopfloor_after_commit_due"


def after_commit(session: AsyncSession, action: Action) -> None:
    """Run ``action`` once the session's current transaction commits (never if it rolls back)."""
    session.sync_session.info.setdefault(_PENDING, []).append(action)


async def run_due(session: AsyncSession) -> None:
    """Run, in order, what the commits of ``session`` made due."""
    due: list[Action] = session.sync_session.info.pop(_DUE, [])
    for action in due:
        try:
            await action()
        except Exception:
            logger.exception("an after-commit action failed")


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    session.info.setdefault(_DUE, []).extend(session.info.pop(_PENDING, []))


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    session.info.pop(_PENDING, None)
