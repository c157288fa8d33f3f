"""Seed 002 /api/pos/revenue-goals (Manager+, own stores): daily revenue goals."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response

from common.db import SessionDep
from common.openapi import described
from common.pagination import Page, PageDep, apply_ordering, make_page, paginate
from common.security import BranchHeadUser
from pos.goals.schemas import RevenueGoalIn, RevenueGoalOut, RevenueGoalUpdate
from pos.goals.service import GoalService
from pos.models import RevenueGoal

router = APIRouter(prefix="/api/pos/revenue-goals", tags=["revenue goals"])
NOT_FOUND = described(r404="No such revenue goal", r403="Another store's goal")
DAY_TAKEN = described(r409="The store already has a goal for that day")


@router.get("", summary="List revenue goals of your stores: ?store=, ?date_from=, ?date_to=")
async def list_goals(
    actor: BranchHeadUser,
    session: SessionDep,
    page: PageDep,
    store: Annotated[uuid.UUID | None, Query(description="Only this store's")] = None,
    date_from: Annotated[date | None, Query(description="From this day on, YYYY-MM-DD")] = None,
    date_to: Annotated[date | None, Query(description="Up to this day, YYYY-MM-DD")] = None,
    ordering: Annotated[str | None, Query(description="day, amount")] = None,
) -> Page[RevenueGoalOut]:
    statement = apply_ordering(
        GoalService(session, actor).listing(store, date_from, date_to),
        ordering,
        {"day": RevenueGoal.day, "amount": RevenueGoal.amount},
        [RevenueGoal.day, RevenueGoal.store_id],
    )
    count, rows = await paginate(session, statement, page)
    return make_page(count, [RevenueGoalOut.of(row) for row in rows], page)


@router.post(
    "",
    status_code=201,
    summary="Set a store's revenue goal for a day",
    responses={**DAY_TAKEN, **described(r403="Another store", r422="Unknown store")},
)
async def create_goal(
    body: RevenueGoalIn, actor: BranchHeadUser, session: SessionDep
) -> RevenueGoalOut:
    return RevenueGoalOut.of(await GoalService(session, actor).create(body))


@router.get("/{goal_id}", summary="Retrieve a revenue goal", responses=NOT_FOUND)
async def get_goal(
    goal_id: uuid.UUID, actor: BranchHeadUser, session: SessionDep
) -> RevenueGoalOut:
    return RevenueGoalOut.of(await GoalService(session, actor).get(goal_id))


async def update_goal(
    goal_id: uuid.UUID, body: RevenueGoalUpdate, actor: BranchHeadUser, session: SessionDep
) -> RevenueGoalOut:
    return RevenueGoalOut.of(await GoalService(session, actor).update(goal_id, body))


for method in ("PUT", "PATCH"):
    router.add_api_route(
        "/{goal_id}",
        update_goal,
        methods=[method],
        summary="Update a revenue goal (its day, amount or notes)",
        responses={**NOT_FOUND, **DAY_TAKEN},
        operation_id=f"{method.lower()}_revenue_goal",
    )


@router.delete("/{goal_id}", status_code=204, summary="Delete a revenue goal", responses=NOT_FOUND)
async def delete_goal(goal_id: uuid.UUID, actor: BranchHeadUser, session: SessionDep) -> Response:
    await GoalService(session, actor).remove(goal_id)
    return Response(status_code=204)
