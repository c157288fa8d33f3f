"""Seed 002 /api/pos/revenue-goals (Manager+, own stores): daily revenue goals."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from common.openapi import described
from common.pagination import Page, PageDep
from common.routing import put_and_patch
from common.security import BranchHeadUser
from pos.deps import GoalServiceDep
from pos.goals.schemas import RevenueGoalIn, RevenueGoalOut, RevenueGoalUpdate
from pos.pages import page_of
from pos.schema_types import IsoDate

router = APIRouter(prefix="/api/pos/revenue-goals", tags=["revenue goals"])
NOT_FOUND = described(r404="No such revenue goal", r403="Another store's goal")
DAY_TAKEN = described(r409="The store already has a goal for that day")


@router.get("", summary="List revenue goals of your stores: ?store=, ?date_from=, ?date_to=")
async def list_goals(
    _: BranchHeadUser,
    goals: GoalServiceDep,
    page: PageDep,
    store: Annotated[uuid.UUID | None, Query(description="Only this store's")] = None,
    date_from: Annotated[IsoDate | None, Query(description="From this day on, YYYY-MM-DD")] = None,
    date_to: Annotated[IsoDate | None, Query(description="Up to this day, YYYY-MM-DD")] = None,
    ordering: Annotated[str | None, Query(description="day, amount")] = None,
) -> Page[RevenueGoalOut]:
    found = await goals.listing(
        page, store=store, date_from=date_from, date_to=date_to, ordering=ordering
    )
    return page_of(RevenueGoalOut, found, page)


@router.post(
    "",
    status_code=201,
    summary="Set a store's revenue goal for a day",
    responses={**DAY_TAKEN, **described(r403="Another store", r422="Unknown store")},
)
async def create_goal(
    body: RevenueGoalIn, _: BranchHeadUser, goals: GoalServiceDep
) -> RevenueGoalOut:
    return RevenueGoalOut.model_validate(await goals.create(body))


@router.get("/{goal_id}", summary="Retrieve a revenue goal", responses=NOT_FOUND)
async def get_goal(goal_id: uuid.UUID, _: BranchHeadUser, goals: GoalServiceDep) -> RevenueGoalOut:
    return RevenueGoalOut.model_validate(await goals.get(goal_id))


async def update_goal(
    goal_id: uuid.UUID, body: RevenueGoalUpdate, _: BranchHeadUser, goals: GoalServiceDep
) -> RevenueGoalOut:
    return RevenueGoalOut.model_validate(await goals.update(goal_id, body))


put_and_patch(
    router,
    "/{goal_id}",
    update_goal,
    summary="Update a revenue goal (its day, amount or notes)",
    responses={**NOT_FOUND, **DAY_TAKEN},
)


@router.delete("/{goal_id}", status_code=204, summary="Delete a revenue goal", responses=NOT_FOUND)
async def delete_goal(goal_id: uuid.UUID, _: BranchHeadUser, goals: GoalServiceDep) -> Response:
    await goals.remove(goal_id)
    return Response(status_code=204)
