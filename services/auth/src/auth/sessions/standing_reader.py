"""The standing read behind auth's per-request check: one statement, on a pool of its own.

Every authenticated request of auth runs it, so it skips what a general session
costs per request (psycopg, autocommit: no BEGIN/COMMIT, no pre-ping, no ORM);
see ``standing.py`` for what is judged from the row.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from typing import Any

import psycopg
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

from common.db import Database, libpq_url
from common.roles import Principal

Row = dict[str, Any]

STANDING_SQL = """
SELECT u.id, u.email, u.first_name, u.last_name, u.phone, u.role, u.store_ids, u.is_active,
       u.date_joined, u.last_login, u.tokens_valid_after,
       EXISTS (SELECT 1 FROM revoked_access_tokens r WHERE r.jti = ANY(%(token_ids)s)) AS revoked,
       e.user_id AS employee, e.employee_number, e.job_title, e.hire_date, e.hourly_rate,
       e.emergency_contact,
       c.user_id AS consignee, c.commission_rate, c.payout_method, c.address AS consignee_address,
       c.notes AS consignee_notes,
       k.user_id AS customer, k.customer_number, k.address AS customer_address,
       k.notes AS customer_notes, k.marketing_opt_in
  FROM users u
  LEFT JOIN employee_profiles e ON e.user_id = u.id
  LEFT JOIN consignee_profiles c ON c.user_id = u.id
  LEFT JOIN customer_profiles k ON k.user_id = u.id
 WHERE u.id = %(user_id)s
"""


class StandingReader:
    """The pool the check reads from (opened at start-up, closed at shutdown)."""

    def __init__(self, database: Database, size: int, *, idle_seconds: float = 600.0) -> None:
        # No connection kept for an idle auth: psycopg_pool closes one unused for
        # ``idle_seconds`` at a time (DATABASE_POOL_IDLE_SECONDS, as the engine's pool).
        self.pool: AsyncConnectionPool[psycopg.AsyncConnection[Row]] = AsyncConnectionPool(
            libpq_url(database.url),
            min_size=0,
            max_size=max(size, 1),
            max_idle=idle_seconds,
            kwargs={"autocommit": True, "row_factory": dict_row},
            open=False,
            name="auth-standing",
        )

    async def read(self, principal: Principal) -> Row | None:
        try:
            user_id = uuid.UUID(principal.user_id)
        except ValueError:
            return None
        token_ids = [
            principal.token_id or "",
            *([principal.session_id] if principal.session_id else []),
        ]
        for attempt in range(3):  # a connection the database dropped (a restart) is replaced
            try:
                async with self.pool.connection() as connection:
                    cursor = await connection.execute(
                        STANDING_SQL, {"user_id": user_id, "token_ids": token_ids}
                    )
                    return await cursor.fetchone()
            except psycopg.OperationalError:
                if attempt == 2:
                    raise
        return None

    async def hold_open(self) -> None:
        """A task of the app's: keep the pool until shutdown cancels it, then close it."""
        try:
            await asyncio.Event().wait()
        finally:
            with contextlib.suppress(Exception):
                await self.pool.close()
