"""Receipt numbers: ``<store code>-<year>-<6 digits>``, gapless per store and year (the
year of the sale in the store's time zone). The counter row is incremented inside the
completing transaction, so a rolled-back sale gives its number back."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from pos.models import ReceiptCounter, Store
from pos.store_time import zone_of


def local_year(store: Store, at: datetime) -> int:
    return at.astimezone(zone_of(store.time_zone)).year


async def next_receipt_number(session: AsyncSession, store: Store, at: datetime) -> str:
    year = local_year(store, at)
    insert_row = insert(ReceiptCounter).values(store_id=store.id, year=year, last_number=1)
    statement = insert_row.on_conflict_do_update(
        index_elements=[ReceiptCounter.store_id, ReceiptCounter.year],
        set_={"last_number": ReceiptCounter.last_number + 1},
    ).returning(ReceiptCounter.last_number)
    number = (await session.execute(statement)).scalar_one()
    return f"{store.code}-{year}-{number:06d}"
