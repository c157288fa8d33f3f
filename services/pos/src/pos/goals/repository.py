"""Queries on revenue goals."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, select, tuple_
from sqlalchemy.exc import IntegrityError

from common.pagination import apply_ordering
from common.roles import Principal
from common.scope import scoped
from pos.goals.models import RevenueGoal
from pos.repository import Repository

ORDERING = {"day": RevenueGoal.day, "amount": RevenueGoal.amount}


class DayTaken(Exception):
    """The store already has a goal for the day (the unique constraint said so)."""


class GoalRepository(Repository):
    async def get(self, goal_id: uuid.UUID) -> RevenueGoal | None:
        return await self.session.get(RevenueGoal, goal_id)

    def listing(
        self,
        actor: Principal,
        *,
        store: uuid.UUID | None,
        date_from: date | None,
        date_to: date | None,
        ordering: str | None,
    ) -> Select[Any]:
        statement = scoped(select(RevenueGoal), RevenueGoal.store_id, actor)
        if store is not None:
            statement = statement.where(RevenueGoal.store_id == store)
        if date_from is not None:
            statement = statement.where(RevenueGoal.day >= date_from)
        if date_to is not None:
            statement = statement.where(RevenueGoal.day <= date_to)
        return apply_ordering(
            statement, ordering, ORDERING, [RevenueGoal.day, RevenueGoal.store_id]
        )

    async def on_days(self, days: Mapping[uuid.UUID, date]) -> dict[uuid.UUID, Decimal]:
        """Each store's goal for its day, where it set one."""
        if not days:
            return {}
        statement = select(RevenueGoal.store_id, RevenueGoal.amount).where(
            tuple_(RevenueGoal.store_id, RevenueGoal.day).in_(list(days.items()))
        )
        rows = (await self.session.execute(statement)).all()
        return {store: Decimal(amount) for store, amount in rows}

    async def save(self, goal: RevenueGoal) -> RevenueGoal:
        """Insert or update ``goal``; ``DayTaken`` when its store has a goal that day."""
        try:
            async with self.session.begin_nested():
                self.session.add(goal)
                await self.session.flush()
        except IntegrityError as exc:
            raise DayTaken from exc
        await self.session.refresh(goal)
        return goal

    async def remove(self, goal: RevenueGoal) -> None:
        await self.session.delete(goal)
        await self.session.flush()
