"""Queries on users and customers. Nothing else in the service writes SQL for them."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from auth.models import CustomerProfile, User, customer_number_seq
from common.roles import Role


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, user_id: uuid.UUID) -> User | None:
        return await self.session.get(User, user_id)

    async def get_for_update(self, user_id: uuid.UUID) -> User | None:
        return (
            await self.session.execute(select(User).where(User.id == user_id).with_for_update())
        ).scalar_one_or_none()

    async def by_email(self, email: str) -> User | None:
        return (
            await self.session.execute(select(User).where(User.email == email.lower()))
        ).scalar_one_or_none()

    async def email_taken(self, email: str, *, except_id: uuid.UUID | None = None) -> bool:
        statement = select(User.id).where(User.email == email.lower())
        if except_id:
            statement = statement.where(User.id != except_id)
        return (await self.session.execute(statement)).first() is not None

    async def any_admin(self) -> bool:
        statement = select(User.id).where(
            User.role == Role.system_admin.value, User.is_active.is_(True)
        )
        return (await self.session.execute(statement.limit(1))).first() is not None

    def listing(
        self,
        *,
        role: str | None = None,
        is_active: bool | None = True,
        search: str | None = None,
        roles: tuple[str, ...] | None = None,
    ) -> Select[Any]:
        statement = select(User)
        if role:
            statement = statement.where(User.role == role)
        if roles:
            statement = statement.where(User.role.in_(roles))
        if is_active is not None:
            statement = statement.where(User.is_active.is_(is_active))
        if search and search.strip():
            pattern = f"%{search.strip()}%"
            statement = statement.outerjoin(CustomerProfile).where(
                or_(
                    User.email.ilike(pattern),
                    User.first_name.ilike(pattern),
                    User.last_name.ilike(pattern),
                    (User.first_name + " " + User.last_name).ilike(pattern),
                    User.phone.ilike(pattern),
                    CustomerProfile.customer_number.ilike(pattern),
                )
            )
        return statement

    async def by_customer_number(self, number: str) -> User | None:
        statement = (
            select(User)
            .join(CustomerProfile)
            .where(
                func.upper(CustomerProfile.customer_number) == number.upper(),
                User.is_active.is_(True),
            )
        )
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def next_customer_number(self) -> str:
        value = (await self.session.execute(select(customer_number_seq.next_value()))).scalar_one()
        return f"CUS-{int(value):06d}"

    def add(self, user: User) -> None:
        self.session.add(user)

    async def flush(self) -> None:
        await self.session.flush()
