"""The rules of booking questions: one wording per set, every edit of the wording or of
``required`` a new version (old answers keep what they answered), and the matching of a
booking's answers to questions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from bookings.events.contracts import QuestionChanged
from bookings.events.outbox import outbox
from bookings.questions.models import Question
from bookings.questions.repository import QuestionRepository
from bookings.questions.schemas import QuestionIn, QuestionUpdate
from common.errors import Conflict, NotFound, field_error
from common.updates import apply_changes

VERSIONED = frozenset({"text", "required"})


@dataclass(frozen=True)
class Asked:
    """One answer as a client sent it: the set, the question (by id or by its words)."""

    question_set_name: str
    question: str
    question_id: int | None


class QuestionService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.questions = QuestionRepository(session)

    def listing(
        self, *, question_set: str | None, search: str | None, ordering: str | None
    ) -> Select[Any]:
        return self.questions.listing(question_set=question_set, search=search, ordering=ordering)

    async def get(self, question_id: int) -> Question:
        question = await self.questions.get(question_id)
        if question is None:
            raise NotFound(f"Question {question_id} not found.")
        return question

    async def create(self, body: QuestionIn, *, actor: str) -> Question:
        await self._wording_free(body.question_set, body.text)
        question = await self.questions.add(Question(**body.model_dump(), version=1))
        await self.questions.add_version(question)
        await self._announce(question, "created", [], actor)
        return question

    async def update(self, question_id: int, body: QuestionUpdate, *, actor: str) -> Question:
        question = await self.questions.get_for_update(question_id)
        if question is None:
            raise NotFound(f"Question {question_id} not found.")
        wording = (body.question_set or question.question_set, body.text or question.text)
        if wording != (question.question_set, question.text):
            await self._wording_free(*wording)
        changed = apply_changes(question, body)
        if changed & VERSIONED:
            question.version += 1
        if changed:
            await self.session.flush()
            if changed & VERSIONED:
                await self.questions.add_version(question)
            await self.session.refresh(question)
        await self._announce(question, "updated", sorted(body.model_fields_set), actor)
        return question

    async def delete(self, question_id: int, *, actor: str) -> None:
        """Answers keep their copy of the question, so deleting it changes no answer."""
        question = await self.get(question_id)
        await self._announce(question, "deleted", [], actor)
        await self.questions.delete(question)

    async def _announce(
        self, question: Question, verb: str, changed: list[str], actor: str
    ) -> None:
        event = QuestionChanged(
            id=question.id,
            question_set=question.question_set,
            text=question.text,
            required=question.required,
            is_active=question.is_active,
            version=question.version,
            changed=changed,
        )
        subject = f"bookings.question.{verb}"
        await outbox.publish(self.session, event, subject=subject, actor=actor)

    async def _wording_free(self, question_set: str, text: str) -> None:
        if await self.questions.worded(question_set, text) is not None:
            raise Conflict(f"The set {question_set!r} already asks {text!r}.")

    async def match(
        self, asked: Sequence[Asked], field: str, *, indexed: bool = True
    ) -> list[Question]:
        """The question each answer answers, in order; 422 naming ``<field>.<n>.question``
        (``question`` for a lone answer) for one that names no active question of its set."""
        by_id = {
            q.id: q
            for q in await self.questions.many(a.question_id for a in asked if a.question_id)
        }
        matched: list[Question] = []
        for index, answer in enumerate(asked):
            found = (
                by_id.get(answer.question_id)
                if answer.question_id is not None
                else await self.questions.worded(answer.question_set_name, answer.question)
            )
            if (
                found is None
                or not found.is_active
                or found.question_set != answer.question_set_name
            ):
                raise field_error(
                    f"{field}.{index}.question" if indexed else "question",
                    f"the set {answer.question_set_name!r} has no question "
                    f"{answer.question_id or answer.question!r} (see GET /api/questions)",
                )
            matched.append(found)
        return matched

    async def require_answers(
        self, sets: Iterable[str], answered: Iterable[Question], field: str
    ) -> None:
        """422 naming ``field`` and the first required question of ``sets`` left unanswered."""
        done = {question.id for question in answered}
        for question in await self.questions.in_sets(set(sets)):
            if question.required and question.id not in done:
                raise field_error(
                    field,
                    f"the question {question.text!r} (id {question.id}, set "
                    f"{question.question_set!r}) must be answered",
                )
