"""Auth's own per-request check: is the caller's token still good, by auth's own tables, now.

Auth is the truth, so it refuses at once what it has just ended (no event, no
snapshot). The rules are ``common.revocations``' (see its ``snapshot.py``) without
the unknown-user grace, since auth knows every user it has.

The read (``standing_reader.py``) runs on every authenticated request of auth, so
it is one statement on a small pool of its own. It brings the caller's account
with its profiles too, and
``GET /api/auth/me`` answers from it without a second query; bench ``auth-me``
measured the ORM's ``Session.get`` with its three selectin loads, and a
transaction around the old standing query, as most of that route's cost. A
test keeps this row's shape equal to ``GET /api/users/{id}``.
"""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import Depends, FastAPI, Request

from auth.accounts.schemas import UserOut
from auth.sessions.standing_reader import Row, StandingReader
from common.errors import Unauthenticated
from common.revocations.snapshot import ENDED, INACTIVE, REVOKED, UNKNOWN
from common.roles import Caller, Principal, ServicePrincipal
from common.security import CurrentUser


def judge(principal: Principal, row: Row | None) -> str | None:
    """Why auth refuses this access token, or None (``row``: its standing, as read)."""
    if row is None:
        return UNKNOWN
    if not row["is_active"]:
        return INACTIVE
    if row["revoked"]:
        return REVOKED
    valid_after = row["tokens_valid_after"]
    if valid_after is not None and (principal.issued_at or 0.0) < valid_after.timestamp():
        return ENDED
    return None


def account_out(row: Row) -> UserOut:
    """``UserOut`` of a standing row (the same body as ``GET /api/users/{id}``)."""
    return UserOut(
        id=row["id"],
        email=row["email"],
        first_name=row["first_name"],
        last_name=row["last_name"],
        full_name=f"{row['first_name']} {row['last_name']}".strip(),
        phone=row["phone"],
        role=row["role"],
        store_ids=list(row["store_ids"] or []),
        is_active=row["is_active"],
        date_joined=row["date_joined"],
        last_login=row["last_login"],
        employee_profile=None
        if row["employee"] is None
        else {
            "employee_number": row["employee_number"],
            "job_title": row["job_title"],
            "hire_date": row["hire_date"],
            "hourly_rate": row["hourly_rate"],
            "emergency_contact": row["emergency_contact"],
        },
        consignee_profile=None
        if row["consignee"] is None
        else {
            "commission_rate": row["commission_rate"],
            "payout_method": row["payout_method"],
            "address": row["consignee_address"],
            "notes": row["consignee_notes"],
        },
        customer_profile=None
        if row["customer"] is None
        else {
            "customer_number": row["customer_number"],
            "address": row["customer_address"],
            "notes": row["customer_notes"],
            "marketing_opt_in": row["marketing_opt_in"],
        },
    )


async def open_reader(app: FastAPI) -> None:
    """``on_startup`` of auth's app."""
    settings = app.state.settings
    reader = StandingReader(
        app.state.database,
        settings.database_pool_size,
        idle_seconds=settings.database_pool_idle_seconds or 600.0,
    )
    await reader.pool.open(wait=True, timeout=30)
    app.state.reader = reader
    app.state.event_tasks.append(asyncio.create_task(reader.hold_open(), name="auth-standing"))


async def check_caller(request: Request, caller: Caller) -> None:
    """The ``principal_check`` of auth's app; keeps the account on the request for /me."""
    if isinstance(caller, ServicePrincipal):
        return
    reader: StandingReader = request.app.state.reader
    row = await reader.read(caller)
    refusal = judge(caller, row)
    if refusal is not None:
        raise Unauthenticated(refusal)
    request.state.account = row


async def current_account(request: Request, _principal: CurrentUser) -> UserOut:
    """The signed-in person's account, as the check just read it."""
    row: Row = request.state.account
    return account_out(row)


CurrentAccount = Annotated[UserOut, Depends(current_account)]
