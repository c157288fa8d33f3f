"""Daily revenue goals: what a store means to take on a day; one goal per store and day (a
unique constraint, so two managers setting the same day at once get one goal and a 409)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import Conflict, NotFound, Unprocessable
from common.pagination import PageParams
from common.roles import Principal
from common.scope import check_store
from common.updates import apply_changes
from pos.events.contracts import RevenueGoalChanged
from pos.events.outbox import outbox
from pos.goals.models import RevenueGoal
from pos.goals.repository import DayTaken, GoalRepository
from pos.goals.schemas import RevenueGoalIn, RevenueGoalUpdate
from pos.shops.repository import StoreRepository
from pos.shops.service import store_to_act_on


class GoalService:
    def __init__(self, session: AsyncSession, actor: Principal) -> None:
        self.session = session
        self.goals = GoalRepository(session)
        self.stores = StoreRepository(session)
        self.actor = actor

    async def listing(
        self,
        page: PageParams,
        *,
        store: uuid.UUID | None = None,
        date_from: date | None = None,
        date_to: date | None = None,
        ordering: str | None = None,
    ) -> tuple[int, list[RevenueGoal]]:
        if date_from is not None and date_to is not None and date_from > date_to:
            raise Unprocessable(f"date_from: {date_from} is after date_to {date_to}.")
        statement = self.goals.listing(
            self.actor, store=store, date_from=date_from, date_to=date_to, ordering=ordering
        )
        return await self.goals.page(statement, page)

    async def get(self, goal_id: uuid.UUID) -> RevenueGoal:
        goal = await self.goals.get(goal_id)
        if goal is None:
            raise NotFound("No such revenue goal.")
        check_store(self.actor, goal.store_id)
        return goal

    async def create(self, body: RevenueGoalIn) -> RevenueGoal:
        await store_to_act_on(self.stores, self.actor, body.store_id, "store_id")
        goal = await self._saved(RevenueGoal(**body.model_dump()))
        await self._announce(goal, "pos.revenue_goal.created", [])
        return goal

    async def update(self, goal_id: uuid.UUID, body: RevenueGoalUpdate) -> RevenueGoal:
        goal = await self.get(goal_id)
        apply_changes(goal, body)
        saved = await self._saved(goal)
        await self._announce(saved, "pos.revenue_goal.updated", sorted(body.model_fields_set))
        return saved

    async def remove(self, goal_id: uuid.UUID) -> None:
        goal = await self.get(goal_id)
        await self._announce(goal, "pos.revenue_goal.deleted", [])
        await self.goals.remove(goal)

    async def _announce(self, goal: RevenueGoal, subject: str, changed: list[str]) -> None:
        event = RevenueGoalChanged(
            goal_id=goal.id,
            store_id=goal.store_id,
            day=goal.day,
            amount=goal.amount,
            changed=changed,
        )
        await outbox.publish(self.session, event, subject=subject, actor=self.actor.user_id)

    async def _saved(self, goal: RevenueGoal) -> RevenueGoal:
        day = goal.day  # read before a failed flush expires the row
        try:
            return await self.goals.save(goal)
        except DayTaken as exc:
            raise Conflict(f"day: the store already has a revenue goal for {day}.") from exc
