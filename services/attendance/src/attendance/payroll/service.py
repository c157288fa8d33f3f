"""Payroll profiles: a system admin upserts them; a person's ranges never overlap and are all
in one currency; a profile pays by the hour or by the month, with its rate."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from attendance.events.outbox import announce
from attendance.events.setup import PayrollProfileChanged
from attendance.payroll.models import PayrollProfile, PayType
from attendance.payroll.repository import PayrollRepository
from attendance.payroll.schemas import PayrollUpsert
from attendance.people.repository import PersonRepository
from common.errors import Conflict, NotFound, field_error
from common.roles import Principal
from common.updates import apply_changes

DEFAULT_MULTIPLIER = Decimal("1.50")


class PayrollService:
    def __init__(self, session: AsyncSession, actor: Principal, *, today: date) -> None:
        self.session = session
        self.actor = actor
        self.today = today
        self.profiles = PayrollRepository(session)

    def listing(self, *, person: str | None) -> Select[Any]:
        return self.profiles.listing(person=person)

    async def upsert(self, person_id: str, body: PayrollUpsert) -> PayrollProfile:
        if await PersonRepository(self.session).get(person_id) is None:
            raise NotFound(f"No member of staff {person_id} (staff come from auth).")
        await self.profiles.lock_person(person_id)
        existing = await self.profiles.of_person(person_id)
        profile = self._addressed(existing, body)
        changed: list[str] = []
        if profile is None:
            profile = self._new(person_id, body)
            self.session.add(profile)
        elif found := apply_changes(profile, body, skip=frozenset({"effective_from"})):
            changed = sorted(found)
        else:
            return profile
        self._check(profile, [p for p in existing if p is not profile])
        profile.updated_by = self.actor.user_id
        await self.session.flush()
        await self.session.refresh(profile)
        verb = "updated" if changed else "created"
        await announce(self.session, _event(profile, changed), verb, self.actor.user_id)
        return profile

    def _addressed(
        self, existing: list[PayrollProfile], body: PayrollUpsert
    ) -> PayrollProfile | None:
        """The profile the body names by its first day; without one, today's."""
        if body.effective_from is not None:
            return next((p for p in existing if p.effective_from == body.effective_from), None)
        current = next((p for p in existing if p.covers(self.today)), None)
        if current is None:
            raise field_error(
                "effective_from", "no profile is in force today: give effective_from to create one"
            )
        return current

    def _new(self, person_id: str, body: PayrollUpsert) -> PayrollProfile:
        if body.pay_type is None:
            raise field_error("pay_type", "a new profile needs pay_type (hourly or monthly)")
        values = body.model_dump(exclude_unset=True)
        values.setdefault("currency", "USD")
        values.setdefault("ot_multiplier", DEFAULT_MULTIPLIER)
        return PayrollProfile(person_id=person_id, **values)

    def _check(self, profile: PayrollProfile, others: list[PayrollProfile]) -> None:
        if profile.pay_type == PayType.hourly:
            if profile.hourly_rate is None or profile.hourly_rate <= 0:
                raise field_error("hourly_rate", "an hourly profile needs a positive hourly_rate")
            profile.monthly_salary = None
        else:
            if profile.monthly_salary is None or profile.monthly_salary <= 0:
                raise field_error(
                    "monthly_salary", "a monthly profile needs a positive monthly_salary"
                )
            profile.hourly_rate = None
        if profile.effective_to is not None and profile.effective_to < profile.effective_from:
            raise field_error("effective_to", "effective_to is before effective_from")
        for other in others:
            if other.currency != profile.currency:
                raise field_error(
                    "currency", f"this person is paid in {other.currency} by their other profiles"
                )
            if _overlap(profile, other):
                until = other.effective_to.isoformat() if other.effective_to else "open-ended"
                raise Conflict(
                    f"The profile overlaps the one from {other.effective_from} ({until}): "
                    "end that one first (PATCH it with effective_to)."
                )


def _event(profile: PayrollProfile, changed: list[str]) -> PayrollProfileChanged:
    """How the person is paid and from when: no amount, no rate."""
    return PayrollProfileChanged.of(profile, profile_id=profile.id, changed=changed)


def _overlap(one: PayrollProfile, other: PayrollProfile) -> bool:
    one_end, other_end = one.effective_to or date.max, other.effective_to or date.max
    return one.effective_from <= other_end and other.effective_from <= one_end
