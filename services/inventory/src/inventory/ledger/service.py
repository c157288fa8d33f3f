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

Valuation rates and values keep four decimals, rounded half up like money.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import Conflict, NotFound
from common.money import quantity_wire
from common.pagination import PageParams
from common.roles import Principal
from inventory.events.contracts import StockChanged, StockLow
from inventory.events.outbox import outbox
from inventory.inventory_config.models import InventoryConfig
from inventory.inventory_config.repository import ConfigRepository
from inventory.ledger.models import Balance, LedgerRow, StockKey
from inventory.ledger.repository import BalanceFilters, LedgerFilters, LedgerRepository, Pair

ZERO = Decimal(0)
RATE = Decimal("0.0001")


def four_places(value: Decimal) -> Decimal:
    return value.quantize(RATE, rounding=ROUND_HALF_UP)


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

    def __post_init__(self) -> None:
        if (self.change is None) == (self.count is None):
            raise ValueError("a move has either a change or a count")

    def change_from(self, on_hand: Decimal) -> Decimal:
        return self.count - on_hand if self.count is not None else self.change or ZERO


class StockLedger:
    """``actor_id`` is who the ledger rows and events name (a user, or None: the system)."""

    def __init__(self, session: AsyncSession, actor_id: str | None) -> None:
        self.session = session
        self.actor_id = actor_id
        self.ledger = LedgerRepository(session)
        self.configs = ConfigRepository(session)

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
        config = await self.configs.load()
        negative_ok = config.allow_negative_stock if allow_negative is None else allow_negative
        balances = await self.ledger.lock((move.stock_key_id, move.location_id) for move in moves)
        written: list[LedgerRow] = []
        for move in moves:
            balance = balances[(move.stock_key_id, move.location_id)]
            change = move.change_from(balance.quantity)
            if change == ZERO:
                continue
            after = balance.quantity + change
            key = balance.stock_key
            if after < ZERO and not negative_ok:
                raise Conflict(
                    f"Not enough stock of {key.sku} at location {balance.location.code}: "
                    f"{quantity_wire(balance.quantity)} on hand, {quantity_wire(-change)} needed "
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
                value_change=four_places(change * rate),
                voucher_type=voucher_type,
                voucher_id=voucher_id,
                voucher_line=move.line,
                reverses_id=None if move.reverses is None else move.reverses.id,
                actor=self.actor_id,
            )
            self.ledger.add_row(row)
            balance.quantity = after
            balance.valuation_rate = rate
            written.append(row)
            await self._low_stock(config, balance, key)
        await self.ledger.flush()
        for row in written:
            await outbox.publish(self.session, self._changed(row, balances), actor=self.actor_id)
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
        return four_places(value / total)

    async def _low_stock(self, config: InventoryConfig, balance: Balance, key: StockKey) -> None:
        if key.article_id is None:
            return  # a unit is one of a kind: no threshold
        threshold = config.threshold_for(key.sku)
        low = threshold > ZERO and balance.quantity < threshold
        if low and not balance.is_low:
            await outbox.publish(
                self.session,
                StockLow(
                    sku=key.sku,
                    article_id=key.article_id,
                    location_id=balance.location_id,
                    location_code=balance.location.code,
                    store_id=balance.location.store_id,
                    quantity=balance.quantity,
                    threshold=threshold,
                ),
                actor=self.actor_id,
            )
        balance.is_low = low

    @staticmethod
    def _changed(row: LedgerRow, balances: dict[Pair, Balance]) -> StockChanged:
        balance = balances[(row.stock_key_id, row.location_id)]
        key = balance.stock_key
        return StockChanged(
            ledger_id=row.id,
            sku=key.sku,
            kind="unit" if key.item_id is not None else "quantity",
            article_id=key.article_id,
            item_id=key.item_id,
            location_id=balance.location.id,
            store_id=balance.location.store_id,
            quantity_change=row.quantity_change,
            quantity_after=row.quantity_after,
            voucher_type=row.voucher_type,
            voucher_id=row.voucher_id,
        )

    async def reverse(self, voucher_type: str, voucher_id: str, *, as_type: str) -> list[LedgerRow]:
        """Reversing rows for every not-yet-reversed row of a voucher (a cancel or a void)."""
        moves = [
            Move(
                stock_key_id=row.stock_key_id,
                location_id=row.location_id,
                change=-row.quantity_change,
                line=row.voucher_line,
                reverses=row,
            )
            for row in await self.ledger.unreversed(voucher_type, voucher_id)
        ]
        return await self.post(moves, voucher_type=as_type, voucher_id=voucher_id)

    async def line_posted(self, voucher_type: str, voucher_id: str, line: str) -> bool:
        """Whether a voucher's line is already on the ledger (a sale line is written once)."""
        return await self.ledger.line_posted(voucher_type, voucher_id, line)


class LedgerService:
    """Reading the ledger (system admins) and the balances (staff, their stores)."""

    def __init__(self, session: AsyncSession, actor: Principal) -> None:
        self.actor = actor
        self.ledger = LedgerRepository(session)

    async def rows(self, filters: LedgerFilters, page: PageParams) -> tuple[int, list[Any]]:
        return await self.ledger.rows(filters, page)

    async def row(self, row_id: int) -> LedgerRow:
        row = await self.ledger.row(row_id)
        if row is None:
            raise NotFound(f"Ledger row {row_id} not found.")
        return row

    async def balances(self, filters: BalanceFilters, page: PageParams) -> tuple[int, list[Any]]:
        return await self.ledger.balances(self.actor, filters, page)
