"""Purchase order rules: gapless numbers, the state machine, approval, receiving stock.

States: draft → pending_approval → approved → (paid) → (shipped) → delivered → complete,
and cancelled. ``submit`` starts the approval flow of the matching template (an order no
template matches is approved at once); the flow's completion approves the order and a
rejection sends it back to draft. Every change of state is a ``purchase_order_transitions``
row and an ``inventory.purchase_order.state_changed`` event.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import Conflict, NotFound, field_error
from common.roles import Principal
from common.scope import check_store, scoped
from inventory.approvals.service import ApprovalService, ObjectType, register
from inventory.events import money, publish, quantity
from inventory.ledger.keys import find_stockable
from inventory.orders.schemas import ActionIn, LineIn, OrderIn, OrderUpdate, ReceiveIn
from inventory.procurement_models import (
    ApprovalFlow,
    OrderReceipt,
    OrderTransition,
    PurchaseOrder,
    PurchaseOrderLine,
    Vendor,
)

OBJECT_TYPE = "purchase_order"
RECEIVABLE = {"approved", "paid", "shipped", "delivered"}
FINAL = {"complete", "cancelled"}


@dataclass(frozen=True)
class Action:
    sources: frozenset[str]
    target: str


ACTIONS: dict[str, Action] = {
    "submit": Action(frozenset({"draft"}), "pending_approval"),
    "mark-paid": Action(frozenset({"approved"}), "paid"),
    "revert-paid": Action(frozenset({"paid"}), "approved"),
    "mark-shipped": Action(frozenset({"approved", "paid"}), "shipped"),
    "revert-shipped": Action(frozenset({"shipped"}), "paid|approved"),
    "deliver": Action(frozenset({"approved", "paid", "shipped"}), "delivered"),
    "revert-delivered": Action(frozenset({"delivered"}), "shipped|paid|approved"),
    "mark-complete": Action(frozenset({"delivered"}), "complete"),
    "cancel": Action(frozenset({"draft", "pending_approval", "approved", "paid"}), "cancelled"),
}


def allowed_actions(status: str) -> list[str]:
    return [name for name, action in ACTIONS.items() if status in action.sources]


class OrderService:
    def __init__(self, session: AsyncSession, actor: Principal | None) -> None:
        self.session = session
        self.actor = actor
        self.actor_id = None if actor is None else actor.user_id

    async def get(self, order_id: uuid.UUID, *, lock: bool = False) -> PurchaseOrder:
        statement = select(PurchaseOrder).where(PurchaseOrder.id == order_id)
        if lock:
            statement = statement.with_for_update(of=PurchaseOrder).execution_options(
                populate_existing=True
            )
        order = (await self.session.execute(statement)).scalar_one_or_none()
        if order is None:
            raise NotFound(f"Purchase order {order_id} not found.")
        if self.actor is not None:
            check_store(self.actor, order.store_id)
        return order

    # -- creating and editing --------------------------------------------------------------

    async def _number(self, wanted: str | None) -> str:
        if wanted is not None:
            number = wanted.upper()
            taken = await self.session.scalar(
                select(PurchaseOrder.id).where(PurchaseOrder.number == number)
            )
            if taken is not None:
                raise field_error("number", f"Order number {number} is taken.", status=Conflict)
            return number
        year = datetime.now(UTC).year
        while True:
            # the counter row stays locked until this transaction ends: concurrent creators
            # queue here, and a rolled-back creation gives its number back (gapless)
            last = await self.session.scalar(
                text(
                    "INSERT INTO purchase_order_counters (year, last) VALUES (:year, 1) "
                    "ON CONFLICT (year) DO UPDATE SET last = purchase_order_counters.last + 1 "
                    "RETURNING last"
                ),
                {"year": year},
            )
            number = f"PO-{year}-{last:06d}"
            taken = await self.session.scalar(
                select(PurchaseOrder.id).where(PurchaseOrder.number == number)
            )
            if taken is None:  # a user-provided number may already hold this one
                return number

    async def _vendor(self, vendor_id: uuid.UUID) -> Vendor:
        vendor = await self.session.get(Vendor, vendor_id)
        if vendor is None or not vendor.is_active:
            raise field_error("vendor_id", f"Unknown or inactive vendor {vendor_id}.")
        return vendor

    async def _lines(self, lines: list[LineIn]) -> list[PurchaseOrderLine]:
        rows = []
        for index, line in enumerate(lines):
            kind = "unit" if line.unit_tracked else "text"
            sku = None
            description = line.description.strip()
            if line.sku is not None:
                found = await find_stockable(self.session, line.sku)
                if found is None or found.article is None:
                    raise field_error(
                        f"lines[{index}].sku",
                        f"Unknown SKU {line.sku}: order catalog variants and spares by SKU, "
                        "or new units as unit_tracked lines.",
                    )
                kind, sku = "article", found.article.sku
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
        assert self.actor is not None
        check_store(self.actor, body.store_id)
        from inventory.models import Store

        store = await self.session.get(Store, body.store_id)
        if store is None or store.deleted:
            raise field_error(
                "store_id", f"Unknown store {body.store_id} (stores come from catalog)."
            )
        await self._vendor(body.vendor_id)
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
        self.session.add(order)
        await self.session.flush()
        await self._record(order, "create", None, "draft", "")
        await self.session.refresh(order)
        await publish(
            self.session, "inventory.purchase_order.created", self.payload(order), self.actor_id
        )
        return order

    async def update(self, order_id: uuid.UUID, body: OrderUpdate) -> PurchaseOrder:
        order = await self.get(order_id, lock=True)
        changes = body.model_dump(exclude_unset=True, exclude={"lines"})
        draft_only = {"vendor_id", "currency"} & set(changes) or (body.lines is not None)
        if order.status in FINAL:
            raise Conflict(f"Order {order.number} is {order.status}; it is not edited any more.")
        if draft_only and order.status != "draft":
            raise Conflict(
                f"Order {order.number} is {order.status}: vendor, currency and lines change "
                "only while it is a draft."
            )
        for field, value in changes.items():
            if value is None and field != "expected_delivery":
                raise field_error(field, "may not be null")
        if "vendor_id" in changes:
            await self._vendor(changes["vendor_id"])
        for field, value in changes.items():
            setattr(order, field, value)
        if body.lines is not None:
            order.lines = await self._lines(body.lines)
        await self.session.flush()
        await self.session.refresh(order)
        return order

    async def delete(self, order_id: uuid.UUID) -> None:
        order = await self.get(order_id, lock=True)
        if order.status != "draft":
            raise Conflict(
                f"Order {order.number} is {order.status}; only a draft is deleted (cancel it instead)."
            )
        await self.session.delete(order)
        await self.session.flush()

    async def add_line(self, order_id: uuid.UUID, body: LineIn) -> PurchaseOrder:
        order = await self._draft(order_id)
        [line] = await self._lines([body])
        line.line_no = max((existing.line_no for existing in order.lines), default=0) + 1
        order.lines.append(line)
        await self.session.flush()
        await self.session.refresh(order)
        return order

    async def update_line(self, order_id: uuid.UUID, line_id: int, body: LineIn) -> PurchaseOrder:
        order = await self._draft(order_id)
        line = self._line(order, line_id)
        [fresh] = await self._lines([body])
        for field in ("kind", "sku", "description", "quantity", "unit_cost"):
            setattr(line, field, getattr(fresh, field))
        await self.session.flush()
        await self.session.refresh(order)
        return order

    async def delete_line(self, order_id: uuid.UUID, line_id: int) -> PurchaseOrder:
        order = await self._draft(order_id)
        order.lines.remove(self._line(order, line_id))
        await self.session.flush()
        await self.session.refresh(order)
        return order

    async def _draft(self, order_id: uuid.UUID) -> PurchaseOrder:
        order = await self.get(order_id, lock=True)
        if order.status != "draft":
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
            flow = await ApprovalService(self.session, self.actor).start(
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
        elif action == "revert-delivered":
            order.delivered_date = None
            back = "shipped" if order.shipped_date else "paid" if order.paid_date else "approved"
            await self._move(order, action, back, body.note)
        elif action == "mark-complete":
            open_lines = [
                f"line {line.line_no} ({quantity(line.received_quantity)} of {quantity(line.quantity)})"
                for line in order.lines
                if line.kind != "text" and line.received_quantity < line.quantity
            ]
            if open_lines:
                raise Conflict(
                    f"Order {order.number} is not fully received: {', '.join(open_lines)}."
                )
            order.completed_at = datetime.now(UTC)
            await self._move(order, action, target, body.note)
        elif action == "cancel":
            if any(line.received_quantity > 0 for line in order.lines):
                raise Conflict(f"Order {order.number} has received stock; it cannot be cancelled.")
            await ApprovalService(self.session, self.actor).cancel_pending(
                OBJECT_TYPE, str(order.id)
            )
            await self._move(order, action, target, body.note)
        await self.session.refresh(order)
        return order

    async def to_state(self, order_id: uuid.UUID, status: str, note: str) -> PurchaseOrder:
        """Seed 004's ``PATCH /state``: the action that leads from here to ``status``."""
        order = await self.get(order_id)
        for name in allowed_actions(order.status):
            target = ACTIONS[name].target
            if name != "submit" and status in target.split("|"):
                return await self.act(order_id, name, ActionIn(note=note))
        if status == "pending_approval" and order.status == "draft":
            return await self.act(order_id, "submit", ActionIn(note=note))
        raise self._illegal(order, f"set status {status}")

    async def _move(self, order: PurchaseOrder, action: str, target: str, note: str) -> None:
        previous = order.status
        order.status = target
        await self.session.flush()
        await self._record(order, action, previous, target, note)
        await publish(
            self.session,
            "inventory.purchase_order.state_changed",
            {**self.payload(order), "from_status": previous, "action": action},
            self.actor_id,
        )

    async def _record(
        self, order: PurchaseOrder, action: str, previous: str | None, target: str, note: str
    ) -> None:
        self.session.add(
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
        rows = await self.session.execute(
            select(OrderTransition)
            .where(OrderTransition.order_id == order_id)
            .order_by(OrderTransition.id)
        )
        return list(rows.scalars())

    # -- approval outcomes -----------------------------------------------------------------

    @staticmethod
    async def _approved(session: AsyncSession, flow: ApprovalFlow, actor: str | None) -> None:
        service = OrderService(session, None)
        service.actor_id = actor
        order = await service.get(uuid.UUID(flow.object_id), lock=True)
        if order.status == "pending_approval":
            await service._move(order, "approval", "approved", f"approval flow {flow.id}")

    @staticmethod
    async def _rejected(session: AsyncSession, flow: ApprovalFlow, actor: str | None) -> None:
        service = OrderService(session, None)
        service.actor_id = actor
        order = await service.get(uuid.UUID(flow.object_id), lock=True)
        if order.status == "pending_approval":
            await service._move(order, "approval_rejected", "draft", flow.rejection_reason)

    @staticmethod
    async def _describe(session: AsyncSession, object_id: str) -> tuple[Decimal | None, str | None]:
        try:
            order_id = uuid.UUID(object_id)
        except ValueError as exc:
            raise field_error("object_id", "A purchase order id is a UUID.") from exc
        order = await OrderService(session, None).get(order_id)
        if order.status != "pending_approval":
            raise Conflict(
                f"Order {order.number} is {order.status}; a flow starts for an order "
                "pending approval (submit it first)."
            )
        return order.total, order.created_by

    # -- receiving -------------------------------------------------------------------------

    async def receive(self, order_id: uuid.UUID, body: ReceiveIn) -> OrderReceipt:
        from inventory.orders.receiving import Receiving

        order = await self.get(order_id, lock=True)
        if order.status not in RECEIVABLE:
            raise Conflict(
                f"Order {order.number} is {order.status}; receiving is allowed only on an "
                "approved order (approved, paid, shipped or delivered)."
            )
        assert self.actor is not None
        receipt = await Receiving(self.session, self.actor, order).receive(body)
        if all(
            line.received_quantity >= line.quantity for line in order.lines
        ) and order.status in {
            "approved",
            "paid",
            "shipped",
        }:
            order.delivered_date = datetime.now(UTC).date()
            await self._move(order, "received", "delivered", "every line received")
        await publish(
            self.session,
            "inventory.purchase_order.received",
            {
                **self.payload(order),
                "receipt_id": str(receipt.id),
                "stock_entry_id": None
                if receipt.stock_entry_id is None
                else str(receipt.stock_entry_id),
                "received": receipt.lines,
                "fully_received": all(
                    line.received_quantity >= line.quantity for line in order.lines
                ),
            },
            self.actor_id,
        )
        return receipt

    async def receipts(self, order_id: uuid.UUID) -> list[OrderReceipt]:
        await self.get(order_id)
        rows = await self.session.execute(
            select(OrderReceipt)
            .where(OrderReceipt.order_id == order_id)
            .order_by(OrderReceipt.received_at)
        )
        return list(rows.scalars())

    # -- reading ---------------------------------------------------------------------------

    @staticmethod
    def payload(order: PurchaseOrder) -> dict[str, Any]:
        return {
            "order_id": str(order.id),
            "number": order.number,
            "vendor_id": str(order.vendor_id),
            "vendor_name": order.vendor.name if order.vendor else None,
            "store_id": str(order.store_id),
            "status": order.status,
            "currency": order.currency,
            "total": money(order.total),
            "lines": [
                {
                    "line_id": line.id,
                    "kind": line.kind,
                    "sku": line.sku,
                    "description": line.description,
                    "quantity": quantity(line.quantity),
                    "received_quantity": quantity(line.received_quantity),
                    "unit_cost": f"{line.unit_cost}",
                }
                for line in order.lines
            ],
        }

    @staticmethod
    def listing(
        principal: Principal,
        *,
        vendor: uuid.UUID | None,
        status: str | None,
        store: uuid.UUID | None,
    ) -> Select[Any]:
        statement = scoped(select(PurchaseOrder), PurchaseOrder.store_id, principal)
        if vendor is not None:
            statement = statement.where(PurchaseOrder.vendor_id == vendor)
        if status:
            statement = statement.where(PurchaseOrder.status == status)
        if store is not None:
            statement = statement.where(PurchaseOrder.store_id == store)
        return statement.order_by(PurchaseOrder.created_at.desc(), PurchaseOrder.id)


async def _store_of(session: AsyncSession, object_id: str) -> uuid.UUID | None:
    try:
        order_id = uuid.UUID(object_id)
    except ValueError:
        return None
    store: uuid.UUID | None = await session.scalar(
        select(PurchaseOrder.store_id).where(PurchaseOrder.id == order_id)
    )
    return store


register(
    ObjectType(
        name=OBJECT_TYPE,
        approved=OrderService._approved,
        rejected=OrderService._rejected,
        describe=OrderService._describe,
        store_of=_store_of,
    )
)
