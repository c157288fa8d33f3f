"""Seed 004 /api/approvals: templates (system_admin) and flows (staff, their stores' objects;
removing a signature is system_admin)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from sqlalchemy import String, cast, select

from common.db import SessionDep
from common.openapi import described
from common.pagination import Page, PageDep, make_page, paginate
from common.scope import scoped
from common.security import AdminUser, StaffUser
from inventory.approvals.schemas import FlowIn, FlowOut, RejectIn, SignIn, TemplateIn, TemplateOut
from inventory.approvals.service import ApprovalService
from inventory.procurement_models import ApprovalFlow, ApprovalTemplate, PurchaseOrder

router = APIRouter(prefix="/api/approvals", tags=["approvals"])
FLOW_404 = described(r404="No such flow", r403="Another store's flow")
TEMPLATE_404 = described(r404="No such template")
OVER = described(r409="Not eligible, already signed, self-approval, or the flow is over")


def template_values(body: TemplateIn) -> dict[str, Any]:
    values = body.model_dump(mode="json", exclude={"signers", "thresholds", "min_amount"})
    values["min_amount"] = body.min_amount
    values["signers"] = [
        signer.model_dump(mode="json", exclude_none=True) for signer in body.signers
    ]
    values["thresholds"] = [threshold.model_dump(mode="json") for threshold in body.thresholds]
    return values


@router.get("/templates", summary="List approval templates (system_admin)")
async def list_templates(actor: AdminUser, session: SessionDep, page: PageDep) -> Page[TemplateOut]:
    statement = select(ApprovalTemplate).order_by(
        ApprovalTemplate.object_type, ApprovalTemplate.name
    )
    count, rows = await paginate(session, statement, page)
    return make_page(count, [TemplateOut.of(row) for row in rows], page)


@router.post("/templates", status_code=201, summary="Create an approval template (system_admin)")
async def create_template(body: TemplateIn, actor: AdminUser, session: SessionDep) -> TemplateOut:
    return TemplateOut.of(
        await ApprovalService(session, actor).create_template(template_values(body))
    )


@router.get("/templates/{template_id}", summary="Retrieve a template", responses=TEMPLATE_404)
async def get_template(
    template_id: uuid.UUID, actor: AdminUser, session: SessionDep
) -> TemplateOut:
    return TemplateOut.of(await ApprovalService(session, actor).template(template_id))


@router.put(
    "/templates/{template_id}",
    summary="Replace a template (running flows keep the copy they started with)",
    responses=TEMPLATE_404,
)
async def put_template(
    template_id: uuid.UUID, body: TemplateIn, actor: AdminUser, session: SessionDep
) -> TemplateOut:
    service = ApprovalService(session, actor)
    return TemplateOut.of(await service.update_template(template_id, template_values(body)))


@router.delete(
    "/templates/{template_id}", status_code=204, summary="Delete a template", responses=TEMPLATE_404
)
async def delete_template(
    template_id: uuid.UUID, actor: AdminUser, session: SessionDep
) -> Response:
    await ApprovalService(session, actor).delete_template(template_id)
    return Response(status_code=204)


@router.get("/flows", summary="List approval flows of your stores' objects")
async def list_flows(
    actor: StaffUser,
    session: SessionDep,
    page: PageDep,
    object_type: Annotated[str | None, Query()] = None,
    status: Annotated[
        str | None, Query(description="pending, approved, rejected, cancelled")
    ] = None,
) -> Page[FlowOut]:
    statement = ApprovalService.listing(object_type, status)
    if not actor.is_admin:
        statement = scoped(
            statement.join(PurchaseOrder, cast(PurchaseOrder.id, String) == ApprovalFlow.object_id),
            PurchaseOrder.store_id,
            actor,
        )
    count, rows = await paginate(session, statement, page)
    return make_page(count, [FlowOut.of(row) for row in rows], page)


@router.post(
    "/flows",
    status_code=201,
    summary="Start a flow for an object (the matching template, or the one named)",
    responses=described(r409="No template matches, or a flow is already running"),
)
async def create_flow(body: FlowIn, actor: StaffUser, session: SessionDep) -> FlowOut:
    service = ApprovalService(session, actor)
    kind = body.object_type
    from inventory.approvals.service import OBJECT_TYPES

    store = await OBJECT_TYPES[kind].store_of(session, body.object_id)
    if store is not None and not actor.can_act_on_store(store):
        from common.errors import PermissionDenied

        raise PermissionDenied("You can only act on your own store's approvals.")
    return FlowOut.of(await service.start_for(kind, body.object_id, body.template_id))


@router.get(
    "/flows/object/{object_type}/{object_id}",
    summary="The latest flow of an object",
    responses=FLOW_404,
)
async def flow_for_object(
    object_type: str, object_id: str, actor: StaffUser, session: SessionDep
) -> FlowOut:
    service = ApprovalService(session, actor)
    latest = await service.latest_for(object_type, object_id)
    if latest is None:
        from common.errors import NotFound

        raise NotFound(f"No approval flow for {object_type} {object_id}.")
    return FlowOut.of(await service.flow(latest.id))


@router.get("/flows/{flow_id}", summary="Retrieve a flow with its signatures", responses=FLOW_404)
async def get_flow(flow_id: uuid.UUID, actor: StaffUser, session: SessionDep) -> FlowOut:
    return FlowOut.of(await ApprovalService(session, actor).flow(flow_id))


@router.post("/flows/{flow_id}/sign", summary="Sign a flow", responses={**FLOW_404, **OVER})
async def sign_flow(
    flow_id: uuid.UUID, actor: StaffUser, session: SessionDep, body: SignIn | None = None
) -> FlowOut:
    comment = "" if body is None else body.comment
    return FlowOut.of(await ApprovalService(session, actor).sign(flow_id, comment))


@router.post(
    "/flows/{flow_id}/reject", summary="Reject a flow (ends it)", responses={**FLOW_404, **OVER}
)
async def reject_flow(
    flow_id: uuid.UUID, body: RejectIn, actor: StaffUser, session: SessionDep
) -> FlowOut:
    return FlowOut.of(await ApprovalService(session, actor).reject(flow_id, body.reason))


@router.delete(
    "/flows/{flow_id}/signatures/{user_id}",
    summary="Remove a signature from a pending flow (system_admin)",
    responses={**FLOW_404, **described(r409="The flow is over")},
)
async def remove_signature(
    flow_id: uuid.UUID, user_id: str, actor: AdminUser, session: SessionDep
) -> FlowOut:
    return FlowOut.of(await ApprovalService(session, actor).remove_signature(flow_id, user_id))
