"""Consignee accounts: a consignee is a user in auth (created there through its API when
new, idempotent by email) with an account in one store; closing is soft (status
``closed``) and refused while the shop owes them money or holds their items."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import Conflict, NotFound, field_error
from common.pagination import PageParams
from common.roles import Principal
from common.scope import check_store
from common.updates import apply_changes
from pos.consignees.repository import ConsigneeRepository
from pos.consignees.schemas import ConsigneeIn, ConsigneeUpdate
from pos.consignment.models import Consignee, ConsigneeStatus
from pos.consignment.published import publish_account
from pos.consignment.remote import Remote
from pos.consignment.repository import BalanceRepository
from pos.shops.repository import StoreRepository
from pos.shops.service import store_to_act_on


class ConsigneeService:
    def __init__(self, session: AsyncSession, actor: Principal, remote: Remote) -> None:
        self.consignees = ConsigneeRepository(session)
        self.balances = BalanceRepository(session)
        self.stores = StoreRepository(session)
        self.session = session
        self.actor = actor
        self.remote = remote

    async def listing(
        self,
        page: PageParams,
        *,
        search: str | None = None,
        store: uuid.UUID | None = None,
        status: ConsigneeStatus | None = None,
    ) -> tuple[int, list[Consignee]]:
        statement = self.consignees.listing(self.actor, search=search, store=store, status=status)
        return await self.consignees.page(statement, page)

    async def get(self, user_id: str, *, lock: bool = False) -> Consignee:
        consignee = await self.consignees.get(user_id, lock=lock)
        if consignee is None:
            raise NotFound("No such consignee account.")
        check_store(self.actor, consignee.store_id)
        return consignee

    async def create(self, body: ConsigneeIn) -> tuple[Consignee, bool]:
        """(the account, whether it is new). The same user again returns their account. An
        existing user is checked in auth and given the ``consignee`` role there (the portal's;
        staff keep theirs: 422), a new one created there as a consignee, before anything is
        written; the profile is auth's answer (its ``auth.user.*`` events keep it in step)."""
        await store_to_act_on(self.stores, self.actor, body.store_id, "store_id")
        if body.user_id is not None:
            existing = await self._existing_account(body.user_id, body.store_id)
            if existing is not None:
                return existing, False
            user = await self.remote.existing_user(body.user_id)
            if not user.get("is_active", True):
                raise field_error("user_id", f"user {body.user_id} is deactivated in auth")
            user = await self.remote.enroll_consignee(body.user_id, store_id=str(body.store_id))
        else:
            user = await self.remote.create_consignee_user(
                email=str(body.email),
                first_name=body.first_name,
                last_name=body.last_name,
                phone=body.phone,
                store_id=str(body.store_id),
            )
            existing = await self._existing_account(str(user["id"]), body.store_id)
            if existing is not None:
                return existing, False
        consignee = await self.consignees.save(
            Consignee(
                user_id=str(user["id"]),
                store_id=body.store_id,
                first_name=str(user.get("first_name") or body.first_name),
                last_name=str(user.get("last_name") or body.last_name),
                email=str(user.get("email") or body.email or ""),
                phone=str(user.get("phone") or body.phone),
                notes=body.notes,
            )
        )
        await self._publish(consignee, "created")
        return consignee, True

    async def _existing_account(self, user_id: str, store_id: uuid.UUID) -> Consignee | None:
        """The user's account in this store; 409 when they consign in another."""
        existing = await self.consignees.get(user_id)
        if existing is not None:
            check_store(self.actor, existing.store_id)
            if existing.store_id != store_id:
                raise Conflict(f"user_id: {user_id} is a consignee of store {existing.store_id}.")
        return existing

    async def update(self, user_id: str, body: ConsigneeUpdate) -> Consignee:
        """POS's own fields (notes; the profile is auth's, refused by the body); an edit that
        changes nothing publishes nothing."""
        consignee = await self.get(user_id, lock=True)
        changed = apply_changes(consignee, body)
        if not changed:
            return consignee
        saved = await self.consignees.save(consignee)
        await self._publish(saved, "updated", changed=sorted(changed))
        return saved

    async def close(self, user_id: str) -> Consignee:
        consignee = await self.get(user_id, lock=True)
        if consignee.status == ConsigneeStatus.closed:
            return consignee
        owed = await self.balances.owed_now(user_id) + await self.balances.unpaid_payouts(user_id)
        floor = await self.balances.on_floor(user_id)
        reasons = []
        if owed != 0:
            reasons.append(f"an unpaid balance of {owed:.2f}")
        if floor:
            reasons.append(f"{floor} item(s) on the floor")
        if reasons:
            raise Conflict(f"Consignee {user_id} has {' and '.join(reasons)}; settle them first.")
        consignee.status = ConsigneeStatus.closed
        saved = await self.consignees.save(consignee)
        await self._publish(saved, "closed")
        return saved

    async def _publish(
        self, consignee: Consignee, what: str, *, changed: list[str] | None = None
    ) -> None:
        await publish_account(
            self.session, consignee, what, actor=self.actor.user_id, changed=changed
        )
