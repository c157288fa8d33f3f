"""Daily revenue goals: what a store means to take on a day; one goal per store and day (a
unique constraint, so two managers setting the same day at once get one goal and a 409)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import Conflict, NotFound, Unprocessable
from common.roles import Principal
from common.scope import check_store, scoped
from pos.goals.schemas import RevenueGoalIn, RevenueGoalUpdate
from pos.models import RevenueGoal
from pos.stores import store_to_act_on


class GoalService:
    def __init__(self, session: AsyncSession, actor: Principal) -> None:
        self.session = session
        self.actor = actor

    def listing(
        self, store: uuid.UUID | None, date_from: date | None, date_to: date | None
    ) -> Select[Any]:
        if date_from is not None and date_to is not None and date_from > date_to:
            raise Unprocessable(f"date_from: {date_from} is after date_to {date_to}.")
        statement = scoped(select(RevenueGoal), RevenueGoal.store_id, self.actor)
        if store is not None:
            statement = statement.where(RevenueGoal.store_id == store)
        if date_from is not None:
            statement = statement.where(RevenueGoal.day >= date_from)
        if date_to is not None:
            statement = statement.where(RevenueGoal.day <= date_to)
        return statement

    async def get(self, goal_id: uuid.UUID) -> RevenueGoal:
        goal = await self.session.get(RevenueGoal, goal_id)
        if goal is None:
            raise NotFound("No such revenue goal.")
        check_store(self.actor, goal.store_id)
        return goal

    async def create(self, body: RevenueGoalIn) -> RevenueGoal:
        await store_to_act_on(self.session, self.actor, body.store_id, "store_id")
        return await self._saved(RevenueGoal(**body.model_dump()))

    async def update(self, goal_id: uuid.UUID, body: RevenueGoalUpdate) -> RevenueGoal:
        goal = await self.get(goal_id)
        for field, value in body.model_dump(exclude_unset=True).items():
            if value is not None:
                setattr(goal, field, value)
        return await self._saved(goal)

    async def remove(self, goal_id: uuid.UUID) -> None:
        await self.session.delete(await self.get(goal_id))
        await self.session.flush()

    async def _saved(self, goal: RevenueGoal) -> RevenueGoal:
        day = goal.day  # read before a failed flush expires the row
        try:
            async with self.session.begin_nested():
                self.session.add(goal)
                await self.session.flush()
        except IntegrityError as exc:
            raise Conflict(f"day: the store already has a revenue goal for {day}.") from exc
        await self.session.refresh(goal)
        return goal
