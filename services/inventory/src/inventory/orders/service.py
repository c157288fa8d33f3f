"""Purchase order rules: gapless numbers, the state machine, approval, receiving stock.

States and actions are ``orders.states``. ``submit`` starts the approval flow of the
matching template (an order no template matches is approved at once); the flow's
completion approves the order and a rejection sends it back to draft
(``PurchaseOrderApprovals``, the approval subject of purchase orders). Every change of
state is a ``purchase_order_transitions`` row and an
``inventory.purchase_order.state_changed`` event.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import Conflict, NotFound, PermissionDenied, field_error
from common.money import quantity_wire
from common.pagination import PageParams
from common.roles import Principal
from common.scope import check_store
from common.updates import changes as sent
from inventory.approvals.models import ApprovalFlow
from inventory.approvals.service import ApprovalService, ApprovalSubject
from inventory.events.contracts import (
    OrderLine,
    PurchaseOrderCreated,
    PurchaseOrderDeleted,
    PurchaseOrderLineChanged,
    PurchaseOrderReceived,
    PurchaseOrderStateChanged,
    PurchaseOrderUpdated,
    ReceivedLine,
)
from inventory.events.outbox import outbox
from inventory.items.repository import ItemRepository
from inventory.orders.models import OrderReceipt, OrderTransition, PurchaseOrder, PurchaseOrderLine
from inventory.orders.receiving import Receiving
from inventory.orders.repository import OrderRepository
from inventory.orders.schemas import ActionIn, LineIn, OrderIn, OrderUpdate, ReceiveIn
from inventory.orders.states import (
    ACTIONS,
    FINAL,
    RECEIVABLE,
    LineKind,
    OrderStatus,
    allowed_actions,
)
from inventory.stores.service import StoreService
from inventory.vendors.service import VendorService

OBJECT_TYPE = "purchase_order"

__all__ = ["ACTIONS", "APPROVAL_SUBJECTS", "OBJECT_TYPE", "OrderService", "PurchaseOrderApprovals"]


DeliveryHook = Callable[[PurchaseOrder], Awaitable[None]]


class OrderService:
    """``actor`` is the caller (their stores only); ``for_system`` acts for an approval.
    ``on_delivered`` runs in the delivering transaction (intake creates the order's units
    there when its manifest rows are final: orders know nothing of manifests)."""

    def __init__(
        self,
        session: AsyncSession,
        actor: Principal | None,
        *,
        actor_id: str | None = None,
        on_delivered: DeliveryHook | None = None,
    ) -> None:
        self.session = session
        self.actor = actor
        self.actor_id = actor.user_id if actor is not None else actor_id
        self.orders = OrderRepository(session)
        self.approvals = ApprovalService(session, actor, APPROVAL_SUBJECTS)
        self.items = ItemRepository(session)
        self.on_delivered = on_delivered

    @classmethod
    def for_system(cls, session: AsyncSession, *, actor: str | None) -> OrderService:
        return cls(session, None, actor_id=actor)

    def _caller(self) -> Principal:
        if self.actor is None:
            raise PermissionDenied()
        return self.actor

    async def get(self, order_id: uuid.UUID, *, lock: bool = False) -> PurchaseOrder:
        order = await self.orders.get(order_id, lock=lock)
        if order is None:
            raise NotFound(f"Purchase order {order_id} not found.")
        if self.actor is not None:
            check_store(self.actor, order.store_id)
        return order

    async def listing(
        self,
        *,
        vendor: uuid.UUID | None,
        status: str | None,
        store: uuid.UUID | None,
        page: PageParams,
    ) -> tuple[int, list[Any]]:
        return await self.orders.listing(
            self._caller(), vendor=vendor, status=status, store=store, page=page
        )

    # -- creating and editing --------------------------------------------------------------

    async def _number(self, wanted: str | None) -> str:
        if wanted is not None:
            number = wanted.upper()
            if await self.orders.number_taken(number):
                raise field_error("number", f"Order number {number} is taken.", status=Conflict)
            return number
        year = datetime.now(UTC).year
        while True:
            number = f"PO-{year}-{await self.orders.next_number(year):06d}"
            if not await self.orders.number_taken(number):  # a user-provided one may hold it
                return number

    async def _lines(self, lines: list[LineIn]) -> list[PurchaseOrderLine]:
        items = ItemRepository(self.session)
        rows = []
        for index, line in enumerate(lines):
            kind = LineKind.unit if line.unit_tracked else LineKind.text
            sku = None
            description = line.description.strip()
            if line.sku is not None:
                found = await items.stockable(line.sku)
                if found is None or found.article is None:
                    raise field_error(
                        f"lines[{index}].sku",
                        f"Unknown SKU {line.sku}: order catalog variants and spares by SKU, "
                        "or new units as unit_tracked lines.",
                    )
                kind, sku = LineKind.article, found.article.sku
                description = description or found.article.name
            rows.append(
                PurchaseOrderLine(
                    line_no=index + 1,
                    kind=kind,
                    sku=sku,
                    description=description,
                    quantity=line.quantity,
                    unit_cost=line.unit_cost,
                    received_quantity=Decimal(0),
                )
            )
        return rows

    async def create(self, body: OrderIn) -> PurchaseOrder:
        if self.actor is not None:
            check_store(self.actor, body.store_id)
        await StoreService(self.session).known(body.store_id)
        await VendorService(self.session).active(body.vendor_id)
        lines = await self._lines(body.lines)
        order = PurchaseOrder(
            number=await self._number(body.number),
            vendor_id=body.vendor_id,
            store_id=body.store_id,
            currency=body.currency,
            expected_delivery=body.expected_delivery,
            notes=body.notes,
            created_by=self.actor_id,
            lines=lines,
        )
        await self.orders.add(order)
        self._record(order, "create", None, OrderStatus.draft, "")
        await self.orders.save(order)
        await outbox.publish(
            self.session, PurchaseOrderCreated(**self._about(order)), actor=self.actor_id
        )
        return order

    async def update(self, order_id: uuid.UUID, body: OrderUpdate) -> PurchaseOrder:
        order = await self.get(order_id, lock=True)
        changes = sent(body)
        lines = changes.pop("lines", None)
        draft_only = {"vendor_id", "currency"} & set(changes) or (lines is not None)
        if order.status in FINAL:
            raise Conflict(f"Order {order.number} is {order.status}; it is not edited any more.")
        if draft_only and order.status != OrderStatus.draft:
            raise Conflict(
                f"Order {order.number} is {order.status}: vendor, currency and lines change "
                "only while it is a draft."
            )
        if "vendor_id" in changes:
            await VendorService(self.session).active(changes["vendor_id"])
        changed = [field for field, value in changes.items() if getattr(order, field) != value]
        for field, value in changes.items():
            setattr(order, field, value)
        if body.lines is not None:
            order.lines = await self._lines(body.lines)
            changed.append("lines")
        await self.orders.save(order)
        if changed:
            await outbox.publish(
                self.session,
                PurchaseOrderUpdated(**self._about(order), changed=sorted(changed)),
                actor=self.actor_id,
            )
        return order

    async def delete(self, order_id: uuid.UUID) -> None:
        order = await self.get(order_id, lock=True)
        if order.status != OrderStatus.draft:
            raise Conflict(
                f"Order {order.number} is {order.status}; only a draft is deleted (cancel it instead)."
            )
        gone = PurchaseOrderDeleted(**self._about(order))
        await self.orders.delete(order)
        await outbox.publish(self.session, gone, actor=self.actor_id)

    async def add_line(self, order_id: uuid.UUID, body: LineIn) -> PurchaseOrder:
        order = await self._draft(order_id)
        [line] = await self._lines([body])
        line.line_no = max((existing.line_no for existing in order.lines), default=0) + 1
        order.lines.append(line)
        await self.orders.save(order)
        await self._line_changed(order, line, "inventory.purchase_order.line_added")
        return order

    async def update_line(self, order_id: uuid.UUID, line_id: int, body: LineIn) -> PurchaseOrder:
        order = await self._draft(order_id)
        line = self._line(order, line_id)
        [fresh] = await self._lines([body])
        for field in ("kind", "sku", "description", "quantity", "unit_cost"):
            setattr(line, field, getattr(fresh, field))
        await self.orders.save(order)
        await self._line_changed(order, line, "inventory.purchase_order.line_updated")
        return order

    async def delete_line(self, order_id: uuid.UUID, line_id: int) -> PurchaseOrder:
        order = await self._draft(order_id)
        line = self._line(order, line_id)
        order.lines.remove(line)
        await self.orders.save(order)
        await self._line_changed(order, line, "inventory.purchase_order.line_removed")
        return order

    async def _line_changed(
        self, order: PurchaseOrder, line: PurchaseOrderLine, subject: str
    ) -> None:
        await outbox.publish(
            self.session,
            PurchaseOrderLineChanged(**self._about(order), line=_wire_line(line)),
            subject=subject,
            actor=self.actor_id,
        )

    async def _draft(self, order_id: uuid.UUID) -> PurchaseOrder:
        order = await self.get(order_id, lock=True)
        if order.status != OrderStatus.draft:
            raise Conflict(f"Order {order.number} is {order.status}; lines change only in a draft.")
        return order

    @staticmethod
    def _line(order: PurchaseOrder, line_id: int) -> PurchaseOrderLine:
        line = next((line for line in order.lines if line.id == line_id), None)
        if line is None:
            raise NotFound(f"Line {line_id} is not on order {order.number}.")
        return line

    # -- the state machine -----------------------------------------------------------------

    def _illegal(self, order: PurchaseOrder, action: str) -> Conflict:
        allowed = ", ".join(allowed_actions(order.status)) or "none"
        return Conflict(
            f"Order {order.number} is {order.status}; '{action}' is not possible now. "
            f"Allowed next: {allowed}."
        )

    async def act(self, order_id: uuid.UUID, action: str, body: ActionIn) -> PurchaseOrder:
        order = await self.get(order_id, lock=True)
        rule = ACTIONS[action]
        if order.status not in rule.sources:
            raise self._illegal(order, action)
        on = body.date or datetime.now(UTC).date()
        target = rule.target
        if action == "submit":
            if not order.lines:
                raise Conflict(f"Order {order.number} has no lines to approve.")
            await self._move(order, action, target, body.note)
            flow = await self.approvals.start(
                OBJECT_TYPE, str(order.id), order.total, order.created_by
            )
            if flow is None:
                await self._move(order, "auto-approve", "approved", "no approval template matches")
        elif action == "mark-paid":
            order.paid_date = on
            await self._move(order, action, target, body.note)
        elif action == "revert-paid":
            order.paid_date = None
            await self._move(order, action, target, body.note)
        elif action == "mark-shipped":
            order.shipped_date = on
            if body.expected_delivery is not None:
                order.expected_delivery = body.expected_delivery
            await self._move(order, action, target, body.note)
        elif action == "revert-shipped":
            order.shipped_date = None
            await self._move(order, action, "paid" if order.paid_date else "approved", body.note)
        elif action == "deliver":
            order.delivered_date = on
            await self._move(order, action, target, body.note)
            if self.on_delivered is not None:
                await self.on_delivered(order)
        elif action == "revert-delivered":
            order.delivered_date = None
            back = "shipped" if order.shipped_date else "paid" if order.paid_date else "approved"
            await self._move(order, action, back, body.note)
        elif action == "mark-complete":
            await self._complete(order, action, target, body.note)
        elif action == "cancel":
            if any(line.received_quantity > 0 for line in order.lines):
                raise Conflict(f"Order {order.number} has received stock; it cannot be cancelled.")
            await self.approvals.cancel_pending(OBJECT_TYPE, str(order.id))
            await self._move(order, action, target, body.note)
        await self.orders.save(order)
        return order

    async def _complete(self, order: PurchaseOrder, action: str, target: str, note: str) -> None:
        open_lines = [
            f"line {line.line_no} ({quantity_wire(line.received_quantity)} of "
            f"{quantity_wire(line.quantity)})"
            for line in order.lines
            if line.kind != LineKind.text and line.received_quantity < line.quantity
        ]
        if open_lines:
            raise Conflict(f"Order {order.number} is not fully received: {', '.join(open_lines)}.")
        waiting = await self.items.count_of_order(order.id, status="intake")
        if waiting:
            raise Conflict(
                f"Order {order.number} has {waiting} units still in intake; check them in "
                "(check-in-items, or the batch groups' check-in) first."
            )
        order.completed_at = datetime.now(UTC)
        await self._move(order, action, target, note)

    async def to_state(self, order_id: uuid.UUID, status: str, note: str) -> PurchaseOrder:
        """Seed 004's ``PATCH /state``: the action that leads from here to ``status``."""
        order = await self.get(order_id)
        for name in allowed_actions(order.status):
            target = ACTIONS[name].target
            if name != "submit" and status in target.split("|"):
                return await self.act(order_id, name, ActionIn(note=note))
        if status == OrderStatus.pending_approval and order.status == OrderStatus.draft:
            return await self.act(order_id, "submit", ActionIn(note=note))
        raise self._illegal(order, f"set status {status}")

    async def _move(self, order: PurchaseOrder, action: str, target: str, note: str) -> None:
        previous = order.status
        order.status = target
        await self.orders.flush()
        self._record(order, action, previous, target, note)
        await outbox.publish(
            self.session,
            PurchaseOrderStateChanged(**self._about(order), from_status=previous, action=action),
            actor=self.actor_id,
        )

    def _record(
        self, order: PurchaseOrder, action: str, previous: str | None, target: str, note: str
    ) -> None:
        self.orders.add_row(
            OrderTransition(
                order_id=order.id,
                action=action,
                from_status=previous,
                to_status=target,
                actor=self.actor_id,
                note=note,
            )
        )

    async def transitions(self, order_id: uuid.UUID) -> list[OrderTransition]:
        await self.get(order_id)
        return await self.orders.transitions(order_id)

    # -- its approval flow -----------------------------------------------------------------

    async def flow(self, order_id: uuid.UUID) -> ApprovalFlow:
        """The order's latest approval flow (404 when it never had one)."""
        order = await self.get(order_id)
        flow = await self.approvals.latest_or_none(OBJECT_TYPE, str(order.id))
        if flow is None:
            raise NotFound(f"Order {order.number} has no approval flow.")
        return flow

    async def start_flow(self, order_id: uuid.UUID, template_id: uuid.UUID | None) -> ApprovalFlow:
        await self.get(order_id)
        return await self.approvals.start_for(OBJECT_TYPE, str(order_id), template_id)

    async def sign(self, order_id: uuid.UUID, comment: str) -> ApprovalFlow:
        return await self.approvals.sign((await self.flow(order_id)).id, comment)

    async def reject(self, order_id: uuid.UUID, reason: str) -> ApprovalFlow:
        return await self.approvals.reject((await self.flow(order_id)).id, reason)

    async def remove_signature(self, order_id: uuid.UUID, user_id: str) -> ApprovalFlow:
        return await self.approvals.remove_signature((await self.flow(order_id)).id, user_id)

    async def flow_approved(self, flow: ApprovalFlow) -> None:
        """The order's flow collected its signatures: a pending order is approved."""
        order = await self.get(uuid.UUID(flow.object_id), lock=True)
        if order.status == OrderStatus.pending_approval:
            await self._move(order, "approval", OrderStatus.approved, f"approval flow {flow.id}")

    async def flow_rejected(self, flow: ApprovalFlow) -> None:
        """The order's flow was rejected: a pending order goes back to draft."""
        order = await self.get(uuid.UUID(flow.object_id), lock=True)
        if order.status == OrderStatus.pending_approval:
            await self._move(order, "approval_rejected", OrderStatus.draft, flow.rejection_reason)

    # -- receiving -------------------------------------------------------------------------

    async def receive(self, order_id: uuid.UUID, body: ReceiveIn) -> OrderReceipt:
        order = await self.get(order_id, lock=True)
        if order.status not in RECEIVABLE:
            raise Conflict(
                f"Order {order.number} is {order.status}; receiving is allowed only on an "
                "approved order (approved, paid, shipped or delivered)."
            )
        receipt = await Receiving(self.session, self._caller(), order).receive(body)
        if order.fully_received and order.status in {
            OrderStatus.approved,
            OrderStatus.paid,
            OrderStatus.shipped,
        }:
            order.delivered_date = datetime.now(UTC).date()
            await self._move(order, "received", "delivered", "every line received")
        await outbox.publish(
            self.session,
            PurchaseOrderReceived(
                **self._about(order),
                receipt_id=receipt.id,
                stock_entry_id=receipt.stock_entry_id,
                received=[ReceivedLine.model_validate(line) for line in receipt.lines],
                fully_received=order.fully_received,
            ),
            actor=self.actor_id,
        )
        return receipt

    async def receipts(self, order_id: uuid.UUID) -> list[OrderReceipt]:
        await self.get(order_id)
        return await self.orders.receipts(order_id)

    # -- what its events say ---------------------------------------------------------------

    @staticmethod
    def _about(order: PurchaseOrder) -> dict[str, Any]:
        return {
            "order_id": order.id,
            "number": order.number,
            "vendor_id": order.vendor_id,
            "vendor_name": order.vendor.name if order.vendor else None,
            "store_id": order.store_id,
            "status": order.status,
            "currency": order.currency,
            "total": order.total,
            "lines": [_wire_line(line) for line in order.lines],
        }


def _wire_line(line: PurchaseOrderLine) -> OrderLine:
    return OrderLine(
        line_id=line.id,
        kind=line.kind,
        sku=line.sku,
        description=line.description,
        quantity=line.quantity,
        received_quantity=line.received_quantity,
        unit_cost=line.unit_cost,
    )


class PurchaseOrderApprovals:
    """Purchase orders as approval subjects: an order pending approval is worth its total,
    requested by its creator; its flow's completion approves it, a rejection sends it back
    to draft."""

    async def describe(
        self, session: AsyncSession, object_id: str
    ) -> tuple[Decimal | None, str | None]:
        try:
            order_id = uuid.UUID(object_id)
        except ValueError as exc:
            raise field_error("object_id", "A purchase order id is a UUID.") from exc
        order = await OrderService(session, None).get(order_id)
        if order.status != OrderStatus.pending_approval:
            raise Conflict(
                f"Order {order.number} is {order.status}; a flow starts for an order "
                "pending approval (submit it first)."
            )
        return order.total, order.created_by

    async def store_of(self, session: AsyncSession, object_id: str) -> uuid.UUID | None:
        try:
            order_id = uuid.UUID(object_id)
        except ValueError:
            return None
        return await OrderRepository(session).store_of(order_id)

    def in_stores(self, stores: set[uuid.UUID]) -> Select[Any]:
        return OrderRepository.ids_in_stores(stores)

    async def approved(self, session: AsyncSession, flow: ApprovalFlow, actor: str | None) -> None:
        await OrderService.for_system(session, actor=actor).flow_approved(flow)

    async def rejected(self, session: AsyncSession, flow: ApprovalFlow, actor: str | None) -> None:
        await OrderService.for_system(session, actor=actor).flow_rejected(flow)


APPROVAL_SUBJECTS: dict[str, ApprovalSubject] = {OBJECT_TYPE: PurchaseOrderApprovals()}
