"""Stock entry rules: drafts are edited freely; posting writes the ledger; a posted entry is
never edited or deleted, only cancelled, which writes reversing ledger rows."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import Conflict, NotFound, Unprocessable, field_error
from common.idempotency import request_hash
from common.pagination import PageParams
from common.roles import Principal
from common.updates import changes as sent
from inventory.entries.models import EntryStatus, EntryType, StockEntry, StockEntryLine
from inventory.entries.repository import EntryFilters, EntryRepository
from inventory.entries.schemas import EntryIn, EntryUpdate, LineIn
from inventory.events.contracts import EntryLine, StockEntryChanged, StockEntryDrafted
from inventory.events.outbox import outbox
from inventory.items.models import OUT_OF_STOCK, Item
from inventory.items.repository import ItemRepository, Stockable
from inventory.items.service import ItemService
from inventory.ledger.models import Voucher
from inventory.ledger.service import Move, StockLedger
from inventory.locations.service import LocationService
from inventory.serials.service import SerialService


@dataclass(frozen=True)
class CheckedLine:
    line: LineIn
    stockable: Stockable


def _at(location_id: uuid.UUID | None, line: StockEntryLine, field: str) -> uuid.UUID:
    """A location the line was checked to have (a draft edited behind our back has not)."""
    if location_id is None:
        raise field_error(f"lines[{line.line_no - 1}].{field}", "is required on this line")
    return location_id


class EntryService:
    def __init__(self, session: AsyncSession, actor: Principal) -> None:
        self.session = session
        self.actor = actor
        self.entries = EntryRepository(session)
        self.items = ItemRepository(session)
        self.locations = LocationService(session)

    async def get(self, entry_id: uuid.UUID, *, lock: bool = False) -> StockEntry:
        entry = await self.entries.get(entry_id, lock=lock)
        if entry is None:
            raise NotFound(f"Stock entry {entry_id} not found.")
        return entry

    async def listing(self, filters: EntryFilters, page: PageParams) -> tuple[int, list[Any]]:
        return await self.entries.listing(filters, page)

    # -- drafts ----------------------------------------------------------------------------

    async def create(self, body: EntryIn, idempotency_key: str | None) -> tuple[StockEntry, bool]:
        """The new draft, or (same key, same body) the one created before: (entry, created)."""
        digest = request_hash(body)
        if idempotency_key is not None:
            earlier = await self._by_key(idempotency_key, digest)
            if earlier is not None:
                return earlier, False
        lines = await self._check_lines(body.entry_type, body.lines)
        entry = StockEntry(
            number=f"SE-{await self.entries.next_number():06d}",
            entry_type=body.entry_type,
            reference=body.reference,
            notes=body.notes,
            idempotency_key=idempotency_key,
            request_hash=digest if idempotency_key else None,
            created_by=self.actor.user_id,
            lines=self._rows(lines),
        )
        if await self.entries.add(entry):
            await self._announce(entry, "inventory.stock_entry.drafted")
            return entry, True
        # the same key committed by a concurrent request a moment ago
        earlier = None if idempotency_key is None else await self._by_key(idempotency_key, digest)
        if earlier is None:
            raise Conflict("This Idempotency-Key is being used by another request; try again.")
        return earlier, False

    async def _by_key(self, key: str, digest: str) -> StockEntry | None:
        earlier = await self.entries.by_idempotency_key(key)
        if earlier is not None and earlier.request_hash != digest:
            raise Unprocessable(
                "This Idempotency-Key was used with a different body; use a new key for a new entry."
            )
        return earlier

    async def update(self, entry_id: uuid.UUID, body: EntryUpdate) -> StockEntry:
        entry = await self.get(entry_id, lock=True)
        self._draft_only(entry, "edited")
        changes = sent(body)
        changes.pop("lines", None)
        for field, value in changes.items():
            setattr(entry, field, value)
        entry_type = EntryType(entry.entry_type)
        if body.lines is not None:
            entry.lines = self._rows(await self._check_lines(entry_type, body.lines))
        elif "entry_type" in changes:
            await self._check_lines(entry_type, self._current(entry))
        await self.entries.save(entry)
        await self._announce(entry, "inventory.stock_entry.updated")
        return entry

    async def delete(self, entry_id: uuid.UUID) -> None:
        entry = await self.get(entry_id, lock=True)
        self._draft_only(entry, "deleted")
        await self._announce(entry, "inventory.stock_entry.deleted")
        await self.entries.delete(entry)

    @staticmethod
    def _current(entry: StockEntry) -> list[LineIn]:
        return [LineIn.model_validate(line, from_attributes=True) for line in entry.lines]

    @staticmethod
    def _draft_only(entry: StockEntry, verb: str) -> None:
        if entry.status == EntryStatus.posted:
            raise Conflict(
                f"Stock entry {entry.number} is posted and cannot be {verb}; the ledger keeps it. "
                f"Cancel it (POST /api/stock-entries/{entry.id}/cancel) to write reversing rows."
            )
        if entry.status == EntryStatus.cancelled:
            raise Conflict(f"Stock entry {entry.number} is cancelled and cannot be {verb}.")

    @staticmethod
    def _rows(lines: list[CheckedLine]) -> list[StockEntryLine]:
        return [
            StockEntryLine(
                line_no=number,
                stock_key_id=checked.stockable.key.id,
                sku=checked.stockable.key.sku,
                quantity=checked.line.quantity,
                source_location_id=checked.line.source_location_id,
                target_location_id=checked.line.target_location_id,
                unit_cost=checked.line.unit_cost,
                serial_numbers=checked.line.serial_numbers,
                notes=checked.line.notes,
            )
            for number, checked in enumerate(lines, start=1)
        ]

    async def _check_lines(self, entry_type: EntryType, lines: list[LineIn]) -> list[CheckedLine]:
        checked: list[CheckedLine] = []
        seen_serials: set[tuple[str, str]] = set()
        for index, line in enumerate(lines):
            name = f"lines[{index}]"
            stockable = await self.items.stockable(line.sku)
            if stockable is None:
                raise field_error(
                    f"{name}.sku",
                    f"Unknown SKU {line.sku}: neither a unit item nor a catalog variant or spare.",
                )
            if entry_type != EntryType.adjustment and line.quantity <= 0:
                raise field_error(f"{name}.quantity", "must be greater than 0")
            needs_source = entry_type in (EntryType.issue, EntryType.transfer)
            needs_target = entry_type != EntryType.issue
            for field, needed in (
                ("source_location_id", needs_source),
                ("target_location_id", needs_target),
            ):
                value = getattr(line, field)
                if needed and value is None:
                    raise field_error(f"{name}.{field}", f"is required on a {entry_type} line")
                if not needed and value is not None:
                    raise field_error(f"{name}.{field}", f"must be empty on a {entry_type} line")
                if value is not None:
                    await self.locations.known(value, f"{name}.{field}")
            if (
                entry_type == EntryType.transfer
                and line.source_location_id == line.target_location_id
            ):
                raise field_error(
                    f"{name}.target_location_id", "A transfer needs two different locations."
                )
            if stockable.item is not None:
                self._check_unit(entry_type, line, stockable.item, name)
            if line.serial_numbers:
                self._check_serials(entry_type, line, name, seen_serials)
            checked.append(CheckedLine(line=line, stockable=stockable))
        return checked

    @staticmethod
    def _check_unit(entry_type: EntryType, line: LineIn, item: Item, name: str) -> None:
        if entry_type in (EntryType.issue, EntryType.adjustment):
            raise field_error(
                f"{name}.sku",
                f"{line.sku} is a unit item: it leaves stock by sale or by status (lost, damaged), "
                f"not by {entry_type}.",
            )
        if line.quantity != 1:
            raise field_error(f"{name}.quantity", f"{line.sku} is a unit item: quantity must be 1.")
        placed = item.location_id is not None and item.status not in OUT_OF_STOCK
        if entry_type == EntryType.receipt and placed:
            raise field_error(
                f"{name}.sku", f"Unit {item.sku} is already in stock; move it with a transfer."
            )
        if entry_type == EntryType.transfer and line.source_location_id != item.location_id:
            raise field_error(
                f"{name}.source_location_id", f"Unit {item.sku} is not at that location."
            )

    @staticmethod
    def _check_serials(
        entry_type: EntryType, line: LineIn, name: str, seen: set[tuple[str, str]]
    ) -> None:
        if entry_type == EntryType.adjustment:
            raise field_error(f"{name}.serial_numbers", "An adjustment does not carry serials.")
        if line.quantity != line.quantity.to_integral() or len(line.serial_numbers) != int(
            line.quantity
        ):
            raise field_error(
                f"{name}.serial_numbers",
                f"{len(line.serial_numbers)} serial number(s) for a quantity of {line.quantity}.",
            )
        for serial in line.serial_numbers:
            if not serial.strip():
                raise field_error(f"{name}.serial_numbers", "A serial number may not be blank.")
            if (line.sku.upper(), serial) in seen:
                raise field_error(f"{name}.serial_numbers", f"Serial {serial} appears twice.")
            seen.add((line.sku.upper(), serial))

    # -- posting and cancelling ------------------------------------------------------------

    @staticmethod
    def _moves(entry_type: EntryType, line: StockEntryLine, key_id: int) -> list[Move]:
        tag = str(line.line_no)
        if entry_type == EntryType.receipt:
            target = _at(line.target_location_id, line, "target_location_id")
            return [Move(key_id, target, change=line.quantity, unit_cost=line.unit_cost, line=tag)]
        if entry_type == EntryType.issue:
            source = _at(line.source_location_id, line, "source_location_id")
            return [Move(key_id, source, change=-line.quantity, line=tag)]
        if entry_type == EntryType.transfer:
            source = _at(line.source_location_id, line, "source_location_id")
            target = _at(line.target_location_id, line, "target_location_id")
            return [
                Move(key_id, source, change=-line.quantity, line=tag),
                Move(key_id, target, change=line.quantity, line=tag, from_location_id=source),
            ]
        target = _at(line.target_location_id, line, "target_location_id")
        return [Move(key_id, target, count=line.quantity, line=tag)]

    async def post(self, entry_id: uuid.UUID) -> StockEntry:
        entry = await self.get(entry_id, lock=True)
        if entry.status != EntryStatus.draft:
            raise Conflict(f"Stock entry {entry.number} is already {entry.status}.")
        entry_type = EntryType(entry.entry_type)
        # re-check against today's locations and SKUs: a draft may be old
        checked = await self._check_lines(entry_type, self._current(entry))
        moves: list[Move] = []
        for line, check in zip(entry.lines, checked, strict=True):
            moves += self._moves(entry_type, line, check.stockable.key.id)
        voucher = (Voucher.stock_entry, str(entry.id))
        await StockLedger(self.session, self.actor.user_id).post(
            moves, voucher_type=voucher[0], voucher_id=voucher[1]
        )
        serials = SerialService(self.session, self.actor.user_id)
        for line, check in zip(entry.lines, checked, strict=True):
            if check.stockable.item is not None:
                await self._place_unit(check.stockable.item, line.target_location_id, entry)
            if line.serial_numbers:
                await serials.apply_line(entry_type, check.stockable, line, voucher)
        entry.status = EntryStatus.posted
        entry.posted_by = self.actor.user_id
        entry.posted_at = datetime.now(UTC)
        await self.session.flush()
        await outbox.publish(
            self.session,
            self._announcement(entry),
            subject="inventory.stock_entry.posted",
            actor=self.actor.user_id,
        )
        return await self.entries.save(entry)

    async def cancel(self, entry_id: uuid.UUID) -> StockEntry:
        entry = await self.get(entry_id, lock=True)
        if entry.status == EntryStatus.draft:
            raise Conflict(f"Stock entry {entry.number} is a draft: delete it instead.")
        if entry.status == EntryStatus.cancelled:
            raise Conflict(f"Stock entry {entry.number} is already cancelled.")
        await StockLedger(self.session, self.actor.user_id).reverse(
            Voucher.stock_entry, str(entry.id), as_type=Voucher.stock_entry_cancel
        )
        for line in entry.lines:
            unit = await self.items.with_exact_sku(line.sku)
            if unit is not None:
                await self._place_unit(unit, line.source_location_id, entry, cancelled=True)
        await SerialService(self.session, self.actor.user_id).revert(
            Voucher.stock_entry, str(entry.id)
        )
        entry.status = EntryStatus.cancelled
        entry.cancelled_by = self.actor.user_id
        entry.cancelled_at = datetime.now(UTC)
        await self.session.flush()
        await outbox.publish(
            self.session,
            self._announcement(entry),
            subject="inventory.stock_entry.cancelled",
            actor=self.actor.user_id,
        )
        return await self.entries.save(entry)

    async def _place_unit(
        self, item: Item, location_id: uuid.UUID | None, entry: StockEntry, cancelled: bool = False
    ) -> None:
        previous = item.location_id
        item.location_id = location_id
        ItemService.for_system(self.session, actor=None).history(
            item,
            "moved",
            None,
            None,
            {
                "from": None if previous is None else str(previous),
                "to": None if location_id is None else str(location_id),
                "stock_entry": entry.number,
                "cancelled": cancelled,
            },
        )

    async def _announce(self, entry: StockEntry, subject: str) -> None:
        """A draft's change: drafted, updated or deleted (as it was)."""
        await outbox.publish(
            self.session,
            self._announcement(entry, StockEntryDrafted),
            subject=subject,
            actor=self.actor.user_id,
        )

    @staticmethod
    def _announcement(
        entry: StockEntry, contract: type[StockEntryChanged] = StockEntryChanged
    ) -> StockEntryChanged:
        return contract(
            entry_id=entry.id,
            number=entry.number,
            entry_type=entry.entry_type,
            status=entry.status,
            reference=entry.reference,
            lines=[EntryLine.model_validate(line, from_attributes=True) for line in entry.lines],
        )
