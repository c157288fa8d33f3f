"""Stock entry rules: drafts are edited freely; posting writes the ledger; a posted entry is
never edited or deleted, only cancelled, which writes reversing ledger rows."""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import Conflict, NotFound, Unprocessable, field_error
from common.roles import Principal
from inventory.entries.schemas import EntryIn, EntryType, EntryUpdate, LineIn
from inventory.events import publish
from inventory.ledger.keys import Stockable, find_stockable
from inventory.ledger.posting import Move, StockLedger
from inventory.locations.service import LocationService
from inventory.models import Item, StockEntry, StockEntryLine
from inventory.serials.service import SerialService

VOUCHER = "stock_entry"
CANCEL_VOUCHER = "stock_entry_cancel"


@dataclass(frozen=True)
class CheckedLine:
    line: LineIn
    stockable: Stockable


def body_hash(body: EntryIn) -> str:
    return hashlib.sha256(
        json.dumps(body.model_dump(mode="json"), sort_keys=True).encode()
    ).hexdigest()


class EntryService:
    def __init__(self, session: AsyncSession, actor: Principal) -> None:
        self.session = session
        self.actor = actor

    async def get(self, entry_id: uuid.UUID, *, lock: bool = False) -> StockEntry:
        statement = select(StockEntry).where(StockEntry.id == entry_id)
        if lock:
            statement = statement.with_for_update().execution_options(populate_existing=True)
        entry = (await self.session.execute(statement)).scalar_one_or_none()
        if entry is None:
            raise NotFound(f"Stock entry {entry_id} not found.")
        return entry

    # -- drafts ----------------------------------------------------------------------------

    async def create(self, body: EntryIn, idempotency_key: str | None) -> tuple[StockEntry, bool]:
        """The new draft, or (same key, same body) the one created before: (entry, created)."""
        digest = body_hash(body)
        if idempotency_key is not None:
            earlier = await self._by_key(idempotency_key, digest)
            if earlier is not None:
                return earlier, False
        lines = await self._check_lines(body.entry_type, body.lines)
        number = await self.session.scalar(text("SELECT nextval('stock_entry_number_seq')"))
        entry = StockEntry(
            number=f"SE-{number:06d}",
            entry_type=body.entry_type,
            reference=body.reference,
            notes=body.notes,
            idempotency_key=idempotency_key,
            request_hash=digest if idempotency_key else None,
            created_by=self.actor.user_id,
            lines=self._rows(lines),
        )
        try:
            async with self.session.begin_nested():
                self.session.add(entry)
                await self.session.flush()
        except IntegrityError:
            # the same key committed by a concurrent request a moment ago
            assert idempotency_key is not None
            earlier = await self._by_key(idempotency_key, digest)
            if earlier is None:
                raise
            return earlier, False
        await self.session.refresh(entry)
        return entry, True

    async def _by_key(self, key: str, digest: str) -> StockEntry | None:
        earlier = (
            await self.session.execute(select(StockEntry).where(StockEntry.idempotency_key == key))
        ).scalar_one_or_none()
        if earlier is not None and earlier.request_hash != digest:
            raise Unprocessable(
                "This Idempotency-Key was used with a different body; use a new key for a new entry."
            )
        return earlier

    async def update(self, entry_id: uuid.UUID, body: EntryUpdate) -> StockEntry:
        entry = await self.get(entry_id, lock=True)
        self._draft_only(entry, "edited")
        changes = body.model_dump(exclude_unset=True, exclude={"lines"})
        for field, value in changes.items():
            if value is None:
                raise field_error(field, "may not be null")
            setattr(entry, field, value)
        entry_type = EntryType(entry.entry_type)
        if body.lines is not None:
            entry.lines = self._rows(await self._check_lines(entry_type, body.lines))
        elif "entry_type" in changes:
            current = [LineIn.model_validate(line, from_attributes=True) for line in entry.lines]
            await self._check_lines(entry_type, current)
        await self.session.flush()
        await self.session.refresh(entry)
        return entry

    async def delete(self, entry_id: uuid.UUID) -> None:
        entry = await self.get(entry_id, lock=True)
        self._draft_only(entry, "deleted")
        await self.session.delete(entry)
        await self.session.flush()

    @staticmethod
    def _draft_only(entry: StockEntry, verb: str) -> None:
        if entry.status == "posted":
            raise Conflict(
                f"Stock entry {entry.number} is posted and cannot be {verb}; the ledger keeps it. "
                f"Cancel it (POST /api/stock-entries/{entry.id}/cancel) to write reversing rows."
            )
        if entry.status == "cancelled":
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
        locations = LocationService(self.session)
        for index, line in enumerate(lines):
            name = f"lines[{index}]"
            stockable = await find_stockable(self.session, line.sku)
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
                    await locations.known(value, f"{name}.{field}")
            if (
                entry_type == EntryType.transfer
                and line.source_location_id == line.target_location_id
            ):
                raise field_error(
                    f"{name}.target_location_id", "A transfer needs two different locations."
                )
            if stockable.is_unit:
                self._check_unit(entry_type, line, stockable, name)
            if line.serial_numbers:
                self._check_serials(entry_type, line, name, seen_serials)
            checked.append(CheckedLine(line=line, stockable=stockable))
        return checked

    @staticmethod
    def _check_unit(entry_type: EntryType, line: LineIn, stockable: Stockable, name: str) -> None:
        if entry_type in (EntryType.issue, EntryType.adjustment):
            raise field_error(
                f"{name}.sku",
                f"{line.sku} is a unit item: it leaves stock by sale or by status (lost, damaged), "
                f"not by {entry_type}.",
            )
        if line.quantity != 1:
            raise field_error(f"{name}.quantity", f"{line.sku} is a unit item: quantity must be 1.")
        item = stockable.item
        assert item is not None
        placed = item.location_id is not None and item.status not in ("sold", "lost")
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

    async def post(self, entry_id: uuid.UUID) -> StockEntry:
        entry = await self.get(entry_id, lock=True)
        if entry.status != "draft":
            raise Conflict(f"Stock entry {entry.number} is already {entry.status}.")
        entry_type = EntryType(entry.entry_type)
        # re-check against today's locations and SKUs: a draft may be old
        current = [LineIn.model_validate(line, from_attributes=True) for line in entry.lines]
        checked = await self._check_lines(entry_type, current)
        moves: list[Move] = []
        for line, check in zip(entry.lines, checked, strict=True):
            key_id = check.stockable.key.id
            tag = str(line.line_no)
            if entry_type == EntryType.receipt:
                assert line.target_location_id is not None
                moves.append(
                    Move(
                        key_id,
                        line.target_location_id,
                        change=line.quantity,
                        unit_cost=line.unit_cost,
                        line=tag,
                    )
                )
            elif entry_type == EntryType.issue:
                assert line.source_location_id is not None
                moves.append(Move(key_id, line.source_location_id, change=-line.quantity, line=tag))
            elif entry_type == EntryType.transfer:
                assert line.source_location_id and line.target_location_id
                moves.append(Move(key_id, line.source_location_id, change=-line.quantity, line=tag))
                moves.append(
                    Move(
                        key_id,
                        line.target_location_id,
                        change=line.quantity,
                        line=tag,
                        from_location_id=line.source_location_id,
                    )
                )
            else:
                assert line.target_location_id is not None
                moves.append(Move(key_id, line.target_location_id, count=line.quantity, line=tag))
        ledger = StockLedger(self.session, self.actor.user_id)
        await ledger.post(moves, voucher_type=VOUCHER, voucher_id=str(entry.id))
        serials = SerialService(self.session, self.actor.user_id)
        for line, check in zip(entry.lines, checked, strict=True):
            if check.stockable.item is not None:
                await self._place_unit(check.stockable.item, line.target_location_id, entry)
            if line.serial_numbers:
                await serials.apply_line(entry_type, check.stockable, line, VOUCHER, str(entry.id))
        entry.status = "posted"
        entry.posted_by = self.actor.user_id
        entry.posted_at = datetime.now(UTC)
        await self.session.flush()
        await publish(
            self.session, "inventory.stock_entry.posted", self._payload(entry), self.actor.user_id
        )
        await self.session.refresh(entry)
        return entry

    async def cancel(self, entry_id: uuid.UUID) -> StockEntry:
        entry = await self.get(entry_id, lock=True)
        if entry.status == "draft":
            raise Conflict(f"Stock entry {entry.number} is a draft: delete it instead.")
        if entry.status == "cancelled":
            raise Conflict(f"Stock entry {entry.number} is already cancelled.")
        ledger = StockLedger(self.session, self.actor.user_id)
        await ledger.reverse(VOUCHER, str(entry.id), as_type=CANCEL_VOUCHER)
        for line in entry.lines:
            unit = (
                await self.session.execute(select(Item).where(Item.sku == line.sku))
            ).scalar_one_or_none()
            if unit is not None:
                await self._place_unit(unit, line.source_location_id, entry, cancelled=True)
        await SerialService(self.session, self.actor.user_id).revert(VOUCHER, str(entry.id))
        entry.status = "cancelled"
        entry.cancelled_by = self.actor.user_id
        entry.cancelled_at = datetime.now(UTC)
        await self.session.flush()
        await publish(
            self.session,
            "inventory.stock_entry.cancelled",
            self._payload(entry),
            self.actor.user_id,
        )
        await self.session.refresh(entry)
        return entry

    async def _place_unit(
        self, item: Item, location_id: uuid.UUID | None, entry: StockEntry, cancelled: bool = False
    ) -> None:
        from inventory.items.service import ItemService  # items ↔ entries: one direction at import

        previous = item.location_id
        item.location_id = location_id
        await ItemService(self.session, None).history(
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

    @staticmethod
    def _payload(entry: StockEntry) -> dict[str, Any]:
        return {
            "entry_id": str(entry.id),
            "number": entry.number,
            "entry_type": entry.entry_type,
            "status": entry.status,
            "reference": entry.reference,
            "lines": [
                {
                    "line_no": line.line_no,
                    "sku": line.sku,
                    "quantity": str(line.quantity),
                    "source_location_id": None
                    if line.source_location_id is None
                    else str(line.source_location_id),
                    "target_location_id": None
                    if line.target_location_id is None
                    else str(line.target_location_id),
                }
                for line in entry.lines
            ],
        }

    @staticmethod
    def listing(
        *, status: str | None, entry_type: str | None, reference: str | None
    ) -> Select[Any]:
        statement = select(StockEntry)
        if status:
            statement = statement.where(StockEntry.status == status)
        if entry_type:
            statement = statement.where(StockEntry.entry_type == entry_type)
        if reference:
            statement = statement.where(StockEntry.reference == reference)
        return statement
