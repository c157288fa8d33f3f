"""Seed 002 /api/consignment/agreements (Manager+, own stores): versioned agreements."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from common.openapi import described
from common.pagination import Page, PageDep
from common.routing import put_and_patch
from common.security import BranchHeadUser
from pos.agreements.schemas import AgreementIn, AgreementOut, AgreementUpdate
from pos.consignment.models import AgreementStatus
from pos.deps import AgreementServiceDep
from pos.pages import page_of

router = APIRouter(prefix="/api/consignment/agreements", tags=["consignment: agreements"])
NOT_FOUND = described(r404="No such agreement", r403="Another store's agreement")


@router.get("", summary="List agreement versions: ?consignee=, ?status=, ?number=")
async def list_agreements(
    _: BranchHeadUser,
    agreements: AgreementServiceDep,
    page: PageDep,
    consignee: Annotated[
        str | None, Query(min_length=1, max_length=64, description="The consignee's user id")
    ] = None,
    status: Annotated[
        AgreementStatus | None, Query(description="active, superseded, ended")
    ] = None,
    number: Annotated[uuid.UUID | None, Query(description="Every version of one agreement")] = None,
) -> Page[AgreementOut]:
    found = await agreements.listing(page, consignee=consignee, status=status, number=number)
    return page_of(AgreementOut, found, page)


@router.post(
    "",
    status_code=201,
    summary="Make an agreement with a consignee (version 1, active)",
    responses=described(
        r403="Another store's consignee", r409="The consignee is closed", r422="Unknown consignee"
    ),
)
async def create_agreement(
    body: AgreementIn, _: BranchHeadUser, agreements: AgreementServiceDep
) -> AgreementOut:
    return AgreementOut.model_validate(await agreements.create(body))


@router.get("/{agreement_id}", summary="Retrieve an agreement version", responses=NOT_FOUND)
async def get_agreement(
    agreement_id: uuid.UUID, _: BranchHeadUser, agreements: AgreementServiceDep
) -> AgreementOut:
    return AgreementOut.model_validate(await agreements.get(agreement_id))


async def update_agreement(
    agreement_id: uuid.UUID,
    body: AgreementUpdate,
    _: BranchHeadUser,
    agreements: AgreementServiceDep,
) -> AgreementOut:
    return AgreementOut.model_validate(await agreements.update(agreement_id, body))


put_and_patch(
    router,
    "/{agreement_id}",
    update_agreement,
    summary="Edit the active version: the answer is the new version (items keep theirs)",
    responses={**NOT_FOUND, **described(r409="Not the active version")},
)


@router.delete(
    "/{agreement_id}",
    status_code=204,
    summary="End an agreement (soft: no new items under it)",
    responses={**NOT_FOUND, **described(r409="Not the active version")},
)
async def end_agreement(
    agreement_id: uuid.UUID, _: BranchHeadUser, agreements: AgreementServiceDep
) -> Response:
    await agreements.end(agreement_id)
    return Response(status_code=204)
