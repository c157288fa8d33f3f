"""auth's user events into consignee accounts: auth owns the consignee's profile (name,
email, phone) and whether the user is active, so ``auth.user.*`` keeps the account in step.
Accounts are opened by a branch head, never by an event: a user without one is ignored.

Each event applies when it is not older than the last one applied (``synced_at``; null
until the first): redelivered or out of order, the newest event's profile stays. The
profile an account opens with (auth's answer at that moment) yields to the first event,
which is never older than the change that made that profile, so the account ends as auth's
newest event says. An event that changes the account publishes
``pos.consignment.account.updated`` with the fields it changed (through the outbox, in the
same transaction); a redelivery or an older event changes nothing and publishes nothing."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from pos.consignees.repository import ConsigneeRepository
from pos.consignment.published import publish_account
from pos.events.contracts import UserChanged


class ConsigneeFeed:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.consignees = ConsigneeRepository(session)

    async def user_changed(
        self, user: UserChanged, *, deactivated: bool, at: datetime, actor: str | None = None
    ) -> list[str] | None:
        """The account's profile and user flag from the event: the fields it changed; None
        when there is no account for the user or a newer event was applied already."""
        profile = {
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "phone": user.phone,
        }
        values: dict[str, str | bool] = {
            field: value for field, value in profile.items() if value is not None
        }
        values["user_active"] = bool(user.is_active) and not deactivated
        synced = await self.consignees.sync_from_auth(user.user_id, values, at=at)
        if synced is None:
            return None
        consignee, changed = synced
        if changed:
            await publish_account(self.session, consignee, "updated", actor=actor, changed=changed)
        return changed
