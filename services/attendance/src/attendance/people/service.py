"""Keeping auth's staff, and the person a request names (known, active, of the right store)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from attendance.people.models import Person
from attendance.people.repository import PersonRepository
from common.errors import field_error
from common.roles import STAFF_ROLES


class PersonService:
    def __init__(self, session: AsyncSession) -> None:
        self.people = PersonRepository(session)

    async def record(
        self,
        *,
        user_id: str,
        email: str,
        first_name: str,
        last_name: str,
        role: str,
        store_ids: list[str],
        is_active: bool,
        at: datetime,
    ) -> None:
        """What auth announced about a user. Staff are kept; someone who stops being staff
        (a role change to customer) is updated if we hold them, never added."""
        values = {
            "email": email,
            "first_name": first_name,
            "last_name": last_name,
            "role": role,
            "store_ids": store_ids,
            "is_active": is_active,
        }
        if _is_staff(role):
            await self.people.save_newer({"id": user_id, **values, "synced_at": at})
        else:
            await self.people.update_newer(user_id, {**values, "is_active": False}, at)

    async def staff(self, person_id: str, field: str, store_id: uuid.UUID | None = None) -> Person:
        """The active member of staff ``person_id`` (of ``store_id`` when given), or a 422
        naming ``field``."""
        person = await self.people.get(person_id)
        if person is None or not person.is_active or not _is_staff(person.role):
            raise field_error(
                field, f"no active member of staff {person_id} (staff come from auth)"
            )
        if store_id is not None and str(store_id) not in person.store_ids:
            raise field_error(field, f"{person.name} does not work at store {store_id}")
        return person


def _is_staff(role: str) -> bool:
    return role in {member.value for member in STAFF_ROLES}
