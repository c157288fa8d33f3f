"""/api/questions: booking questions, read by anyone signed in, written by system admins."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from bookings.deps import QuestionServiceDep
from bookings.questions.schemas import QuestionIn, QuestionOut, QuestionUpdate
from bookings.types import PathId
from common.db import SessionDep
from common.openapi import described
from common.pagination import Page, PageDep, make_page, paginate
from common.routing import put_and_patch
from common.security import AdminUser, CurrentUser

router = APIRouter(prefix="/api/questions", tags=["questions"])
NOT_FOUND = described(r404="No such question")
TAKEN = described(r409="The set already asks this")


@router.get("", summary="List booking questions (by set and position)")
async def list_questions(
    _: CurrentUser,
    questions: QuestionServiceDep,
    session: SessionDep,
    page: PageDep,
    question_set: Annotated[str | None, Query(description="Only this set's")] = None,
    search: Annotated[str | None, Query(description="In the question's text")] = None,
    ordering: Annotated[str | None, Query(description="question_set, position, id")] = None,
) -> Page[QuestionOut]:
    statement = questions.listing(question_set=question_set, search=search, ordering=ordering)
    count, rows = await paginate(session, statement, page)
    return make_page(count, [QuestionOut.model_validate(row) for row in rows], page)


@router.post("", status_code=201, summary="Create a booking question", responses=TAKEN)
async def create_question(
    body: QuestionIn, admin: AdminUser, questions: QuestionServiceDep
) -> QuestionOut:
    return QuestionOut.model_validate(await questions.create(body, actor=admin.user_id))


@router.get("/{question_id}", summary="Retrieve a booking question", responses=NOT_FOUND)
async def get_question(
    question_id: PathId, _: CurrentUser, questions: QuestionServiceDep
) -> QuestionOut:
    return QuestionOut.model_validate(await questions.get(question_id))


async def update_question(
    question_id: PathId, body: QuestionUpdate, admin: AdminUser, questions: QuestionServiceDep
) -> QuestionOut:
    return QuestionOut.model_validate(
        await questions.update(question_id, body, actor=admin.user_id)
    )


put_and_patch(
    router,
    "/{question_id}",
    update_question,
    summary="Update a booking question (a new version; old answers keep their text)",
    responses={**NOT_FOUND, **TAKEN},
    response_model=QuestionOut,
)


@router.delete(
    "/{question_id}", status_code=204, summary="Remove a booking question", responses=NOT_FOUND
)
async def delete_question(
    question_id: PathId, admin: AdminUser, questions: QuestionServiceDep
) -> Response:
    await questions.delete(question_id, actor=admin.user_id)
    return Response(status_code=204)
