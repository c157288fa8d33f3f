"""Pricing rules: ``update-manifest-pricing`` proposes prices (a rule over every row, per-row
prices on top) once rows are matched; ``finalize-rows`` applies staff's edits and makes rows
final (each with a final price: the sent one, else the proposed one — a row with neither is a
409 naming it); ``clear-pricing`` undoes both. Nothing changes once items exist."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import Conflict, field_error
from common.roles import Principal
from inventory.items.repository import ItemRepository
from inventory.manifests.announce import step_done
from inventory.manifests.models import ManifestRow, PricingStage
from inventory.manifests.repository import ManifestRepository
from inventory.manifests.service import ManifestService, Staged
from inventory.manifests.steps import Step, must_come_first, must_undo_first
from inventory.pricing.rules import propose
from inventory.pricing.schemas import FinalizeIn, PricingIn

NAMED = 20


class PricingService:
    def __init__(self, session: AsyncSession, actor: Principal | None) -> None:
        self.session = session
        self.actor_id = actor.user_id if actor is not None else None
        self.stages = ManifestService(session, actor)
        self.rows = ManifestRepository(session)
        self.items = ItemRepository(session)

    async def _priceable(self, order_id: uuid.UUID) -> Staged:
        staged = await self.stages.standardised(order_id)
        order, manifest = staged.order, staged.manifest
        if manifest.matched_at is None:
            raise must_come_first(order.number, Step.match)
        if manifest.items_created_at is not None or await self.items.count_of_order(order.id):
            raise Conflict(
                f"Order {order.number}: items exist; its rows' prices can no longer change."
            )
        return staged

    async def propose(self, order_id: uuid.UUID, body: PricingIn) -> dict[str, int]:
        staged = await self._priceable(order_id)
        order, manifest = staged.order, staged.manifest
        if manifest.finalized_at is not None:
            raise must_undo_first(order.number, "clear-pricing", "its rows are final")
        rows = await self.rows.rows(order.id)
        by_id = {row.id: row for row in rows}
        unknown = [price.row_id for price in body.rows if price.row_id not in by_id]
        if unknown:
            raise field_error(
                "rows",
                f"Rows {', '.join(map(str, unknown[:NAMED]))} are not rows of {order.number}.",
            )
        changed = 0
        if body.rule is not None:
            for row in rows:
                if body.only_unpriced and row.proposed_price is not None:
                    continue
                price = propose(
                    basis=body.rule.basis,
                    percent=body.rule.percent,
                    retail=row.retail_price,
                    cost=row.unit_cost,
                    currency=order.currency,
                )
                if price is not None and price != row.proposed_price:
                    row.proposed_price, changed = price, changed + 1
        for wanted in body.rows:
            row = by_id[wanted.row_id]
            if row.proposed_price != wanted.proposed_price:
                row.proposed_price, changed = wanted.proposed_price, changed + 1
        for row in rows:
            row.pricing_stage = (
                PricingStage.proposed if row.proposed_price is not None else PricingStage.unpriced
            )
        manifest.priced_at = datetime.now(UTC)
        await self.rows.flush()
        priced = sum(1 for row in rows if row.proposed_price is not None)
        counts = {"priced": priced, "unpriced": len(rows) - priced, "changed": changed}
        await step_done(self.session, order, "update-manifest-pricing", counts, actor=self.actor_id)
        return counts

    async def finalize(self, order_id: uuid.UUID, body: FinalizeIn) -> dict[str, int | bool]:
        staged = await self._priceable(order_id)
        order, manifest = staged.order, staged.manifest
        rows = await self.rows.rows(order.id)
        by_id = {row.id: row for row in rows}
        unknown = [edit.row_id for edit in body.rows if edit.row_id not in by_id]
        if unknown:
            raise field_error(
                "rows",
                f"Rows {', '.join(map(str, unknown[:NAMED]))} are not rows of {order.number}.",
            )
        for edit in body.rows:
            row = by_id[edit.row_id]
            for field, value in edit.model_dump(exclude_unset=True, exclude={"row_id"}).items():
                if value is not None:
                    setattr(row, field, value)
        scope = rows if body.finalize_all else [by_id[edit.row_id] for edit in body.rows]
        unpriced = [row for row in scope if _price_of(row) is None]
        if unpriced:
            numbers = ", ".join(str(row.row_no) for row in unpriced[:NAMED])
            more = f" and {len(unpriced) - NAMED} more" if len(unpriced) > NAMED else ""
            raise Conflict(
                f"Order {order.number}: rows {numbers}{more} have no price; update-manifest-pricing "
                "or a final_price must come first."
            )
        for row in scope:
            row.final_price = _price_of(row)
            row.pricing_stage = PricingStage.final
        remaining = sum(1 for row in rows if row.pricing_stage != PricingStage.final)
        manifest.finalized_at = datetime.now(UTC) if remaining == 0 else None
        manifest.priced_at = manifest.priced_at or datetime.now(UTC)
        await self.rows.flush()
        done = {"finalized": len(scope), "remaining": remaining, "all_final": remaining == 0}
        await step_done(self.session, order, "finalize-rows", done, actor=self.actor_id)
        return done

    async def clear(self, order_id: uuid.UUID) -> int:
        staged = await self._priceable(order_id)
        cleared = await self.rows.clear_pricing(staged.order.id)
        staged.manifest.priced_at = staged.manifest.finalized_at = None
        await self.rows.flush()
        await step_done(
            self.session, staged.order, "clear-pricing", {"cleared": cleared}, actor=self.actor_id
        )
        return cleared


def _price_of(row: ManifestRow) -> Decimal | None:
    return row.final_price if row.final_price is not None else row.proposed_price
