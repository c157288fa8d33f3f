"""The rules of issue presets and "other" issues: unique names; the issues a booking names
must exist and be offered (the booking keeps its own copy of name and price)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic

from pydantic import BaseModel
from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from bookings.events.contracts import PresetChanged
from bookings.events.outbox import outbox
from bookings.issues.models import Issue, OtherIssue
from bookings.issues.repository import PresetRepository, Row
from common.errors import Conflict, NotFound, field_error
from common.updates import apply_changes


class PresetService(Generic[Row]):
    """CRUD of one preset table (``Issue`` or ``OtherIssue``)."""

    def __init__(self, session: AsyncSession, model: type[Row], noun: str, kind: str) -> None:
        self.session = session
        self.kind = kind  # the subject's entity: "issue", "other_issue"
        self.rows: PresetRepository[Row] = PresetRepository(session, model)
        self.model: type[Row] = model
        self.noun = noun

    def listing(
        self, *, active: bool | None, search: str | None, ordering: str | None
    ) -> Select[Any]:
        return self.rows.listing(active=active, search=search, ordering=ordering)

    async def get(self, row_id: int) -> Row:
        row = await self.rows.get(row_id)
        if row is None:
            raise NotFound(f"{self.noun.capitalize()} {row_id} not found.")
        return row

    async def create(self, body: BaseModel, *, actor: str) -> Row:
        await self._name_free(str(body.model_dump()["name"]))
        row = await self.rows.add(self.model(**body.model_dump()))
        await self._announce(row, "created", [], actor)
        return row

    async def update(self, row_id: int, body: BaseModel, *, actor: str) -> Row:
        row = await self.get(row_id)
        name = body.model_dump(exclude_unset=True).get("name")
        if name is not None and name != row.name:
            await self._name_free(name)
        if apply_changes(row, body):
            await self.session.flush()
            await self.session.refresh(row)
        await self._announce(row, "updated", sorted(body.model_fields_set), actor)
        return row

    async def delete(self, row_id: int, *, actor: str) -> None:
        """Bookings keep their own copy of a preset, so deleting one changes no booking."""
        row = await self.get(row_id)
        await self._announce(row, "deleted", [], actor)
        await self.rows.delete(row)

    async def _announce(self, row: Row, verb: str, changed: list[str], actor: str) -> None:
        event = PresetChanged(
            id=row.id,
            name=row.name,
            is_active=row.is_active,
            estimated_price=getattr(row, "estimated_price", None),
            changed=changed,
        )
        subject = f"bookings.{self.kind}.{verb}"
        await outbox.publish(self.session, event, subject=subject, actor=actor)

    async def _name_free(self, name: str) -> None:
        if await self.rows.named(name) is not None:
            raise Conflict(f"An {self.noun} named {name!r} exists already.")


def issue_service(session: AsyncSession) -> PresetService[Issue]:
    return PresetService(session, Issue, "issue", "issue")


def other_issue_service(session: AsyncSession) -> PresetService[OtherIssue]:
    return PresetService(session, OtherIssue, "other issue", "other_issue")


async def bookable_issues(session: AsyncSession, ids: Sequence[int], field: str) -> list[Issue]:
    """The issues ``ids`` name, in that order; 422 naming ``field`` for any unknown, withdrawn
    or repeated id."""
    repeated = sorted({issue for issue in ids if list(ids).count(issue) > 1})
    if repeated:
        raise field_error(field, f"issues listed more than once: {repeated}")
    found = {issue.id: issue for issue in await PresetRepository(session, Issue).many(ids)}
    unknown = [issue for issue in ids if issue not in found or not found[issue].is_active]
    if unknown:
        raise field_error(field, f"unknown issue ids: {unknown} (see GET /api/issues)")
    return [found[issue] for issue in ids]
