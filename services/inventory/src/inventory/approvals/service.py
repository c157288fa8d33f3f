"""Approval flows: templates say who must sign an object, flows collect the signatures.

A template has signer slots — a role (``{"role": "branch_head"}``, satisfied by
that role or a higher one) or a named user (``{"user_id": "..."}``) — signed in
order or in any order, a minimum number of signatures, and amount thresholds
that raise it (``{"above": "1000.00", "min_signatures": 2}``). A flow copies
the matching template when it starts, so editing a template never changes a
running flow. The object's requester never signs their own request.

Objects plug in through ``register``: the purchase-order module says what
happens to an order when its flow completes or is rejected.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import Conflict, NotFound, PermissionDenied, field_error
from common.roles import Principal, Role
from inventory.events import money, publish
from inventory.procurement_models import ApprovalFlow, ApprovalSignature, ApprovalTemplate

Outcome = Callable[[AsyncSession, ApprovalFlow, str | None], Awaitable[None]]


@dataclass(frozen=True)
class ObjectType:
    """What a flow's object is: how to describe it in errors, what completion and rejection do."""

    name: str
    approved: Outcome
    rejected: Outcome
    describe: Callable[[AsyncSession, str], Awaitable[tuple[Decimal | None, str | None]]]
    """(amount, requester) of an object that may start a flow now; raises NotFound/Conflict."""
    store_of: Callable[[AsyncSession, str], Awaitable[uuid.UUID | None]]
    """The store the object belongs to (staff act on their own stores' flows only)."""


OBJECT_TYPES: dict[str, ObjectType] = {}


def register(object_type: ObjectType) -> None:
    OBJECT_TYPES[object_type.name] = object_type


def slot_label(slot: dict[str, Any]) -> str:
    return f"user {slot['user_id']}" if slot.get("user_id") else f"a {slot['role']}"


def slot_matches(slot: dict[str, Any], principal: Principal) -> bool:
    if slot.get("user_id"):
        return bool(slot["user_id"] == principal.user_id)
    return principal.has_role(Role(slot["role"]))


def required_for(template: ApprovalTemplate, amount: Decimal | None) -> int:
    required = template.min_signatures
    for threshold in template.thresholds or []:
        if amount is not None and amount > Decimal(str(threshold["above"])):
            required = max(required, int(threshold["min_signatures"]))
    return required


class ApprovalService:
    def __init__(self, session: AsyncSession, actor: Principal | None) -> None:
        self.session = session
        self.actor = actor
        self.actor_id = None if actor is None else actor.user_id

    # -- templates -------------------------------------------------------------------------

    async def template(self, template_id: uuid.UUID) -> ApprovalTemplate:
        template = await self.session.get(ApprovalTemplate, template_id)
        if template is None:
            raise NotFound(f"Approval template {template_id} not found.")
        return template

    async def matching_template(
        self, object_type: str, amount: Decimal | None
    ) -> ApprovalTemplate | None:
        """The active template of the type with the highest ``min_amount`` the amount reaches."""
        templates = (
            await self.session.execute(
                select(ApprovalTemplate).where(
                    ApprovalTemplate.object_type == object_type, ApprovalTemplate.is_active
                )
            )
        ).scalars()
        best: ApprovalTemplate | None = None
        for template in templates:
            floor = template.min_amount or Decimal(0)
            if amount is not None and amount < floor:
                continue
            if best is None or floor > (best.min_amount or Decimal(0)):
                best = template
        return best

    async def create_template(self, values: dict[str, Any]) -> ApprovalTemplate:
        template = ApprovalTemplate(**values)
        self.session.add(template)
        await self.session.flush()
        await self.session.refresh(template)
        return template

    async def update_template(
        self, template_id: uuid.UUID, values: dict[str, Any]
    ) -> ApprovalTemplate:
        template = await self.template(template_id)
        for field, value in values.items():
            setattr(template, field, value)
        await self.session.flush()
        await self.session.refresh(template)
        return template

    async def delete_template(self, template_id: uuid.UUID) -> None:
        """Running flows keep their own copy of the signers; they lose only the link."""
        await self.session.delete(await self.template(template_id))
        await self.session.flush()

    async def start_for(
        self, object_type: str, object_id: str, template_id: uuid.UUID | None
    ) -> ApprovalFlow:
        kind = OBJECT_TYPES.get(object_type)
        if kind is None:
            raise field_error("object_type", f"No approvals for {object_type}.")
        amount, requester = await kind.describe(self.session, object_id)
        template = None if template_id is None else await self.template(template_id)
        flow = await self.start(object_type, object_id, amount, requester, template)
        if flow is None:
            raise Conflict(f"No active approval template matches this {object_type}.")
        return flow

    # -- flows -----------------------------------------------------------------------------

    async def flow(self, flow_id: uuid.UUID, *, lock: bool = False) -> ApprovalFlow:
        statement = select(ApprovalFlow).where(ApprovalFlow.id == flow_id)
        if lock:
            statement = statement.with_for_update().execution_options(populate_existing=True)
        flow = (await self.session.execute(statement)).scalar_one_or_none()
        if flow is None:
            raise NotFound(f"Approval flow {flow_id} not found.")
        if self.actor is not None and not self.actor.is_admin:
            store = await OBJECT_TYPES[flow.object_type].store_of(self.session, flow.object_id)
            if store is None or not self.actor.can_act_on_store(store):
                raise PermissionDenied("You can only act on your own store's approvals.")
        return flow

    async def latest_for(self, object_type: str, object_id: str) -> ApprovalFlow | None:
        return (
            await self.session.execute(
                select(ApprovalFlow)
                .where(ApprovalFlow.object_type == object_type, ApprovalFlow.object_id == object_id)
                .order_by(ApprovalFlow.created_at.desc())
                .limit(1)
            )
        ).scalar_one_or_none()

    async def start(
        self,
        object_type: str,
        object_id: str,
        amount: Decimal | None,
        requester_id: str | None,
        template: ApprovalTemplate | None = None,
    ) -> ApprovalFlow | None:
        """A pending flow from the template (given, or the matching one); None when none matches."""
        template = template or await self.matching_template(object_type, amount)
        if template is None:
            return None
        if not template.is_active or template.object_type != object_type:
            raise field_error("template_id", "The template is inactive or for another object type.")
        flow = ApprovalFlow(
            template_id=template.id,
            object_type=object_type,
            object_id=object_id,
            amount=amount,
            requester_id=requester_id,
            signers=list(template.signers),
            ordered=template.ordered,
            required_signatures=required_for(template, amount),
        )
        try:
            async with self.session.begin_nested():
                self.session.add(flow)
                await self.session.flush()
        except IntegrityError as exc:
            raise Conflict(
                f"{object_type} {object_id} already has a pending approval flow."
            ) from exc
        await self.session.refresh(flow)
        return flow

    def _pending(self, flow: ApprovalFlow) -> None:
        if flow.status != "pending":
            raise Conflict(
                f"Approval flow {flow.id} is {flow.status}; it takes no more signatures."
            )

    def _open_slots(self, flow: ApprovalFlow) -> list[int]:
        taken = {signature.slot for signature in flow.active_signatures}
        return [index for index in range(len(flow.signers)) if index not in taken]

    def _slot_for(self, flow: ApprovalFlow, principal: Principal) -> int:
        if principal.user_id == flow.requester_id:
            raise Conflict("The requester cannot approve their own request.")
        if any(signature.user_id == principal.user_id for signature in flow.active_signatures):
            raise Conflict(f"You have already signed approval flow {flow.id}.")
        open_slots = self._open_slots(flow)
        if flow.ordered:
            if open_slots and slot_matches(flow.signers[open_slots[0]], principal):
                return open_slots[0]
            wanted = slot_label(flow.signers[open_slots[0]]) if open_slots else "nobody"
            raise Conflict(f"This flow is signed in order; the next signature is {wanted}'s.")
        # a named-user slot before a role slot, so a role holder never takes a named signer's place
        candidates = sorted(open_slots, key=lambda index: not flow.signers[index].get("user_id"))
        for index in candidates:
            if slot_matches(flow.signers[index], principal):
                return index
        wanted = ", ".join(slot_label(flow.signers[index]) for index in open_slots) or "nobody"
        raise Conflict(f"You are not an eligible signer of this flow; it still needs {wanted}.")

    async def sign(self, flow_id: uuid.UUID, comment: str) -> ApprovalFlow:
        assert self.actor is not None
        flow = await self.flow(flow_id, lock=True)
        self._pending(flow)
        slot = self._slot_for(flow, self.actor)
        self.session.add(
            ApprovalSignature(
                flow_id=flow.id,
                user_id=self.actor.user_id,
                role=self.actor.role.value,
                slot=slot,
                comment=comment,
            )
        )
        await self.session.flush()
        await self.session.refresh(flow)
        count = len(flow.active_signatures)
        await publish(
            self.session,
            "inventory.approval.signed",
            {
                **self.payload(flow),
                "signer_id": self.actor.user_id,
                "signer_role": self.actor.role.value,
                "comment": comment,
                "signatures": count,
                "required": flow.required_signatures,
            },
            self.actor_id,
        )
        if count >= flow.required_signatures:
            flow.status = "approved"
            flow.completed_at = datetime.now(UTC)
            await self.session.flush()
            await OBJECT_TYPES[flow.object_type].approved(self.session, flow, self.actor_id)
            await publish(
                self.session,
                "inventory.approval.completed",
                {**self.payload(flow), "signers": [s.user_id for s in flow.active_signatures]},
                self.actor_id,
            )
        return flow

    async def reject(self, flow_id: uuid.UUID, reason: str) -> ApprovalFlow:
        assert self.actor is not None
        flow = await self.flow(flow_id, lock=True)
        self._pending(flow)
        if self.actor.user_id == flow.requester_id:
            raise Conflict("The requester cannot decide on their own request; cancel it instead.")
        if not any(slot_matches(flow.signers[i], self.actor) for i in self._open_slots(flow)):
            raise Conflict("Only an eligible signer may reject this flow.")
        flow.status = "rejected"
        flow.rejected_by = self.actor.user_id
        flow.rejection_reason = reason
        flow.completed_at = datetime.now(UTC)
        await self.session.flush()
        await OBJECT_TYPES[flow.object_type].rejected(self.session, flow, self.actor_id)
        await publish(
            self.session,
            "inventory.approval.rejected",
            {**self.payload(flow), "rejected_by": self.actor.user_id, "reason": reason},
            self.actor_id,
        )
        return flow

    async def remove_signature(self, flow_id: uuid.UUID, user_id: str) -> ApprovalFlow:
        flow = await self.flow(flow_id, lock=True)
        self._pending(flow)
        signature = next((s for s in flow.active_signatures if s.user_id == user_id), None)
        if signature is None:
            raise NotFound(f"User {user_id} has not signed approval flow {flow_id}.")
        signature.removed_at = datetime.now(UTC)
        signature.removed_by = self.actor_id
        await self.session.flush()
        await self.session.refresh(flow)
        return flow

    async def cancel_pending(self, object_type: str, object_id: str) -> None:
        flow = await self.latest_for(object_type, object_id)
        if flow is not None and flow.status == "pending":
            flow.status = "cancelled"
            flow.completed_at = datetime.now(UTC)
            await self.session.flush()

    @staticmethod
    def payload(flow: ApprovalFlow) -> dict[str, Any]:
        return {
            "flow_id": str(flow.id),
            "object_type": flow.object_type,
            "object_id": flow.object_id,
            "amount": money(flow.amount),
            "status": flow.status,
            "requester_id": flow.requester_id,
        }

    @staticmethod
    def listing(object_type: str | None, status: str | None) -> Select[Any]:
        statement = select(ApprovalFlow)
        if object_type:
            statement = statement.where(ApprovalFlow.object_type == object_type)
        if status:
            statement = statement.where(ApprovalFlow.status == status)
        return statement.order_by(ApprovalFlow.created_at.desc(), ApprovalFlow.id)
