"""/api/marketing: the contact and schedule-call forms (public, throttled under ``contact`` and
``schedule_call``) and the leads they make (system admin, JSON or CSV)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from bookings.deps import LeadServiceDep
from bookings.leads.models import LeadKind
from bookings.leads.schemas import ContactIn, LeadOut, LeadReceipt, ScheduleCallIn
from bookings.throttles.service import client_address
from bookings.types import IsoDate
from common.db import SessionDep
from common.openapi import described
from common.pagination import Page, PageDep, make_page, paginate
from common.security import AdminUser

router = APIRouter(prefix="/api/marketing", tags=["marketing"])
THROTTLED = described(r429="Too many from this address, email or phone (Retry-After)")
Kind = Annotated[LeadKind | None, Query(description="contact or schedule_call")]
From = Annotated[IsoDate | None, Query(description="Last received on or after this UTC day")]
To = Annotated[IsoDate | None, Query(description="Last received on or before this UTC day")]
Search = Annotated[str | None, Query(description="In name, email, phone and message")]


@router.post("/contact", status_code=201, summary="Send the contact form", responses=THROTTLED)
async def contact(body: ContactIn, request: Request, leads: LeadServiceDep) -> LeadReceipt:
    lead = await leads.capture(LeadKind.contact, body, address=client_address(request))
    return LeadReceipt.model_validate(lead)


@router.post("/schedule-call", status_code=201, summary="Ask for a callback", responses=THROTTLED)
async def schedule_call(
    body: ScheduleCallIn, request: Request, leads: LeadServiceDep
) -> LeadReceipt:
    lead = await leads.capture(LeadKind.schedule_call, body, address=client_address(request))
    return LeadReceipt.model_validate(lead)


@router.get("/leads", summary="List marketing leads (latest first)")
async def list_leads(
    _: AdminUser,
    leads: LeadServiceDep,
    session: SessionDep,
    page: PageDep,
    kind: Kind = None,
    date_from: From = None,
    date_to: To = None,
    search: Search = None,
) -> Page[LeadOut]:
    statement = leads.listing(kind=kind, date_from=date_from, date_to=date_to, search=search)
    count, rows = await paginate(session, statement, page)
    return make_page(count, [LeadOut.model_validate(row) for row in rows], page)


@router.get(
    "/leads/export",
    summary="Export marketing leads as CSV (same filters as the list)",
    response_class=Response,
    responses={200: {"content": {"text/csv": {"example": "id,kind,name,...\r\n"}}}},
)
async def export_leads(
    _: AdminUser,
    leads: LeadServiceDep,
    kind: Kind = None,
    date_from: From = None,
    date_to: To = None,
    search: Search = None,
) -> Response:
    body = await leads.export(kind=kind, date_from=date_from, date_to=date_to, search=search)
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="leads.csv"'},
    )
