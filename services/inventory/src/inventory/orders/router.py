"""Purchase orders for staff on their own stores: seed 002's /api/inventory/orders rows and
seed 004's depo_procurement purchase-order routes, served under /api/inventory/purchase-orders
and, identically, /api/inventory/orders."""

from __future__ import annotations

import uuid
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Query, Request, Response, UploadFile

from common.db import SessionDep
from common.openapi import described
from common.pagination import Page, PageDep, make_page, paginate
from common.security import AdminUser, StaffUser
from inventory.approvals.schemas import FlowIn, FlowOut, RejectIn, SignIn
from inventory.approvals.service import ApprovalService
from inventory.orders.attachments import AttachmentService
from inventory.orders.schemas import (
    ActionIn,
    AttachmentOut,
    LineIn,
    OrderIn,
    OrderOut,
    OrderUpdate,
    ReceiptOut,
    ReceiveIn,
    StateIn,
    TransitionOut,
)
from inventory.orders.service import ACTIONS, OBJECT_TYPE, OrderService, allowed_actions
from inventory.procurement_models import ApprovalFlow, PurchaseOrder
from inventory.storage import Storage, get_storage

StorageDep = Annotated[Storage, Depends(get_storage)]

NOT_FOUND = described(r404="No such order", r403="Another store's order")
ILLEGAL = described(r409="Not possible in the order's state (the allowed next actions are named)")
ACTION_SUMMARIES = {
    "submit": "Submit a draft for approval (the matching template's flow starts; no template: approved)",
    "mark-paid": "Set status paid and the paid date",
    "revert-paid": "Back to approved; clears the paid date",
    "mark-shipped": "Set status shipped, the shipped date and optionally the expected delivery",
    "revert-shipped": "Back to paid (or approved); clears the shipped date",
    "deliver": "Set status delivered and the delivered date",
    "revert-delivered": "Back to shipped, paid or approved; clears the delivered date",
    "mark-complete": "Complete a delivered order whose stock lines are all received",
    "cancel": "Cancel an order that has received nothing (its pending approval flow ends)",
}


def out(order: PurchaseOrder) -> OrderOut:
    return OrderOut.of(order, allowed_actions(order.status))


async def flow_of(session: SessionDep, order: PurchaseOrder) -> ApprovalFlow:
    flow = await ApprovalService(session, None).latest_for(OBJECT_TYPE, str(order.id))
    if flow is None:
        from common.errors import NotFound

        raise NotFound(f"Order {order.number} has no approval flow.")
    return flow


def build_router(prefix: str, tag: str) -> APIRouter:
    router = APIRouter(prefix=prefix, tags=[tag])
    op = prefix.rstrip("/").rsplit("/", 1)[-1].replace("-", "_")

    @router.get("", summary="List purchase orders of your stores", operation_id=f"{op}_list")
    async def list_orders(
        actor: StaffUser,
        session: SessionDep,
        page: PageDep,
        vendor: Annotated[uuid.UUID | None, Query(description="Vendor id")] = None,
        status: Annotated[str | None, Query()] = None,
        store: Annotated[uuid.UUID | None, Query(description="Store id")] = None,
    ) -> Page[OrderOut]:
        statement = OrderService.listing(actor, vendor=vendor, status=status, store=store)
        count, rows = await paginate(session, statement, page)
        return make_page(count, [out(row) for row in rows], page)

    @router.post(
        "",
        status_code=201,
        summary="Create a draft purchase order",
        responses=described(r409="Order number taken", r403="Another store"),
        operation_id=f"{op}_create",
    )
    async def create_order(body: OrderIn, actor: StaffUser, session: SessionDep) -> OrderOut:
        return out(await OrderService(session, actor).create(body))

    @router.get(
        "/{order_id}",
        summary="Retrieve a purchase order",
        responses=NOT_FOUND,
        operation_id=f"{op}_get",
    )
    async def get_order(order_id: uuid.UUID, actor: StaffUser, session: SessionDep) -> OrderOut:
        return out(await OrderService(session, actor).get(order_id))

    async def update_order(
        order_id: uuid.UUID, body: OrderUpdate, actor: StaffUser, session: SessionDep
    ) -> OrderOut:
        return out(await OrderService(session, actor).update(order_id, body))

    for method in ("PUT", "PATCH"):
        router.add_api_route(
            "/{order_id}",
            update_order,
            methods=[method],
            summary="Edit an order (vendor, currency and lines only while it is a draft)",
            responses={**NOT_FOUND, **ILLEGAL},
            operation_id=f"{op}_{method.lower()}",
        )

    @router.delete(
        "/{order_id}",
        status_code=204,
        summary="Delete a draft order (others are cancelled instead)",
        responses={**NOT_FOUND, **ILLEGAL},
        operation_id=f"{op}_delete",
    )
    async def delete_order(order_id: uuid.UUID, actor: StaffUser, session: SessionDep) -> Response:
        await OrderService(session, actor).delete(order_id)
        return Response(status_code=204)

    def action_route(action: str) -> None:
        async def run(
            order_id: uuid.UUID, actor: StaffUser, session: SessionDep, body: ActionIn | None = None
        ) -> OrderOut:
            return out(await OrderService(session, actor).act(order_id, action, body or ActionIn()))

        router.add_api_route(
            f"/{{order_id}}/{action}",
            run,
            methods=["POST"],
            summary=ACTION_SUMMARIES[action],
            responses={**NOT_FOUND, **ILLEGAL},
            operation_id=f"{op}_{action.replace('-', '_')}",
        )

    for action in ACTIONS:
        action_route(action)

    @router.patch(
        "/{order_id}/state",
        summary="Move the order to a status (the one action leading there is applied)",
        responses={**NOT_FOUND, **ILLEGAL},
        operation_id=f"{op}_state",
    )
    async def set_state(
        order_id: uuid.UUID, body: StateIn, actor: StaffUser, session: SessionDep
    ) -> OrderOut:
        return out(await OrderService(session, actor).to_state(order_id, body.status, body.note))

    @router.get(
        "/{order_id}/transitions",
        summary="Every change of state: who, when, from, to, by which action",
        responses=NOT_FOUND,
        operation_id=f"{op}_transitions",
    )
    async def transitions(
        order_id: uuid.UUID, actor: StaffUser, session: SessionDep
    ) -> list[TransitionOut]:
        rows = await OrderService(session, actor).transitions(order_id)
        return [TransitionOut.of(row) for row in rows]

    @router.get(
        "/{order_id}/items",
        summary="The order's lines",
        responses=NOT_FOUND,
        operation_id=f"{op}_lines",
    )
    async def lines(order_id: uuid.UUID, actor: StaffUser, session: SessionDep) -> OrderOut:
        return out(await OrderService(session, actor).get(order_id))

    @router.post(
        "/{order_id}/items",
        status_code=201,
        summary="Add a line to a draft",
        responses={**NOT_FOUND, **ILLEGAL},
        operation_id=f"{op}_add_line",
    )
    async def add_line(
        order_id: uuid.UUID, body: LineIn, actor: StaffUser, session: SessionDep
    ) -> OrderOut:
        return out(await OrderService(session, actor).add_line(order_id, body))

    @router.put(
        "/{order_id}/items/{line_id}",
        summary="Replace a line of a draft",
        responses={**NOT_FOUND, **ILLEGAL},
        operation_id=f"{op}_put_line",
    )
    async def put_line(
        order_id: uuid.UUID, line_id: int, body: LineIn, actor: StaffUser, session: SessionDep
    ) -> OrderOut:
        return out(await OrderService(session, actor).update_line(order_id, line_id, body))

    @router.delete(
        "/{order_id}/items/{line_id}",
        summary="Remove a line from a draft",
        responses={**NOT_FOUND, **ILLEGAL},
        operation_id=f"{op}_delete_line",
    )
    async def delete_line(
        order_id: uuid.UUID, line_id: int, actor: StaffUser, session: SessionDep
    ) -> OrderOut:
        return out(await OrderService(session, actor).delete_line(order_id, line_id))

    @router.post(
        "/{order_id}/receive-stock",
        status_code=201,
        summary="Receive stock against the order's lines (posts one receipt stock entry)",
        responses={**NOT_FOUND, **described(r409="Not approved yet, or more than ordered")},
        operation_id=f"{op}_receive",
    )
    async def receive(
        order_id: uuid.UUID, body: ReceiveIn, actor: StaffUser, session: SessionDep
    ) -> ReceiptOut:
        return ReceiptOut.of(await OrderService(session, actor).receive(order_id, body))

    @router.get(
        "/{order_id}/received-items",
        summary="What was received, call by call",
        responses=NOT_FOUND,
        operation_id=f"{op}_receipts",
    )
    async def received(
        order_id: uuid.UUID, actor: StaffUser, session: SessionDep
    ) -> list[ReceiptOut]:
        return [ReceiptOut.of(row) for row in await OrderService(session, actor).receipts(order_id)]

    @router.get(
        "/{order_id}/approval-flow",
        summary="The order's (latest) approval flow",
        responses=NOT_FOUND,
        operation_id=f"{op}_flow",
    )
    async def get_flow(order_id: uuid.UUID, actor: StaffUser, session: SessionDep) -> FlowOut:
        order = await OrderService(session, actor).get(order_id)
        return FlowOut.of(await flow_of(session, order))

    @router.post(
        "/{order_id}/approval-flow",
        status_code=201,
        summary="Start a flow for an order pending approval (from a template, or the matching one)",
        responses={**NOT_FOUND, **described(r409="Not pending approval, or a flow is running")},
        operation_id=f"{op}_start_flow",
    )
    async def start_flow(
        order_id: uuid.UUID, actor: StaffUser, session: SessionDep, body: FlowIn | None = None
    ) -> FlowOut:
        await OrderService(session, actor).get(order_id)
        template = None if body is None else body.template_id
        flow = await ApprovalService(session, actor).start_for(OBJECT_TYPE, str(order_id), template)
        return FlowOut.of(flow)

    @router.post(
        "/{order_id}/sign",
        summary="Sign the order's approval flow",
        responses={
            **NOT_FOUND,
            **described(r409="Not eligible, already signed, or the flow is over"),
        },
        operation_id=f"{op}_sign",
    )
    async def sign(
        order_id: uuid.UUID, actor: StaffUser, session: SessionDep, body: SignIn | None = None
    ) -> FlowOut:
        order = await OrderService(session, actor).get(order_id)
        flow = await flow_of(session, order)
        comment = "" if body is None else body.comment
        return FlowOut.of(await ApprovalService(session, actor).sign(flow.id, comment))

    @router.post(
        "/{order_id}/reject",
        summary="Reject the order's approval flow (the order goes back to draft)",
        responses={**NOT_FOUND, **described(r409="Not eligible, or the flow is over")},
        operation_id=f"{op}_reject",
    )
    async def reject(
        order_id: uuid.UUID, body: RejectIn, actor: StaffUser, session: SessionDep
    ) -> FlowOut:
        order = await OrderService(session, actor).get(order_id)
        flow = await flow_of(session, order)
        return FlowOut.of(await ApprovalService(session, actor).reject(flow.id, body.reason))

    @router.delete(
        "/{order_id}/signatures/{user_id}",
        summary="Remove a signature from the order's pending flow (system_admin)",
        responses={**NOT_FOUND, **described(r409="The flow is over")},
        operation_id=f"{op}_remove_signature",
    )
    async def remove_signature(
        order_id: uuid.UUID, user_id: str, actor: AdminUser, session: SessionDep
    ) -> FlowOut:
        order = await OrderService(session, actor).get(order_id)
        flow = await flow_of(session, order)
        return FlowOut.of(await ApprovalService(session, actor).remove_signature(flow.id, user_id))

    @router.get(
        "/{order_id}/attachments",
        summary="The order's attachments",
        responses=NOT_FOUND,
        operation_id=f"{op}_attachments",
    )
    async def list_attachments(
        order_id: uuid.UUID, actor: StaffUser, session: SessionDep, storage: StorageDep
    ) -> list[AttachmentOut]:
        order = await OrderService(session, actor).get(order_id)
        rows = await AttachmentService(session, storage).listing(order)
        return [AttachmentOut.of(row) for row in rows]

    @router.post(
        "/{order_id}/attachments",
        status_code=201,
        summary="Attach a file (PDF, PNG, JPEG, WebP, CSV or text; 10 MiB by default)",
        responses={
            **NOT_FOUND,
            **described(r413="Too large", r415="Not an accepted type (checked by content)"),
        },
        operation_id=f"{op}_attach",
    )
    async def add_attachment(
        order_id: uuid.UUID,
        request: Request,
        actor: StaffUser,
        session: SessionDep,
        storage: StorageDep,
        file: Annotated[UploadFile, File(description="The file")],
    ) -> AttachmentOut:
        order = await OrderService(session, actor).get(order_id)
        limit = int(request.app.state.settings.attachment_max_bytes)
        data = await file.read(limit + 1)
        attachment = await AttachmentService(session, storage).add(
            order, file.filename or "attachment", data, limit, actor.user_id
        )
        return AttachmentOut.of(attachment)

    @router.get(
        "/{order_id}/attachments/{attachment_id}",
        summary="Download an attachment",
        responses={**NOT_FOUND, 200: {"content": {"application/octet-stream": {}}}},
        response_class=Response,
        operation_id=f"{op}_download",
    )
    async def download_attachment(
        order_id: uuid.UUID,
        attachment_id: uuid.UUID,
        actor: StaffUser,
        session: SessionDep,
        storage: StorageDep,
    ) -> Response:
        order = await OrderService(session, actor).get(order_id)
        attachment = await AttachmentService(session, storage).get(order, attachment_id)
        return Response(
            await storage.read(attachment.storage_key),
            media_type=attachment.content_type,
            headers={
                "Content-Disposition": f"attachment; filename*=UTF-8''{quote(attachment.filename)}",
                "X-Content-Type-Options": "nosniff",
            },
        )

    @router.delete(
        "/{order_id}/attachments/{attachment_id}",
        status_code=204,
        summary="Remove an attachment",
        responses=NOT_FOUND,
        operation_id=f"{op}_detach",
    )
    async def delete_attachment(
        order_id: uuid.UUID,
        attachment_id: uuid.UUID,
        actor: StaffUser,
        session: SessionDep,
        storage: StorageDep,
    ) -> Response:
        order = await OrderService(session, actor).get(order_id)
        await AttachmentService(session, storage).delete(order, attachment_id)
        return Response(status_code=204)

    return router


routers = [
    build_router("/api/inventory/purchase-orders", "purchase orders"),
    build_router("/api/inventory/orders", "purchase orders"),
]
