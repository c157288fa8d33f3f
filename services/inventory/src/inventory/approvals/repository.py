"""Every query on approval templates, flows and signatures."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import ColumnElement, Select, false, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from common.pagination import PageParams, paginate
from inventory.approvals.models import ApprovalFlow, ApprovalSignature, ApprovalTemplate


class ApprovalRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # -- templates -------------------------------------------------------------------------

    async def template(self, template_id: uuid.UUID) -> ApprovalTemplate | None:
        return await self.session.get(ApprovalTemplate, template_id)

    async def active_templates(self, object_type: str) -> list[ApprovalTemplate]:
        rows = await self.session.execute(
            select(ApprovalTemplate).where(
                ApprovalTemplate.object_type == object_type, ApprovalTemplate.is_active
            )
        )
        return list(rows.scalars())

    async def templates(self, page: PageParams) -> tuple[int, list[Any]]:
        statement = select(ApprovalTemplate).order_by(
            ApprovalTemplate.object_type, ApprovalTemplate.name
        )
        return await paginate(self.session, statement, page)

    async def save(self, row: ApprovalTemplate | ApprovalFlow) -> None:
        await self.session.flush()
        await self.session.refresh(row)

    def add(self, row: ApprovalTemplate | ApprovalSignature) -> None:
        self.session.add(row)

    async def delete(self, template: ApprovalTemplate) -> None:
        await self.session.delete(template)
        await self.session.flush()

    # -- flows -----------------------------------------------------------------------------

    async def flow(self, flow_id: uuid.UUID, *, lock: bool = False) -> ApprovalFlow | None:
        statement = select(ApprovalFlow).where(ApprovalFlow.id == flow_id)
        if lock:
            statement = statement.with_for_update().execution_options(populate_existing=True)
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def latest_for(self, object_type: str, object_id: str) -> ApprovalFlow | None:
        return (
            await self.session.execute(
                select(ApprovalFlow)
                .where(ApprovalFlow.object_type == object_type, ApprovalFlow.object_id == object_id)
                .order_by(ApprovalFlow.created_at.desc())
                .limit(1)
            )
        ).scalar_one_or_none()

    async def add_flow(self, flow: ApprovalFlow) -> bool:
        """Insert a pending flow; False when the object already has one (the unique index)."""
        try:
            async with self.session.begin_nested():
                self.session.add(flow)
                await self.session.flush()
        except IntegrityError:
            return False
        await self.session.refresh(flow)
        return True

    async def flush(self) -> None:
        await self.session.flush()

    async def flows(
        self,
        *,
        object_type: str | None,
        status: str | None,
        objects_in_stores: dict[str, Select[Any]] | None,
        page: PageParams,
    ) -> tuple[int, list[Any]]:
        """``objects_in_stores``: per object type, the ids of the caller's stores' objects
        (None: every flow, for a system admin)."""
        statement = select(ApprovalFlow)
        if object_type:
            statement = statement.where(ApprovalFlow.object_type == object_type)
        if status:
            statement = statement.where(ApprovalFlow.status == status)
        if objects_in_stores is not None:
            allowed: list[ColumnElement[bool]] = [
                (ApprovalFlow.object_type == kind) & ApprovalFlow.object_id.in_(ids)
                for kind, ids in objects_in_stores.items()
            ]
            statement = statement.where(or_(*allowed) if allowed else false())
        statement = statement.order_by(ApprovalFlow.created_at.desc(), ApprovalFlow.id)
        return await paginate(self.session, statement, page)
