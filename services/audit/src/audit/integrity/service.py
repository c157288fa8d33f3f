"""Recomputing a month's hash chain: the row count, the head, and the first broken row.

Each row is checked three ways, in position order: its position follows the previous one
(a gap or a repeat means a row was removed or added), its ``prev_hash`` is the previous
row's hash (the link), and its hash is what its fields give (``integrity/chain.py``). The
last row read must then be the head the month's registry row recorded (a removed tail).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from audit.integrity.chain import chained_text, genesis, row_hash
from audit.integrity.repository import chain_of
from audit.integrity.schemas import BrokenRow, Verification
from audit.partitions.months import month_label
from audit.partitions.repository import MonthRepository
from common.db import Database
from common.errors import DomainError, NotFound


class Gone(DomainError):
    status_code = 410


class IntegrityService:
    def __init__(self, session: AsyncSession, database: Database) -> None:
        self.months = MonthRepository(session)
        self.database = database

    async def verify(self, month: date) -> Verification:
        label = month_label(month)
        registry = await self.months.get(month)
        if registry is None:
            raise NotFound(f"The log has no month {label}.")
        if registry.dropped_at is not None:
            raise Gone(
                f"Retention dropped {label} on {registry.dropped_at:%Y-%m-%d}: it held "
                f"{registry.rows} rows with chain head {registry.head_hash}."
            )
        expected_prev, expected_position = genesis(month), 1
        broken: BrokenRow | None = None
        rows, last = 0, None
        async for row in chain_of(self.database, month, registry.head_position):
            rows += 1
            computed = row_hash(expected_prev, chained_text({**row._mapping, "month": label}))
            if broken is None:
                reason = None
                if row.position != expected_position:
                    reason = (
                        f"position {row.position} where {expected_position} was due "
                        "(a row is missing or repeated)"
                    )
                elif row.prev_hash != expected_prev:
                    reason = "its prev_hash is not the previous row's hash (a row was removed)"
                elif row.hash != computed:
                    reason = "its fields do not match its hash (changed after it was written)"
                if reason is not None:
                    broken = BrokenRow(
                        id=row.id, position=row.position, event_id=row.event_id, reason=reason
                    )
            expected_prev, expected_position, last = row.hash, row.position + 1, row
        if broken is None and (last.hash if last else None) != registry.head_hash:
            position = last.position if last else 0
            broken = BrokenRow(
                id=last.id if last else None,
                position=position,
                event_id=last.event_id if last else None,
                reason=(
                    f"the chain ends at position {position} but {registry.head_position} rows "
                    "were recorded (rows removed from the end)"
                ),
            )
        return Verification(
            month=label,
            valid=broken is None,
            rows=rows,
            head_position=last.position if last else 0,
            head_hash=last.hash if last else None,
            recorded_rows=registry.rows,
            recorded_head=registry.head_hash,
            first_broken=broken,
        )
