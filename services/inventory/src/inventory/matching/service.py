"""Matching rules: ``match-products`` runs the matcher over every standardised row (the AI's
cleaned title, brand and model when it ran) in one transaction and keeps what review already
decided; ``review-matches`` accepts, rejects, changes or creates a row's product — and teaches
inventory (an accepted row's UPC and vendor item number then name that product); the undo
clears every matching field. Once rows are priced, matching changes only after clear-pricing.
"""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import Conflict, field_error
from common.roles import Principal
from inventory.intake_products.catalog import Catalog
from inventory.intake_products.service import IntakeProductService, RowProduct, row_product_key
from inventory.items.repository import ItemRepository
from inventory.manifests.announce import step_done
from inventory.manifests.models import ManifestRow, MatchStatus
from inventory.manifests.repository import ManifestRepository
from inventory.manifests.service import ManifestService, Staged
from inventory.manifests.steps import Step, must_come_first, must_undo_first
from inventory.matching.matcher import Matcher, Query
from inventory.matching.schemas import Decision, ReviewIn
from inventory.product_refs.service import RefService


class MatchingService:
    def __init__(
        self,
        session: AsyncSession,
        actor: Principal | None,
        *,
        catalog: Catalog | None = None,
        actor_id: str | None = None,
    ) -> None:
        actor_id = actor.user_id if actor is not None else actor_id
        self.session = session
        self.actor_id = actor_id
        self.stages = ManifestService(session, actor)
        self.rows = ManifestRepository(session)
        self.items = ItemRepository(session)
        self.products = IntakeProductService(session, catalog=catalog, actor_id=actor_id)
        self.refs = RefService(session)

    async def check_match(self, order_id: uuid.UUID) -> Staged:
        """The order, standardised and with nothing built on its matches yet (else 409)."""
        staged = await self.stages.standardised(order_id)
        await self._changeable(staged)
        return staged

    async def match(
        self, order_id: uuid.UUID, *, job_id: uuid.UUID | None = None
    ) -> dict[str, Any]:
        """Match every row not decided by a person (``job_id``: the background job doing it)."""
        staged = await self.check_match(order_id)
        order = staged.order
        rows = await self.rows.match_inputs(order.id)
        matcher = Matcher(
            await self.products.known(),
            upcs=await self.products.upc_owners([row.upc for row in rows if row.upc]),
            refs=await self.refs.products_of(
                order.vendor_id, [row.vendor_sku for row in rows if row.vendor_sku]
            ),
        )
        changes = []
        # one list per outcome (texts repeat; the matcher keeps every outcome it gave alive)
        wire: dict[int, list[dict[str, Any]]] = {}
        for row in rows:
            if row.match_decision is not None:  # a person decided: a new run keeps it
                continue
            outcome = matcher.match(Query(row.upc, row.vendor_sku, row.title, row.brand, row.model))
            candidates = wire.get(id(outcome))
            if candidates is None:
                candidates = wire[id(outcome)] = [
                    {
                        "product_id": str(candidate.product_id),
                        "name": candidate.name,
                        "score": candidate.score,
                        "method": candidate.method,
                    }
                    for candidate in outcome.candidates
                ]
            changes.append(
                {
                    "id": row.id,
                    "match_status": outcome.status,
                    "match_method": outcome.method,
                    "match_score": outcome.score,
                    "matched_product_id": outcome.product_id,
                    "match_candidates": candidates,
                }
            )
        await self.rows.update_each(changes)
        staged.manifest.matched_at = datetime.now(UTC)
        await self.rows.flush()
        summary = await self.summary(order.id)
        await step_done(
            self.session, order, "match-products", summary, actor=self.actor_id, job_id=job_id
        )
        return summary

    async def summary(self, order_id: uuid.UUID) -> dict[str, Any]:
        statuses = await self.rows.counts_by(order_id, "match_status")
        methods = await self.rows.counts_by(order_id, "match_method")
        decisions = await self.rows.counts_by(order_id, "match_decision")
        return {
            "rows": sum(statuses.values()),
            **{status.value: statuses.get(status.value, 0) for status in MatchStatus},
            "by_method": {method: count for method, count in methods.items() if method != "None"},
            "reviewed": sum(count for decision, count in decisions.items() if decision != "None"),
        }

    async def results(
        self, order_id: uuid.UUID, *, status: str | None, offset: int, limit: int
    ) -> dict[str, Any]:
        staged = await self.stages.standardised(order_id, lock=False)
        if staged.manifest.matched_at is None:
            raise must_come_first(staged.order.number, Step.match)
        order_id = staged.order.id
        count = (
            await self.rows.row_count(order_id, match_status=status)
            if status
            else await self.rows.row_count(order_id)
        )
        return {
            "summary": await self.summary(order_id),
            "count": count,
            "rows": await self.rows.rows(order_id, match_status=status, offset=offset, limit=limit),
        }

    async def review(self, order_id: uuid.UUID, body: ReviewIn) -> dict[str, int]:
        staged = await self.stages.standardised(order_id)
        order = staged.order
        if staged.manifest.matched_at is None:
            raise must_come_first(order.number, Step.match)
        await self._changeable(staged)
        wanted = [decision.row_id for decision in body.decisions]
        duplicated = sorted(row for row, count in Counter(wanted).items() if count > 1)
        if duplicated:
            raise field_error(
                "decisions", f"Rows decided twice: {', '.join(map(str, duplicated))}."
            )
        rows = {row.id: row for row in await self.rows.rows(order.id, ids=wanted)}
        missing = [row for row in wanted if row not in rows]
        if missing:
            raise field_error(
                "decisions",
                f"Rows {', '.join(map(str, missing))} are not rows of order {order.number}.",
            )
        named = {d.product_id for d in body.decisions if d.product_id is not None}
        unknown = named - await self.products.existing(list(named))
        if unknown:
            raise field_error(
                "decisions", f"Unknown products: {', '.join(sorted(map(str, unknown)))}."
            )
        created = 0
        product: uuid.UUID | None
        made: dict[str, uuid.UUID] = {}  # vendor SKU → the product this review created for it
        for index, decision in enumerate(body.decisions):
            row = rows[decision.row_id]
            if decision.decision == Decision.reject:
                _decide(row, None, MatchStatus.rejected, row.match_method, "rejected")
                continue
            if decision.decision == Decision.create:
                product = made.get(row.vendor_sku) if row.vendor_sku else None
                if product is None:  # rows of one vendor SKU: one product, created once
                    product = await self.products.create_for_row(self._new_product(order, row))
                    created += 1
                    if row.vendor_sku:
                        made[row.vendor_sku] = product
                _decide(row, product, MatchStatus.matched, "created", "created")
            else:
                product = decision.product_id or row.matched_product_id or _top(row)
                if product is None:
                    raise field_error(
                        f"decisions.{index}",
                        f"Row {row.row_no} has no match or candidate to accept: name a product_id.",
                    )
                if decision.decision == Decision.accept:
                    _decide(row, product, MatchStatus.matched, row.match_method, "accepted")
                else:
                    _decide(row, product, MatchStatus.matched, "manual", "updated")
            await self._learn(order.vendor_id, row, product)
        await self.rows.flush()
        reviewed = {"reviewed": len(body.decisions), "created_products": created}
        await step_done(self.session, order, "review-matches", reviewed, actor=self.actor_id)
        return reviewed

    async def undo(self, order_id: uuid.UUID) -> int:
        staged = await self.stages.standardised(order_id)
        await self._changeable(staged)
        cleared = await self.rows.clear_matching(staged.order.id)
        staged.manifest.matched_at = None
        await self.rows.flush()
        await step_done(
            self.session,
            staged.order,
            "undo-product-matching",
            {"cleared": cleared},
            actor=self.actor_id,
        )
        return cleared

    async def _changeable(self, staged: Staged) -> None:
        order, manifest = staged.order, staged.manifest
        if manifest.items_created_at is not None or await self.items.count_of_order(order.id):
            raise Conflict(f"Order {order.number}: items exist; its matches can no longer change.")
        if manifest.priced_at is not None or manifest.finalized_at is not None:
            raise must_undo_first(order.number, "clear-pricing", "its rows are priced")

    async def _learn(self, vendor_id: uuid.UUID, row: ManifestRow, product: uuid.UUID) -> None:
        """The row's UPC and vendor item number name the product from now on."""
        await self.products.learn(
            product, brand=row.clean_brand or "", model=row.clean_model or "", upc=row.upc
        )
        if row.vendor_sku:
            await self.refs.remember(
                vendor_id, row.vendor_sku, product, description=row.title, unit_cost=row.unit_cost
            )

    @staticmethod
    def _new_product(order: Any, row: ManifestRow) -> RowProduct:
        title, brand, model = row.clean_title, row.clean_brand or "", row.clean_model or ""
        key = row_product_key(
            order.id,
            row.id,
            title=title,
            brand=brand,
            model=model,
            price=row.retail_price,
            currency=order.currency,
        )
        return RowProduct(
            title=title,
            brand=brand,
            model=model,
            upc=row.upc,
            price=row.retail_price,
            currency=order.currency,
            key=key,
        )


def _decide(
    row: ManifestRow,
    product: uuid.UUID | None,
    status: MatchStatus,
    method: str | None,
    decision: str,
) -> None:
    row.matched_product_id = product
    row.match_status = status
    row.match_method = method
    row.match_decision = decision


def _top(row: ManifestRow) -> uuid.UUID | None:
    candidates = row.match_candidates or []
    return uuid.UUID(candidates[0]["product_id"]) if candidates else None
