"""Payouts: for a period, at most one per consignee (the unique constraint and ``ON
CONFLICT DO NOTHING``: a second call, or two at once, get the same payouts), taking every
ledger row no payout took up to the period's end — shares, less adjustments of sales voided
after their payout. Below the consignee's minimum payout (or not above zero) the payout is
``carried_forward``: it takes no rows, so they wait for the next period. Paying records the
method and reference once; a paid payout never changes.

Periods are the store's calendar days (its time zone, from catalog's store events; UTC when
unknown): a share belongs to the day its sale completed on the store's clock, so a sale at
23:30 in New York is in that day's period, and a period ends at the store's midnight."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import Conflict, NotFound, Unprocessable
from common.money import ZERO
from common.pagination import PageParams
from common.roles import Principal
from common.scope import check_store
from common.updates import apply_changes
from pos.consignees.repository import ConsigneeRepository
from pos.consignment.models import EntryKind, Payout, PayoutStatus
from pos.consignment.published import payout_event
from pos.events.outbox import outbox
from pos.payouts.repository import PayoutRepository
from pos.payouts.schemas import GeneratePayouts, PayIn, PayoutIn, PayoutUpdate
from pos.store_time import store_today, zone_of


def period_until(end: date, time_zone: str) -> datetime:
    """The first instant after the period (its last day included): the store's midnight."""
    return datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone_of(time_zone))


class PayoutService:
    def __init__(self, session: AsyncSession, actor: Principal) -> None:
        self.payouts = PayoutRepository(session)
        self.consignees = ConsigneeRepository(session)
        self.session = session
        self.actor = actor

    async def listing(
        self,
        page: PageParams,
        *,
        consignee: str | None = None,
        status: PayoutStatus | None = None,
    ) -> tuple[int, list[Payout]]:
        statement = self.payouts.listing(self.actor, consignee=consignee, status=status)
        return await self.payouts.page(statement, page)

    async def get(self, payout_id: uuid.UUID, *, lock: bool = False) -> Payout:
        payout = await self.payouts.get(payout_id, lock=lock)
        if payout is None:
            raise NotFound("No such payout.")
        check_store(self.actor, payout.store_id)
        return payout

    async def generate(self, body: GeneratePayouts) -> tuple[int, list[Payout]]:
        """(how many this call made, the period's payouts of the caller's consignees)."""
        if body.store_id is not None:
            check_store(self.actor, body.store_id)
        return await self._generate(
            body.period_start, body.period_end, store=body.store_id, consignee=None
        )

    async def create(self, body: PayoutIn) -> tuple[Payout, bool]:
        """One consignee's payout for the period: (it, whether this call made it)."""
        consignee = await self.consignees.get(body.consignee_id)
        if consignee is None:
            raise Unprocessable(f"consignee_id: no consignee account {body.consignee_id}.")
        check_store(self.actor, consignee.store_id)
        made, payouts = await self._generate(
            body.period_start, body.period_end, store=None, consignee=consignee.user_id
        )
        if not payouts:
            raise Unprocessable(
                f"consignee_id: nothing is owed to {consignee.user_id} up to {body.period_end}."
            )
        return payouts[0], made > 0

    async def update(self, payout_id: uuid.UUID, body: PayoutUpdate) -> Payout:
        payout = await self._changeable(payout_id)
        if apply_changes(payout, body):
            payout = await self.payouts.save(payout)
            await self._publish(payout, "updated")
        return payout

    async def remove(self, payout_id: uuid.UUID) -> None:
        """A pending (or carried-forward) payout goes; its rows are owed again."""
        payout = await self._changeable(payout_id)
        await self.payouts.release(payout.id)
        await self._publish(payout, "deleted")
        await self.payouts.remove(payout)

    async def pay(self, payout_id: uuid.UUID, body: PayIn) -> Payout:
        payout = await self.get(payout_id, lock=True)
        if payout.status == PayoutStatus.paid:
            raise Conflict(
                f"Payout {payout.id} was paid at {payout.paid_at:%Y-%m-%d %H:%M} "
                f"({payout.method} {payout.reference}); a paid payout never changes."
            )
        if payout.status == PayoutStatus.carried_forward:
            raise Conflict(
                f"Payout {payout.id} is below the minimum payout ({payout.minimum_payout:.2f}) "
                "and carried forward: there is nothing to pay for this period."
            )
        payout.status = PayoutStatus.paid
        payout.method = body.method
        payout.reference = body.reference
        payout.paid_at = datetime.now(UTC)
        payout.paid_by = self.actor.user_id
        saved = await self.payouts.save(payout)
        await self._publish(saved, "paid")
        return saved

    # -- rules -------------------------------------------------------------------------------

    async def _generate(
        self, start: date, end: date, *, store: uuid.UUID | None, consignee: str | None
    ) -> tuple[int, list[Payout]]:
        now = datetime.now(UTC)
        zones = await self.payouts.time_zones(self.actor, store=store, consignee=consignee)
        for zone in zones or ["UTC"]:
            today = store_today(zone, now)
            if end > today:
                raise Unprocessable(
                    f"period_end: {end} is in the future (today is {today} in {zone})."
                )
        candidates: list[tuple[str, uuid.UUID, datetime]] = []
        for zone in zones:
            until = period_until(end, zone)
            found = await self.payouts.to_pay(
                self.actor,
                store=store,
                consignee=consignee,
                start=start,
                end=end,
                time_zone=zone,
                until=until,
            )
            candidates.extend((user_id, store_id, until) for user_id, store_id in found)
        candidates.sort()
        made: list[uuid.UUID] = []
        for user_id, store_id, until in candidates:
            payout_id = await self.payouts.claim(
                {
                    "id": uuid.uuid4(),
                    "consignee_id": user_id,
                    "store_id": store_id,
                    "period_start": start,
                    "period_end": end,
                    "status": PayoutStatus.pending,
                }
            )
            if payout_id is not None:
                await self._fill(payout_id, user_id, until)
                made.append(payout_id)
        payouts = await self.payouts.of_period([user for user, _, _ in candidates], start, end)
        for payout in payouts:
            if payout.id in made:
                await self._publish(payout, "generated")
        return len(made), payouts

    async def _fill(self, payout_id: uuid.UUID, consignee_id: str, until: datetime) -> None:
        entries = await self.payouts.open_entries(consignee_id, until)
        shares = sum((e.amount for e in entries if e.kind == EntryKind.share), ZERO)
        adjustments = sum((e.amount for e in entries if e.kind == EntryKind.adjustment), ZERO)
        amount = shares + adjustments
        minimum = await self.payouts.minimum_payout(consignee_id)
        below = amount <= ZERO or amount < minimum
        if not below:
            await self.payouts.take(payout_id, [entry.id for entry in entries])
        await self.payouts.set_amounts(
            payout_id,
            {
                "shares_total": shares,
                "adjustments_total": adjustments,
                "amount": amount,
                "line_count": len(entries),
                "minimum_payout": minimum,
                "status": PayoutStatus.carried_forward if below else PayoutStatus.pending,
            },
        )

    async def _changeable(self, payout_id: uuid.UUID) -> Payout:
        payout = await self.get(payout_id, lock=True)
        if payout.status == PayoutStatus.paid:
            raise Conflict(f"Payout {payout.id} is paid: a paid payout never changes.")
        return payout

    async def _publish(self, payout: Payout, what: str) -> None:
        await outbox.publish(
            self.session,
            payout_event(payout),
            subject=f"pos.consignment.payout.{what}",
            actor=self.actor.user_id,
        )
