"""/api/responses: answers to booking questions. Listing and reading are for system admins;
anyone holding a booking's manage link (``X-Manage-Token``) may add an answer to it."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request

from bookings.deps import ResponseServiceDep
from bookings.responses.schemas import AnswerIn, ResponseOut
from bookings.throttles.service import client_address
from bookings.types import PathId
from common.db import SessionDep
from common.openapi import described
from common.pagination import Page, PageDep, make_page, paginate
from common.security import AdminUser

router = APIRouter(prefix="/api/responses", tags=["responses"])
ManageToken = Annotated[str, Header(alias="X-Manage-Token", description="From the booking")]


@router.get("", summary="List answers to booking questions (newest first)")
async def list_responses(
    _: AdminUser,
    responses: ResponseServiceDep,
    session: SessionDep,
    page: PageDep,
    booking: Annotated[uuid.UUID | None, Query(description="Only this booking's")] = None,
    question_set: Annotated[str | None, Query(description="Only this set's")] = None,
) -> Page[ResponseOut]:
    statement = responses.listing(booking=booking, question_set=question_set)
    count, rows = await paginate(session, statement, page)
    return make_page(count, [ResponseOut.model_validate(row) for row in rows], page)


@router.post(
    "",
    status_code=201,
    summary="Answer a question about your booking (with its manage link)",
    responses=described(r403="Not a valid manage link", r429="Too many answers from here"),
)
async def submit_response(
    body: AnswerIn, token: ManageToken, request: Request, responses: ResponseServiceDep
) -> ResponseOut:
    row = await responses.submit(token, body, address=client_address(request))
    return ResponseOut.model_validate(row)


@router.get(
    "/{response_id}", summary="Retrieve an answer", responses=described(r404="No such answer")
)
async def get_response(
    response_id: PathId, _: AdminUser, responses: ResponseServiceDep
) -> ResponseOut:
    return ResponseOut.model_validate(await responses.get(response_id))
