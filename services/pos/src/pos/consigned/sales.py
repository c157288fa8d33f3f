"""Consigned units at the register: a sale's line of a consigned unit gets the consignee's
share, computed with the item's agreement version and stored in the ledger in the sale's
own transaction; a void takes it back — cancelled while no payout has taken it, else a
negative adjustment that the next payout carries.

The line's sale price is its total (after the line discount) less its part of the cart
discount (``cart discount % x line total``, rounded once), so ``discount`` is both."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from common.events.contracts import Published
from common.money import percent_of
from pos.consigned.repository import ConsignedRepository
from pos.consignment.models import EntryKind, EntryStatus
from pos.consignment.terms import share_of
from pos.events.contracts import ConsignedItemSold


class SoldLine(Protocol):
    @property
    def line_no(self) -> int: ...
    @property
    def item_id(self) -> uuid.UUID | None: ...
    @property
    def unit_price(self) -> Decimal: ...
    @property
    def quantity(self) -> Decimal: ...
    @property
    def line_total(self) -> Decimal: ...


class ConsignedSales:
    def __init__(self, session: AsyncSession) -> None:
        self.items = ConsignedRepository(session)

    async def prepare(
        self, lines: Sequence[SoldLine], cart_discount_percent: Decimal
    ) -> list[dict[str, Any]]:
        """The shares of the sale's consigned lines (their items locked), not yet stored."""
        by_unit = {line.item_id: line for line in lines if line.item_id is not None}
        if not by_unit:
            return []
        entries: list[dict[str, Any]] = []
        for item in await self.items.on_floor_with_terms(by_unit):
            line = by_unit[item.item_id]
            price = line.unit_price * line.quantity
            sale_price = line.line_total - percent_of(line.line_total, cart_discount_percent)
            share = share_of(
                sale_price,
                item.category,
                flat=item.share_percent,
                tiers=item.tiers,
                category_shares=item.category_shares,
                fee_per_item=item.fee_per_item,
            )
            entries.append(
                {
                    "id": uuid.uuid4(),
                    "kind": EntryKind.share,
                    "status": EntryStatus.owed,
                    "consignee_id": item.consignee_id,
                    "consigned_item_id": item.id,
                    "agreement_id": item.agreement_id,
                    "line_no": line.line_no,
                    "price": price,
                    "discount": price - sale_price,
                    "share_percent": share.share_percent,
                    "fee": share.fee,
                    "amount": share.amount,
                    "payout_id": None,
                    "item_id": item.item_id,
                }
            )
        return entries

    async def record(
        self,
        prepared: list[dict[str, Any]],
        *,
        sale_id: uuid.UUID,
        receipt_number: str,
        at: datetime,
    ) -> list[tuple[str, Published]]:
        """Store the prepared shares on the sale; their ``item.sold`` events."""
        if not prepared:
            return []
        entries = [
            {
                **{name: value for name, value in entry.items() if name != "item_id"},
                "sale_id": sale_id,
                "receipt_number": receipt_number,
                "occurred_at": at,
            }
            for entry in prepared
        ]
        await self.items.record_sold(entries, at)
        return [
            ("pos.consignment.item.sold", _event(entry["item_id"], stored, None))
            for entry, stored in zip(prepared, entries, strict=True)
        ]

    async def take_back(self, sale_id: uuid.UUID, at: datetime) -> list[tuple[str, Published]]:
        """A voided sale's shares: cancelled when no payout took them, else adjusted."""
        shares = await self.items.shares_of_sale(sale_id)
        if not shares:
            return []
        cancelled = [share.id for share in shares if share.payout_id is None]
        adjustments = [
            {
                **{name: getattr(share, name) for name in share._fields},
                "id": uuid.uuid4(),
                "kind": EntryKind.adjustment,
                "amount": -share.amount,
                "occurred_at": at,
                "payout_id": None,
            }
            for share in shares
            if share.payout_id is not None
        ]
        if cancelled:
            await self.items.cancel(cancelled)
        if adjustments:
            await self.items.add_entries(adjustments)
        await self.items.back_on_floor([share.consigned_item_id for share in shares])
        units = {
            item.id: item.item_id
            for item in await self.items.units_of([share.consigned_item_id for share in shares])
        }
        adjusted = {entry["consigned_item_id"]: entry["amount"] for entry in adjustments}
        return [
            (
                "pos.consignment.item.sale_voided",
                _event(
                    units[share.consigned_item_id],
                    share._asdict(),
                    adjusted.get(share.consigned_item_id),
                ),
            )
            for share in shares
        ]


def _event(item_id: uuid.UUID, entry: Any, adjustment: Decimal | None) -> ConsignedItemSold:
    return ConsignedItemSold(
        consigned_item_id=entry["consigned_item_id"],
        item_id=item_id,
        consignee_id=entry["consignee_id"],
        agreement_id=entry["agreement_id"],
        sale_id=entry["sale_id"],
        receipt_number=entry["receipt_number"],
        line_id=str(entry["line_no"]),
        price=entry["price"],
        discount=entry["discount"],
        share_percent=entry["share_percent"],
        fee=entry["fee"],
        amount_owed=entry["amount"],
        adjustment=adjustment,
    )
