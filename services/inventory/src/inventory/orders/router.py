"""Purchase orders for staff on their own stores: seed 002's /api/inventory/orders rows and
seed 004's depo_procurement purchase-order routes, written once and served under
/api/inventory/purchase-orders and, identically, /api/inventory/orders."""

from __future__ import annotations

import uuid
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, File, Query, Response, UploadFile

from common.openapi import described
from common.pagination import Page, PageDep, page_of
from common.routing import mounted_at, put_and_patch
from common.security import AdminUser, StaffUser
from inventory.approvals.schemas import FlowIn, FlowOut, RejectIn, SignIn
from inventory.deps import OrderAttachmentsDep, OrderServiceDep
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
from inventory.orders.states import ACTIONS

PREFIXES = ["/api/inventory/purchase-orders", "/api/inventory/orders"]
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

router = APIRouter(tags=["purchase orders"])


@router.get("", summary="List purchase orders of your stores")
async def list_orders(
    _: StaffUser,
    orders: OrderServiceDep,
    page: PageDep,
    vendor: Annotated[uuid.UUID | None, Query(description="Vendor id")] = None,
    status: Annotated[str | None, Query()] = None,
    store: Annotated[uuid.UUID | None, Query(description="Store id")] = None,
) -> Page[OrderOut]:
    found = await orders.listing(vendor=vendor, status=status, store=store, page=page)
    return page_of(OrderOut, found, page)


@router.post(
    "",
    status_code=201,
    summary="Create a draft purchase order",
    responses=described(r409="Order number taken", r403="Another store"),
)
async def create_order(body: OrderIn, _: StaffUser, orders: OrderServiceDep) -> OrderOut:
    return OrderOut.model_validate(await orders.create(body))


@router.get("/{order_id}", summary="Retrieve a purchase order", responses=NOT_FOUND)
async def get_order(order_id: uuid.UUID, _: StaffUser, orders: OrderServiceDep) -> OrderOut:
    return OrderOut.model_validate(await orders.get(order_id))


async def update_order(
    order_id: uuid.UUID, body: OrderUpdate, _: StaffUser, orders: OrderServiceDep
) -> OrderOut:
    return OrderOut.model_validate(await orders.update(order_id, body))


put_and_patch(
    router,
    "/{order_id}",
    update_order,
    summary="Edit an order (vendor, currency and lines only while it is a draft)",
    responses={**NOT_FOUND, **ILLEGAL},
)


@router.delete(
    "/{order_id}",
    status_code=204,
    summary="Delete a draft order (others are cancelled instead)",
    responses={**NOT_FOUND, **ILLEGAL},
)
async def delete_order(order_id: uuid.UUID, _: StaffUser, orders: OrderServiceDep) -> Response:
    await orders.delete(order_id)
    return Response(status_code=204)


def _action_route(action: str) -> None:
    async def run(
        order_id: uuid.UUID, _: StaffUser, orders: OrderServiceDep, body: ActionIn | None = None
    ) -> OrderOut:
        return OrderOut.model_validate(await orders.act(order_id, action, body or ActionIn()))

    router.add_api_route(
        f"/{{order_id}}/{action}",
        run,
        methods=["POST"],
        name=action.replace("-", "_"),
        summary=ACTION_SUMMARIES[action],
        responses={**NOT_FOUND, **ILLEGAL},
    )


for _action in ACTIONS:
    _action_route(_action)


@router.patch(
    "/{order_id}/state",
    summary="Move the order to a status (the one action leading there is applied)",
    responses={**NOT_FOUND, **ILLEGAL},
)
async def set_state(
    order_id: uuid.UUID, body: StateIn, _: StaffUser, orders: OrderServiceDep
) -> OrderOut:
    return OrderOut.model_validate(await orders.to_state(order_id, body.status, body.note))


@router.get(
    "/{order_id}/transitions",
    summary="Every change of state: who, when, from, to, by which action",
    responses=NOT_FOUND,
)
async def transitions(
    order_id: uuid.UUID, _: StaffUser, orders: OrderServiceDep
) -> list[TransitionOut]:
    return [TransitionOut.model_validate(row) for row in await orders.transitions(order_id)]


@router.get("/{order_id}/items", summary="The order's lines", responses=NOT_FOUND)
async def lines(order_id: uuid.UUID, _: StaffUser, orders: OrderServiceDep) -> OrderOut:
    return OrderOut.model_validate(await orders.get(order_id))


@router.post(
    "/{order_id}/items",
    status_code=201,
    summary="Add a line to a draft",
    responses={**NOT_FOUND, **ILLEGAL},
)
async def add_line(
    order_id: uuid.UUID, body: LineIn, _: StaffUser, orders: OrderServiceDep
) -> OrderOut:
    return OrderOut.model_validate(await orders.add_line(order_id, body))


@router.put(
    "/{order_id}/items/{line_id}",
    summary="Replace a line of a draft",
    responses={**NOT_FOUND, **ILLEGAL},
)
async def put_line(
    order_id: uuid.UUID, line_id: int, body: LineIn, _: StaffUser, orders: OrderServiceDep
) -> OrderOut:
    return OrderOut.model_validate(await orders.update_line(order_id, line_id, body))


@router.delete(
    "/{order_id}/items/{line_id}",
    summary="Remove a line from a draft",
    responses={**NOT_FOUND, **ILLEGAL},
)
async def delete_line(
    order_id: uuid.UUID, line_id: int, _: StaffUser, orders: OrderServiceDep
) -> OrderOut:
    return OrderOut.model_validate(await orders.delete_line(order_id, line_id))


@router.post(
    "/{order_id}/receive-stock",
    status_code=201,
    summary="Receive stock against the order's lines (posts one receipt stock entry)",
    responses={**NOT_FOUND, **described(r409="Not approved yet, or more than ordered")},
)
async def receive(
    order_id: uuid.UUID, body: ReceiveIn, _: StaffUser, orders: OrderServiceDep
) -> ReceiptOut:
    return ReceiptOut.model_validate(await orders.receive(order_id, body))


@router.get(
    "/{order_id}/received-items", summary="What was received, call by call", responses=NOT_FOUND
)
async def received(order_id: uuid.UUID, _: StaffUser, orders: OrderServiceDep) -> list[ReceiptOut]:
    return [ReceiptOut.model_validate(row) for row in await orders.receipts(order_id)]


@router.get(
    "/{order_id}/approval-flow", summary="The order's (latest) approval flow", responses=NOT_FOUND
)
async def get_flow(order_id: uuid.UUID, _: StaffUser, orders: OrderServiceDep) -> FlowOut:
    return FlowOut.model_validate(await orders.flow(order_id))


@router.post(
    "/{order_id}/approval-flow",
    status_code=201,
    summary="Start a flow for an order pending approval (from a template, or the matching one)",
    responses={**NOT_FOUND, **described(r409="Not pending approval, or a flow is running")},
)
async def start_flow(
    order_id: uuid.UUID, _: StaffUser, orders: OrderServiceDep, body: FlowIn | None = None
) -> FlowOut:
    template = None if body is None else body.template_id
    return FlowOut.model_validate(await orders.start_flow(order_id, template))


@router.post(
    "/{order_id}/sign",
    summary="Sign the order's approval flow",
    responses={**NOT_FOUND, **described(r409="Not eligible, already signed, or the flow is over")},
)
async def sign(
    order_id: uuid.UUID, _: StaffUser, orders: OrderServiceDep, body: SignIn | None = None
) -> FlowOut:
    return FlowOut.model_validate(await orders.sign(order_id, SignIn.comment_of(body)))


@router.post(
    "/{order_id}/reject",
    summary="Reject the order's approval flow (the order goes back to draft)",
    responses={**NOT_FOUND, **described(r409="Not eligible, or the flow is over")},
)
async def reject(
    order_id: uuid.UUID, body: RejectIn, _: StaffUser, orders: OrderServiceDep
) -> FlowOut:
    return FlowOut.model_validate(await orders.reject(order_id, body.reason))


@router.delete(
    "/{order_id}/signatures/{user_id}",
    summary="Remove a signature from the order's pending flow (system_admin)",
    responses={**NOT_FOUND, **described(r409="The flow is over")},
)
async def remove_signature(
    order_id: uuid.UUID, user_id: str, _: AdminUser, orders: OrderServiceDep
) -> FlowOut:
    return FlowOut.model_validate(await orders.remove_signature(order_id, user_id))


@router.get("/{order_id}/attachments", summary="The order's attachments", responses=NOT_FOUND)
async def list_attachments(
    order_id: uuid.UUID, _: StaffUser, attachments: OrderAttachmentsDep
) -> list[AttachmentOut]:
    return [AttachmentOut.model_validate(row) for row in await attachments.listing(order_id)]


@router.post(
    "/{order_id}/attachments",
    status_code=201,
    summary="Attach a file (PDF, PNG, JPEG, WebP, CSV or text, by content; 10 MiB by default)",
    responses={
        **NOT_FOUND,
        **described(r413="Too large", r415="Not an accepted type (checked by content)"),
    },
)
async def add_attachment(
    order_id: uuid.UUID,
    _: StaffUser,
    attachments: OrderAttachmentsDep,
    file: Annotated[UploadFile, File(description="The file")],
) -> AttachmentOut:
    return AttachmentOut.model_validate(await attachments.add(order_id, file))


@router.get(
    "/{order_id}/attachments/{attachment_id}",
    summary="Download an attachment",
    responses={**NOT_FOUND, 200: {"content": {"application/octet-stream": {}}}},
    response_class=Response,
)
async def download_attachment(
    order_id: uuid.UUID, attachment_id: uuid.UUID, _: StaffUser, attachments: OrderAttachmentsDep
) -> Response:
    attachment, data = await attachments.download(order_id, attachment_id)
    return Response(
        data,
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
)
async def delete_attachment(
    order_id: uuid.UUID, attachment_id: uuid.UUID, _: StaffUser, attachments: OrderAttachmentsDep
) -> Response:
    await attachments.delete(order_id, attachment_id)
    return Response(status_code=204)


routers = mounted_at(router, PREFIXES)
