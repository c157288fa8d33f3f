"""The rules of answers: each names an active question of its set and keeps the question's
words and version as they were; answers after the booking come with its manage link.
Every stored answer is announced (``bookings.response.submitted``)."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from bookings.events.contracts import ResponseSubmitted
from bookings.events.outbox import outbox
from bookings.links.tokens import ManageLinkRefused, ManageTokens
from bookings.questions.models import Question
from bookings.questions.service import Asked, QuestionService
from bookings.responses.models import Response
from bookings.responses.repository import ResponseRepository
from bookings.responses.schemas import AnswerIn
from bookings.throttles.service import Scope, Throttle
from common.errors import NotFound, PermissionDenied

# Whether a booking exists (wired by deps from the bookings domain, which sits above this one).
BookingExists = Callable[[uuid.UUID], Awaitable[bool]]


class ResponseService:
    def __init__(
        self,
        session: AsyncSession,
        *,
        tokens: ManageTokens | None = None,
        throttle: Throttle | None = None,
        booking_exists: BookingExists | None = None,
    ) -> None:
        self.session = session
        self.responses = ResponseRepository(session)
        self.questions = QuestionService(session)
        self.tokens = tokens
        self.throttle = throttle
        self.booking_exists = booking_exists

    def listing(self, *, booking: uuid.UUID | None, question_set: str | None) -> Select[Any]:
        return self.responses.listing(booking=booking, question_set=question_set)

    async def get(self, response_id: int) -> Response:
        response = await self.responses.get(response_id)
        if response is None:
            raise NotFound(f"Response {response_id} not found.")
        return response

    async def of_booking(self, booking_id: uuid.UUID) -> list[Response]:
        return await self.responses.of_booking(booking_id)

    async def matched(
        self, answers: Sequence[AnswerIn], field: str, *, indexed: bool = True
    ) -> list[Question]:
        """The question of each answer (422 naming ``<field>.<n>.question`` for a stranger)."""
        return await self.questions.match(
            [Asked(a.question_set_name, a.question, a.question_id) for a in answers],
            field,
            indexed=indexed,
        )

    async def record(
        self,
        booking_id: uuid.UUID,
        answers: Sequence[AnswerIn],
        questions: Sequence[Question],
        *,
        actor: str | None,
    ) -> list[Response]:
        rows = await self.responses.add_all(
            [
                Response(
                    booking_id=booking_id,
                    question_id=question.id,
                    question_version=question.version,
                    question_set_name=question.question_set,
                    question_text=question.text,
                    response=answer.response,
                )
                for answer, question in zip(answers, questions, strict=True)
            ]
        )
        for row in rows:
            await outbox.publish(
                self.session,
                ResponseSubmitted(
                    response_id=row.id,
                    booking_id=booking_id,
                    question_id=row.question_id,
                    question_version=row.question_version,
                    question_set_name=row.question_set_name,
                    question_text=row.question_text,
                    response=row.response,
                ),
                actor=actor,
            )
        return rows

    async def submit(self, token: str, answer: AnswerIn, *, address: str) -> Response:
        """An answer after the booking, by the holder of its manage link."""
        if self.tokens is None or self.throttle is None or self.booking_exists is None:
            raise RuntimeError("ResponseService.submit needs tokens, a throttle and bookings")
        await self.throttle.address(Scope.response, address)
        try:
            booking_id = self.tokens.booking_of(token)
        except ManageLinkRefused as exc:
            raise PermissionDenied(str(exc)) from exc
        if not await self.booking_exists(booking_id):
            raise PermissionDenied("This manage link is not valid.")
        questions = await self.matched([answer], "", indexed=False)
        (row,) = await self.record(booking_id, [answer], questions, actor=None)
        return row
