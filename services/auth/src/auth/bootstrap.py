"""Creating the first system admin (from the environment at prestart, or from the CLI)."""

from __future__ import annotations

import logging

from auth.accounts.repository import UserRepository
from auth.accounts.service import check_password
from auth.config import AuthSettings
from auth.events.outbox import USER_CREATED, publish_user
from auth.models import EmployeeProfile, User
from auth.secrets.hashing import hash_password
from common.db import Database
from common.roles import Role

logger = logging.getLogger(__name__)


async def create_admin(
    settings: AuthSettings, email: str, password: str, *, only_if_none: bool
) -> bool:
    """Create a system admin; with ``only_if_none`` nothing happens when an active one exists."""
    database = Database(settings.database_url, pool_size=1)
    try:
        async with database.session() as session:
            users = UserRepository(session)
            if only_if_none and await users.any_admin():
                return False
            if await users.by_email(email):
                raise ValueError(f"a user with email {email} already exists")
            check_password(password, email=email)
            user = User(
                email=email.lower(),
                password_hash=hash_password(password),
                role=Role.system_admin.value,
                store_ids=[],
                first_name="Admin",
            )
            user.employee_profile = EmployeeProfile(job_title="System administrator")
            users.add(user)
            await session.flush()
            await session.refresh(user)
            await publish_user(session, USER_CREATED, user, actor=None)
        return True
    finally:
        await database.dispose()


async def bootstrap_admin_from_env(settings: AuthSettings) -> None:
    if not (settings.shopfloor_admin_email and settings.shopfloor_admin_password):
        logger.warning("SHOPFLOOR_ADMIN_EMAIL / SHOPFLOOR_ADMIN_PASSWORD not set: no admin created")
        return
    created = await create_admin(
        settings,
        settings.shopfloor_admin_email,
        settings.shopfloor_admin_password.get_secret_value(),
        only_if_none=True,
    )
    print(
        f"auth: first system_admin {settings.shopfloor_admin_email} created"
        if created
        else "auth: a system_admin exists"
    )
