"""Seed 002 /api/pos/receipts (Employee+, own stores): look a sale up by its receipt number,
as JSON, as 80-column text or as a PDF."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query, Response
from fastapi.responses import PlainTextResponse

from common.db import SessionDep
from common.openapi import described
from common.pagination import Page, PageDep, make_page, paginate
from common.security import StaffUser
from pos.receipts import pdf, text
from pos.receipts.schemas import ReceiptOut
from pos.receipts.service import ReceiptService

router = APIRouter(prefix="/api/pos/receipts", tags=["receipts"])
NOT_FOUND = described(r404="No sale with the receipt number", r403="Another store's sale")


@router.get("", summary="Find sales (completed or voided) of your stores by receipt number")
async def list_receipts(
    actor: StaffUser,
    session: SessionDep,
    page: PageDep,
    receipt_number: Annotated[
        str | None,
        Query(min_length=1, max_length=40, description="Exact, case-insensitive"),
    ] = None,
) -> Page[ReceiptOut]:
    statement = ReceiptService(session, actor).listing(receipt_number)
    count, rows = await paginate(session, statement, page, scalars=False)
    return make_page(count, [ReceiptOut.of(sale, register) for sale, register in rows], page)


@router.get("/{receipt_number}", summary="Retrieve one receipt", responses=NOT_FOUND)
async def get_receipt(receipt_number: str, actor: StaffUser, session: SessionDep) -> ReceiptOut:
    return await ReceiptService(session, actor).get(receipt_number)


@router.get(
    "/{receipt_number}/text",
    summary="The receipt as 80-column plain text, times in the store's time zone",
    response_class=PlainTextResponse,
    responses={**NOT_FOUND, 200: {"content": {"text/plain": {}}}},
)
async def receipt_text(receipt_number: str, actor: StaffUser, session: SessionDep) -> str:
    return text.render(await ReceiptService(session, actor).get(receipt_number))


@router.get(
    "/{receipt_number}/pdf",
    summary="The receipt as a PDF on an 80 mm till roll",
    response_class=Response,
    responses={**NOT_FOUND, 200: {"content": {"application/pdf": {}}}},
)
async def receipt_pdf(receipt_number: str, actor: StaffUser, session: SessionDep) -> Response:
    receipt = await ReceiptService(session, actor).get(receipt_number)
    return Response(
        pdf.render(receipt),
        media_type="application/pdf",
        headers={
            "Content-Disposition": f"inline; filename*=UTF-8''{quote(receipt.receipt_number)}.pdf"
        },
    )
