"""Posting movements to the stock ledger: the one place stock quantities change.

Every caller (stock entries, unit items, POS sales and voids) hands ``post`` a
list of moves for one voucher. In one transaction it:

1. creates missing balance rows, then locks every balance the moves touch
   with ``SELECT … FOR UPDATE`` in (stock key, location) order, so two
   postings racing for the last unit serialise and cannot deadlock;
2. refuses a move that would take a balance below zero (409 naming the SKU,
   the location and what is on hand) unless ``allow_negative_stock`` is on;
   a unit item's balance never exceeds one;
3. appends one ledger row per move (quantity change, quantity after,
   moving-average valuation rate, the voucher, the actor) and updates the
   balance, so a balance always equals the sum of its ledger rows;
4. publishes ``inventory.stock.changed`` per row and ``inventory.stock.low``
   once per crossing below an article's threshold.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from sqlalchemy import select, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import Conflict
from inventory.events import publish, quantity
from inventory.models import Balance, InventoryConfig, LedgerRow, Location, StockKey

ZERO = Decimal(0)
RATE = Decimal("0.0001")


@dataclass(frozen=True)
class Move:
    """A change at one location. ``count`` instead of ``change``: set the balance to it (a count)."""

    stock_key_id: int
    location_id: uuid.UUID
    change: Decimal | None = None
    count: Decimal | None = None
    unit_cost: Decimal | None = None
    line: str | None = None
    reverses: LedgerRow | None = None
    from_location_id: uuid.UUID | None = None  # a transfer's arrival: valued at the source's rate


async def load_config(session: AsyncSession) -> InventoryConfig:
    config = await session.get(InventoryConfig, 1)
    if config is None:
        await session.execute(insert(InventoryConfig).values(id=1).on_conflict_do_nothing())
        config = await session.get(InventoryConfig, 1)
        assert config is not None
    return config


def threshold_for(config: InventoryConfig, sku: str) -> Decimal:
    override = (config.low_stock_overrides or {}).get(sku.upper())
    return Decimal(str(override)) if override is not None else config.default_low_stock_threshold


class StockLedger:
    def __init__(self, session: AsyncSession, actor: str | None) -> None:
        self.session = session
        self.actor = actor

    async def lock(self, pairs: set[tuple[int, uuid.UUID]]) -> dict[tuple[int, uuid.UUID], Balance]:
        """The balances of ``pairs``, created when missing and locked for this transaction."""
        ordered = sorted(pairs, key=lambda pair: (pair[0], str(pair[1])))
        await self.session.execute(
            insert(Balance)
            .values([{"stock_key_id": key, "location_id": loc} for key, loc in ordered])
            .on_conflict_do_nothing()
        )
        rows = (
            await self.session.execute(
                select(Balance)
                .where(tuple_(Balance.stock_key_id, Balance.location_id).in_(ordered))
                .order_by(Balance.stock_key_id, Balance.location_id)
                .with_for_update(of=Balance)
                .execution_options(populate_existing=True)
            )
        ).scalars()
        return {(row.stock_key_id, row.location_id): row for row in rows}

    async def post(
        self,
        moves: list[Move],
        *,
        voucher_type: str,
        voucher_id: str,
        allow_negative: bool | None = None,
    ) -> list[LedgerRow]:
        if not moves:
            return []
        config = await load_config(self.session)
        negative_ok = config.allow_negative_stock if allow_negative is None else allow_negative
        balances = await self.lock({(move.stock_key_id, move.location_id) for move in moves})
        written: list[LedgerRow] = []
        for move in moves:
            balance = balances[(move.stock_key_id, move.location_id)]
            change = move.change if move.count is None else move.count - balance.quantity
            assert change is not None
            if change == ZERO:
                continue
            after = balance.quantity + change
            key = balance.stock_key
            if after < ZERO and not negative_ok:
                raise Conflict(
                    f"Not enough stock of {key.sku} at location {balance.location.code}: "
                    f"{quantity(balance.quantity)} on hand, {quantity(-change)} needed "
                    "(allow_negative_stock is off)."
                )
            if key.item_id is not None and after < ZERO:
                raise Conflict(f"Unit {key.sku} is not in stock at {balance.location.code}.")
            if key.item_id is not None and after > 1:
                raise Conflict(f"Unit {key.sku} is already in stock at {balance.location.code}.")
            if move.from_location_id is not None and move.unit_cost is None:
                source = balances.get((move.stock_key_id, move.from_location_id))
                if source is not None:
                    move = replace(move, unit_cost=source.valuation_rate)
            rate = self._rate(balance, change, move)
            row = LedgerRow(
                stock_key_id=move.stock_key_id,
                location_id=move.location_id,
                quantity_change=change,
                quantity_after=after,
                valuation_rate=rate,
                value_change=(change * rate).quantize(RATE),
                voucher_type=voucher_type,
                voucher_id=voucher_id,
                voucher_line=move.line,
                reverses_id=None if move.reverses is None else move.reverses.id,
                actor=self.actor,
            )
            self.session.add(row)
            balance.quantity = after
            balance.valuation_rate = rate
            written.append(row)
            await self._low_stock(config, balance, key)
        await self.session.flush()
        for row in written:
            await publish(
                self.session, "inventory.stock.changed", self._payload(row, balances), self.actor
            )
        return written

    @staticmethod
    def _rate(balance: Balance, change: Decimal, move: Move) -> Decimal:
        """Moving average: an incoming move with a cost re-weighs the rate; others keep it."""
        if move.reverses is not None:
            return move.reverses.valuation_rate
        if change <= ZERO or move.unit_cost is None:
            return balance.valuation_rate
        on_hand = max(balance.quantity, ZERO)
        total = on_hand + change
        value = on_hand * balance.valuation_rate + change * move.unit_cost
        return (value / total).quantize(RATE)

    async def _low_stock(self, config: InventoryConfig, balance: Balance, key: StockKey) -> None:
        if key.article_id is None:
            return  # a unit is one of a kind: no threshold
        threshold = threshold_for(config, key.sku)
        low = threshold > ZERO and balance.quantity < threshold
        if low and not balance.is_low:
            await publish(
                self.session,
                "inventory.stock.low",
                {
                    "sku": key.sku,
                    "article_id": str(key.article_id),
                    "location_id": str(balance.location_id),
                    "location_code": balance.location.code,
                    "store_id": str(balance.location.store_id),
                    "quantity": quantity(balance.quantity),
                    "threshold": quantity(threshold),
                },
                self.actor,
            )
        balance.is_low = low

    @staticmethod
    def _payload(row: LedgerRow, balances: dict[tuple[int, uuid.UUID], Balance]) -> dict[str, Any]:
        balance = balances[(row.stock_key_id, row.location_id)]
        key = balance.stock_key
        location: Location = balance.location
        return {
            "ledger_id": row.id,
            "sku": key.sku,
            "kind": "unit" if key.item_id is not None else "quantity",
            "article_id": None if key.article_id is None else str(key.article_id),
            "item_id": None if key.item_id is None else str(key.item_id),
            "location_id": str(location.id),
            "store_id": str(location.store_id),
            "quantity_change": quantity(row.quantity_change),
            "quantity_after": quantity(row.quantity_after),
            "voucher_type": row.voucher_type,
            "voucher_id": row.voucher_id,
        }

    async def reverse(self, voucher_type: str, voucher_id: str, *, as_type: str) -> list[LedgerRow]:
        """Reversing rows for every not-yet-reversed row of a voucher (a cancel or a void)."""
        reversed_ids = select(LedgerRow.reverses_id).where(LedgerRow.reverses_id.is_not(None))
        originals = (
            (
                await self.session.execute(
                    select(LedgerRow)
                    .where(
                        LedgerRow.voucher_type == voucher_type,
                        LedgerRow.voucher_id == voucher_id,
                        LedgerRow.id.not_in(reversed_ids),
                    )
                    .order_by(LedgerRow.id.desc())
                )
            )
            .scalars()
            .all()
        )
        moves = [
            Move(
                stock_key_id=row.stock_key_id,
                location_id=row.location_id,
                change=-row.quantity_change,
                line=row.voucher_line,
                reverses=row,
            )
            for row in originals
        ]
        return await self.post(moves, voucher_type=as_type, voucher_id=voucher_id)
