"""Queries of answers."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from bookings.responses.models import Response


class ResponseRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, response_id: int) -> Response | None:
        return await self.session.get(Response, response_id)

    async def add_all(self, responses: list[Response]) -> list[Response]:
        self.session.add_all(responses)
        await self.session.flush()
        return responses

    async def of_booking(self, booking_id: uuid.UUID) -> list[Response]:
        return list(
            (
                await self.session.execute(
                    select(Response).where(Response.booking_id == booking_id).order_by(Response.id)
                )
            ).scalars()
        )

    def listing(self, *, booking: uuid.UUID | None, question_set: str | None) -> Select[Any]:
        statement = select(Response)
        if booking is not None:
            statement = statement.where(Response.booking_id == booking)
        if question_set is not None:
            statement = statement.where(Response.question_set_name == question_set)
        return statement.order_by(Response.created_at.desc(), Response.id.desc())
