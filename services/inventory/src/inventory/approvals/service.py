"""Approval flows: templates say who must sign an object, flows collect the signatures.

A template has signer slots — a role (``{"role": "branch_head"}``, satisfied by
that role or a higher one) or a named user (``{"user_id": "..."}``) — signed in
order or in any order, a minimum number of signatures, and amount thresholds
that raise it (``{"above": "1000.00", "min_signatures": 2}``). A flow copies
the matching template when it starts, so editing a template never changes a
running flow. The object's requester never signs their own request.

What a flow approves is an ``ApprovalSubject`` (a purchase order today): the service
is given the subjects it serves, and a subject says what its objects are worth, which
store they belong to, and what happens when their flow completes or is rejected.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import Conflict, NotFound, PermissionDenied, field_error
from common.pagination import PageParams
from common.roles import Principal, Role
from common.scope import own_stores
from common.updates import assign
from inventory.approvals.models import (
    ApprovalFlow,
    ApprovalSignature,
    ApprovalTemplate,
    FlowStatus,
)
from inventory.approvals.repository import ApprovalRepository
from inventory.approvals.schemas import TemplateIn
from inventory.events.contracts import (
    ApprovalCompleted,
    ApprovalRejected,
    ApprovalSignatureRemoved,
    ApprovalSigned,
    ApprovalStarted,
    ApprovalTemplateChanged,
)
from inventory.events.outbox import outbox

OTHER_STORE = "You can only act on your own store's approvals."


class ApprovalSubject(Protocol):
    """A kind of object a flow approves."""

    async def describe(
        self, session: AsyncSession, object_id: str
    ) -> tuple[Decimal | None, str | None]:
        """(amount, requester) of an object that may start a flow now; raises NotFound or
        Conflict otherwise."""
        ...

    async def store_of(self, session: AsyncSession, object_id: str) -> uuid.UUID | None:
        """The store the object belongs to (staff act on their own stores' flows only)."""
        ...

    def in_stores(self, stores: set[uuid.UUID]) -> Select[Any]:
        """The ids (as text) of the objects of these stores, for listings."""
        ...

    async def approved(
        self, session: AsyncSession, flow: ApprovalFlow, actor: str | None
    ) -> None: ...

    async def rejected(
        self, session: AsyncSession, flow: ApprovalFlow, actor: str | None
    ) -> None: ...


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


def template_values(body: TemplateIn) -> dict[str, Any]:
    """A template body as stored: signer slots and thresholds as JSON."""
    values = body.model_dump(mode="json", exclude={"signers", "thresholds", "min_amount"})
    values["min_amount"] = body.min_amount
    values["signers"] = [
        signer.model_dump(mode="json", exclude_none=True) for signer in body.signers
    ]
    values["thresholds"] = [threshold.model_dump(mode="json") for threshold in body.thresholds]
    return values


def template_event(template: ApprovalTemplate, changed: list[str]) -> ApprovalTemplateChanged:
    return ApprovalTemplateChanged(
        template_id=template.id,
        name=template.name,
        object_type=template.object_type,
        min_amount=template.min_amount,
        signers=template.signers,
        ordered=template.ordered,
        min_signatures=template.min_signatures,
        thresholds=template.thresholds or [],
        is_active=template.is_active,
        changed=changed,
    )


class ApprovalService:
    """``actor`` is the caller (None: the system); ``subjects`` the kinds of object served."""

    def __init__(
        self,
        session: AsyncSession,
        actor: Principal | None,
        subjects: Mapping[str, ApprovalSubject],
    ) -> None:
        self.session = session
        self.actor = actor
        self.actor_id = None if actor is None else actor.user_id
        self.subjects = subjects
        self.approvals = ApprovalRepository(session)

    def _subject(self, object_type: str) -> ApprovalSubject:
        subject = self.subjects.get(object_type)
        if subject is None:
            raise field_error("object_type", f"No approvals for {object_type}.")
        return subject

    def _signer(self) -> Principal:
        if self.actor is None:
            raise PermissionDenied("Only a signed-in user signs or rejects a flow.")
        return self.actor

    async def _check_store(self, object_type: str, object_id: str, *, unknown_ok: bool) -> None:
        """Staff other than system admins act on their own stores' objects only."""
        if self.actor is None or self.actor.is_admin:
            return
        store = await self._subject(object_type).store_of(self.session, object_id)
        if store is None and unknown_ok:
            return
        if store is None or store not in own_stores(self.actor):
            raise PermissionDenied(OTHER_STORE)

    # -- templates -------------------------------------------------------------------------

    async def template(self, template_id: uuid.UUID) -> ApprovalTemplate:
        template = await self.approvals.template(template_id)
        if template is None:
            raise NotFound(f"Approval template {template_id} not found.")
        return template

    async def templates(self, page: PageParams) -> tuple[int, list[Any]]:
        return await self.approvals.templates(page)

    async def matching_template(
        self, object_type: str, amount: Decimal | None
    ) -> ApprovalTemplate | None:
        """The active template of the type with the highest ``min_amount`` the amount reaches."""
        best: ApprovalTemplate | None = None
        for template in await self.approvals.active_templates(object_type):
            floor = template.min_amount or Decimal(0)
            if amount is not None and amount < floor:
                continue
            if best is None or floor > (best.min_amount or Decimal(0)):
                best = template
        return best

    async def create_template(self, body: TemplateIn) -> ApprovalTemplate:
        template = ApprovalTemplate(**template_values(body))
        self.approvals.add(template)
        await self.approvals.save(template)
        await self._template_changed(template_event(template, []), "created")
        return template

    async def replace_template(self, template_id: uuid.UUID, body: TemplateIn) -> ApprovalTemplate:
        template = await self.template(template_id)
        values = template_values(body)
        changed = assign(template, values)
        await self.approvals.save(template)
        if changed:
            await self._template_changed(template_event(template, changed), "updated")
        return template

    async def delete_template(self, template_id: uuid.UUID) -> None:
        """Running flows keep their own copy of the signers; they lose only the link."""
        template = await self.template(template_id)
        gone = template_event(template, [])
        await self.approvals.delete(template)
        await self._template_changed(gone, "deleted")

    async def _template_changed(self, event: ApprovalTemplateChanged, verb: str) -> None:
        await outbox.publish(self.session, event, verb=verb, actor=self.actor_id)

    # -- flows -----------------------------------------------------------------------------

    async def flows(
        self, object_type: str | None, status: str | None, page: PageParams
    ) -> tuple[int, list[Any]]:
        """The flows of the caller's stores' objects (a system admin: every flow)."""
        scope = None
        if self.actor is not None and not self.actor.is_admin:
            stores = own_stores(self.actor)
            scope = {kind: subject.in_stores(stores) for kind, subject in self.subjects.items()}
        return await self.approvals.flows(
            object_type=object_type, status=status, objects_in_stores=scope, page=page
        )

    async def flow(self, flow_id: uuid.UUID, *, lock: bool = False) -> ApprovalFlow:
        flow = await self.approvals.flow(flow_id, lock=lock)
        if flow is None:
            raise NotFound(f"Approval flow {flow_id} not found.")
        await self._check_store(flow.object_type, flow.object_id, unknown_ok=False)
        return flow

    async def latest_for(self, object_type: str, object_id: str) -> ApprovalFlow:
        """The object's latest flow (404 when it never had one)."""
        latest = await self.approvals.latest_for(object_type, object_id)
        if latest is None:
            raise NotFound(f"No approval flow for {object_type} {object_id}.")
        return await self.flow(latest.id)

    async def start_for(
        self, object_type: str, object_id: str, template_id: uuid.UUID | None
    ) -> ApprovalFlow:
        """A flow for an object pending approval, from the named template or the matching one."""
        subject = self._subject(object_type)
        await self._check_store(object_type, object_id, unknown_ok=True)
        amount, requester = await subject.describe(self.session, object_id)
        template = None if template_id is None else await self.template(template_id)
        flow = await self.start(object_type, object_id, amount, requester, template)
        if flow is None:
            raise Conflict(f"No active approval template matches this {object_type}.")
        return flow

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
        if not await self.approvals.add_flow(flow):
            raise Conflict(f"{object_type} {object_id} already has a pending approval flow.")
        await outbox.publish(
            self.session,
            ApprovalStarted(
                **self._about(flow),
                template_id=flow.template_id,
                required=flow.required_signatures,
            ),
            actor=self.actor_id,
        )
        return flow

    def _pending(self, flow: ApprovalFlow) -> None:
        if flow.status != FlowStatus.pending:
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

    def _about(self, flow: ApprovalFlow) -> dict[str, Any]:
        return {
            "flow_id": flow.id,
            "object_type": flow.object_type,
            "object_id": flow.object_id,
            "amount": flow.amount,
            "status": flow.status,
            "requester_id": flow.requester_id,
        }

    async def sign(self, flow_id: uuid.UUID, comment: str) -> ApprovalFlow:
        signer = self._signer()
        flow = await self.flow(flow_id, lock=True)
        self._pending(flow)
        slot = self._slot_for(flow, signer)
        self.approvals.add(
            ApprovalSignature(
                flow_id=flow.id,
                user_id=signer.user_id,
                role=signer.role.value,
                slot=slot,
                comment=comment,
            )
        )
        await self.approvals.save(flow)
        count = len(flow.active_signatures)
        await outbox.publish(
            self.session,
            ApprovalSigned(
                **self._about(flow),
                signer_id=signer.user_id,
                signer_role=signer.role.value,
                comment=comment,
                signatures=count,
                required=flow.required_signatures,
            ),
            actor=self.actor_id,
        )
        if count >= flow.required_signatures:
            flow.status = FlowStatus.approved
            flow.completed_at = datetime.now(UTC)
            await self.approvals.flush()
            await self._subject(flow.object_type).approved(self.session, flow, self.actor_id)
            await outbox.publish(
                self.session,
                ApprovalCompleted(
                    **self._about(flow), signers=[s.user_id for s in flow.active_signatures]
                ),
                actor=self.actor_id,
            )
        return flow

    async def reject(self, flow_id: uuid.UUID, reason: str) -> ApprovalFlow:
        signer = self._signer()
        flow = await self.flow(flow_id, lock=True)
        self._pending(flow)
        if signer.user_id == flow.requester_id:
            raise Conflict("The requester cannot decide on their own request; cancel it instead.")
        if not any(slot_matches(flow.signers[i], signer) for i in self._open_slots(flow)):
            raise Conflict("Only an eligible signer may reject this flow.")
        flow.status = FlowStatus.rejected
        flow.rejected_by = signer.user_id
        flow.rejection_reason = reason
        flow.completed_at = datetime.now(UTC)
        await self.approvals.flush()
        await self._subject(flow.object_type).rejected(self.session, flow, self.actor_id)
        await outbox.publish(
            self.session,
            ApprovalRejected(**self._about(flow), rejected_by=signer.user_id, reason=reason),
            actor=self.actor_id,
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
        await self.approvals.save(flow)
        await outbox.publish(
            self.session,
            ApprovalSignatureRemoved(
                **self._about(flow),
                signer_id=user_id,
                signatures=len(flow.active_signatures),
                required=flow.required_signatures,
            ),
            actor=self.actor_id,
        )
        return flow

    async def cancel_pending(self, object_type: str, object_id: str) -> None:
        flow = await self.approvals.latest_for(object_type, object_id)
        if flow is not None and flow.status == FlowStatus.pending:
            flow.status = FlowStatus.cancelled
            flow.completed_at = datetime.now(UTC)
            await self.approvals.flush()

    async def latest_or_none(self, object_type: str, object_id: str) -> ApprovalFlow | None:
        return await self.approvals.latest_for(object_type, object_id)
