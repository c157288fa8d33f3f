"""Seed 002 /api/consignment/payouts (Manager+, own stores): payouts per consignee and
period; ``generate`` for every consignee of a period, ``pay`` once."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from common.openapi import described
from common.pagination import Page, PageDep
from common.routing import put_and_patch
from common.security import BranchHeadUser
from pos.consignment.models import PayoutStatus
from pos.deps import PayoutServiceDep
from pos.pages import page_of
from pos.payouts.schemas import (
    GeneratePayouts,
    PayIn,
    PayoutIn,
    PayoutOut,
    PayoutsOut,
    PayoutUpdate,
)

router = APIRouter(prefix="/api/consignment/payouts", tags=["consignment: payouts"])
NOT_FOUND = described(r404="No such payout", r403="Another store's payout")
PAID = described(r409="The payout is paid (a paid payout never changes)")


@router.get("", summary="List payouts: ?consignee=, ?status=")
async def list_payouts(
    _: BranchHeadUser,
    payouts: PayoutServiceDep,
    page: PageDep,
    consignee: Annotated[
        str | None, Query(min_length=1, max_length=64, description="The consignee's user id")
    ] = None,
    status: Annotated[
        PayoutStatus | None, Query(description="pending, paid, carried_forward")
    ] = None,
) -> Page[PayoutOut]:
    found = await payouts.listing(page, consignee=consignee, status=status)
    return page_of(PayoutOut, found, page)


@router.post(
    "/generate",
    status_code=201,
    summary="Generate the period's payouts of your consignees (idempotent: one per consignee)",
    responses=described(
        r200="Every payout of the period existed already: the same ones",
        r403="Another store",
        r422="A period in the future, or its end before its start",
    ),
)
async def generate_payouts(
    body: GeneratePayouts, _: BranchHeadUser, payouts: PayoutServiceDep, response: Response
) -> PayoutsOut:
    made, found = await payouts.generate(body)
    if not made:
        response.status_code = 200
    return PayoutsOut(created=made, payouts=[PayoutOut.model_validate(p) for p in found])


@router.post(
    "",
    status_code=201,
    summary="Generate one consignee's payout for a period (idempotent)",
    responses=described(
        r200="The payout existed already: the same one",
        r403="Another store's consignee",
        r422="Unknown consignee, nothing owed, or a period in the future",
    ),
)
async def create_payout(
    body: PayoutIn, _: BranchHeadUser, payouts: PayoutServiceDep, response: Response
) -> PayoutOut:
    payout, made = await payouts.create(body)
    if not made:
        response.status_code = 200
    return PayoutOut.model_validate(payout)


@router.get("/{payout_id}", summary="Retrieve a payout", responses=NOT_FOUND)
async def get_payout(
    payout_id: uuid.UUID, _: BranchHeadUser, payouts: PayoutServiceDep
) -> PayoutOut:
    return PayoutOut.model_validate(await payouts.get(payout_id))


async def update_payout(
    payout_id: uuid.UUID, body: PayoutUpdate, _: BranchHeadUser, payouts: PayoutServiceDep
) -> PayoutOut:
    return PayoutOut.model_validate(await payouts.update(payout_id, body))


put_and_patch(
    router,
    "/{payout_id}",
    update_payout,
    summary="Update an unpaid payout's notes",
    responses={**NOT_FOUND, **PAID},
)


@router.delete(
    "/{payout_id}",
    status_code=204,
    summary="Delete an unpaid payout (its lines are owed again)",
    responses={**NOT_FOUND, **PAID},
)
async def delete_payout(
    payout_id: uuid.UUID, _: BranchHeadUser, payouts: PayoutServiceDep
) -> Response:
    await payouts.remove(payout_id)
    return Response(status_code=204)


@router.patch(
    "/{payout_id}/pay",
    summary="Mark a payout paid: its method and reference, once",
    responses={**NOT_FOUND, **described(r409="Paid already, or carried forward")},
)
async def pay_payout(
    payout_id: uuid.UUID, body: PayIn, _: BranchHeadUser, payouts: PayoutServiceDep
) -> PayoutOut:
    return PayoutOut.model_validate(await payouts.pay(payout_id, body))
