"""POS's read-model of customers, from auth's user events: a sale names its customer by
customer number (seed 002's lookup) without calling auth on the sale path."""

from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from common.events.consumer import Subscription
from common.events.envelope import Envelope
from pos.models import Customer


async def user_changed(session: AsyncSession, event: Envelope) -> None:
    """Upsert a customer (users without a customer number are not customers: ignored)."""
    data = event.data
    number = data.get("customer_number")
    if not number:
        return
    name = " ".join(part for part in (data.get("first_name"), data.get("last_name")) if part)
    values = {
        "id": str(data["user_id"]),
        "customer_number": str(number),
        "name": name,
        "email": data.get("email") or "",
        "is_active": bool(data.get("is_active", True)) and event.type != "auth.user.deactivated",
        "synced_at": event.time,
    }
    statement = insert(Customer).values(**values)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[Customer.id],
            set_={key: statement.excluded[key] for key in values if key != "id"},
            where=Customer.synced_at <= statement.excluded.synced_at,
        )
    )


SUBSCRIPTIONS = [Subscription(name="auth-customers", subject="auth.user.*", handler=user_changed)]
