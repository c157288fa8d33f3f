"""Queries of booking questions and their versions."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from bookings.questions.models import Question, QuestionVersion
from common.pagination import apply_ordering, apply_search

ORDERING = {"question_set": Question.question_set, "position": Question.position, "id": Question.id}


class QuestionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, question_id: int) -> Question | None:
        return await self.session.get(Question, question_id)

    async def get_for_update(self, question_id: int) -> Question | None:
        return await self.session.get(Question, question_id, with_for_update=True)

    async def worded(self, question_set: str, text: str) -> Question | None:
        return (
            await self.session.execute(
                select(Question).where(Question.question_set == question_set, Question.text == text)
            )
        ).scalar_one_or_none()

    async def many(self, ids: Iterable[int]) -> list[Question]:
        return list(
            (
                await self.session.execute(select(Question).where(Question.id.in_(list(ids))))
            ).scalars()
        )

    async def in_sets(self, sets: Iterable[str]) -> list[Question]:
        """The active questions of these sets, in their order."""
        return list(
            (
                await self.session.execute(
                    select(Question)
                    .where(Question.question_set.in_(list(sets)), Question.is_active.is_(True))
                    .order_by(Question.question_set, Question.position, Question.id)
                )
            ).scalars()
        )

    def listing(
        self, *, question_set: str | None, search: str | None, ordering: str | None
    ) -> Select[Any]:
        statement = select(Question)
        if question_set is not None:
            statement = statement.where(Question.question_set == question_set)
        statement = apply_search(statement, search, [Question.text])
        default = [Question.question_set, Question.position, Question.id]
        return apply_ordering(statement, ordering, ORDERING, default)

    async def add(self, question: Question) -> Question:
        self.session.add(question)
        await self.session.flush()
        await self.session.refresh(question)
        return question

    async def add_version(self, question: Question) -> None:
        self.session.add(
            QuestionVersion(
                question_id=question.id,
                version=question.version,
                text=question.text,
                required=question.required,
            )
        )
        await self.session.flush()

    async def delete(self, question: Question) -> None:
        await self.session.delete(question)
        await self.session.flush()
