"""Seed 004 /api/approvals: templates (system_admin) and flows (staff, their stores' objects;
removing a signature is system_admin)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from common.openapi import described
from common.pagination import Page, PageDep, page_of
from common.security import AdminUser, StaffUser
from inventory.approvals.schemas import FlowIn, FlowOut, RejectIn, SignIn, TemplateIn, TemplateOut
from inventory.deps import ApprovalServiceDep

router = APIRouter(prefix="/api/approvals", tags=["approvals"])
FLOW_404 = described(r404="No such flow", r403="Another store's flow")
TEMPLATE_404 = described(r404="No such template")
OVER = described(r409="Not eligible, already signed, self-approval, or the flow is over")


@router.get("/templates", summary="List approval templates (system_admin)")
async def list_templates(
    _: AdminUser, approvals: ApprovalServiceDep, page: PageDep
) -> Page[TemplateOut]:
    return page_of(TemplateOut, await approvals.templates(page), page)


@router.post("/templates", status_code=201, summary="Create an approval template (system_admin)")
async def create_template(
    body: TemplateIn, _: AdminUser, approvals: ApprovalServiceDep
) -> TemplateOut:
    return TemplateOut.model_validate(await approvals.create_template(body))


@router.get("/templates/{template_id}", summary="Retrieve a template", responses=TEMPLATE_404)
async def get_template(
    template_id: uuid.UUID, _: AdminUser, approvals: ApprovalServiceDep
) -> TemplateOut:
    return TemplateOut.model_validate(await approvals.template(template_id))


@router.put(
    "/templates/{template_id}",
    summary="Replace a template (running flows keep the copy they started with)",
    responses=TEMPLATE_404,
)
async def put_template(
    template_id: uuid.UUID, body: TemplateIn, _: AdminUser, approvals: ApprovalServiceDep
) -> TemplateOut:
    return TemplateOut.model_validate(await approvals.replace_template(template_id, body))


@router.delete(
    "/templates/{template_id}", status_code=204, summary="Delete a template", responses=TEMPLATE_404
)
async def delete_template(
    template_id: uuid.UUID, _: AdminUser, approvals: ApprovalServiceDep
) -> Response:
    await approvals.delete_template(template_id)
    return Response(status_code=204)


@router.get("/flows", summary="List approval flows of your stores' objects")
async def list_flows(
    _: StaffUser,
    approvals: ApprovalServiceDep,
    page: PageDep,
    object_type: Annotated[str | None, Query()] = None,
    status: Annotated[
        str | None, Query(description="pending, approved, rejected, cancelled")
    ] = None,
) -> Page[FlowOut]:
    return page_of(FlowOut, await approvals.flows(object_type, status, page), page)


@router.post(
    "/flows",
    status_code=201,
    summary="Start a flow for an object (the matching template, or the one named)",
    responses=described(
        r404="No such object (e.g. purchase order) or template",
        r409="No template matches, or a flow is already running",
    ),
)
async def create_flow(body: FlowIn, _: StaffUser, approvals: ApprovalServiceDep) -> FlowOut:
    flow = await approvals.start_for(body.object_type, body.object_id, body.template_id)
    return FlowOut.model_validate(flow)


@router.get(
    "/flows/object/{object_type}/{object_id}",
    summary="The latest flow of an object",
    responses=FLOW_404,
)
async def flow_for_object(
    object_type: str, object_id: str, _: StaffUser, approvals: ApprovalServiceDep
) -> FlowOut:
    return FlowOut.model_validate(await approvals.latest_for(object_type, object_id))


@router.get("/flows/{flow_id}", summary="Retrieve a flow with its signatures", responses=FLOW_404)
async def get_flow(flow_id: uuid.UUID, _: StaffUser, approvals: ApprovalServiceDep) -> FlowOut:
    return FlowOut.model_validate(await approvals.flow(flow_id))


@router.post("/flows/{flow_id}/sign", summary="Sign a flow", responses={**FLOW_404, **OVER})
async def sign_flow(
    flow_id: uuid.UUID, _: StaffUser, approvals: ApprovalServiceDep, body: SignIn | None = None
) -> FlowOut:
    return FlowOut.model_validate(await approvals.sign(flow_id, SignIn.comment_of(body)))


@router.post(
    "/flows/{flow_id}/reject", summary="Reject a flow (ends it)", responses={**FLOW_404, **OVER}
)
async def reject_flow(
    flow_id: uuid.UUID, body: RejectIn, _: StaffUser, approvals: ApprovalServiceDep
) -> FlowOut:
    return FlowOut.model_validate(await approvals.reject(flow_id, body.reason))


@router.delete(
    "/flows/{flow_id}/signatures/{user_id}",
    summary="Remove a signature from a pending flow (system_admin)",
    responses={**FLOW_404, **described(r409="The flow is over")},
)
async def remove_signature(
    flow_id: uuid.UUID, user_id: str, _: AdminUser, approvals: ApprovalServiceDep
) -> FlowOut:
    return FlowOut.model_validate(await approvals.remove_signature(flow_id, user_id))
