"""Seed 002 /api/pos/receipts (Employee+, own stores): look a sale up by its receipt number,
as JSON, as 80-column text or as a PDF."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query, Response
from fastapi.responses import PlainTextResponse

from common.openapi import described
from common.pagination import Page, PageDep, make_page
from common.security import StaffUser
from pos.deps import ReceiptServiceDep
from pos.receipts.schemas import ReceiptOut

router = APIRouter(prefix="/api/pos/receipts", tags=["receipts"])
NOT_FOUND = described(r404="No sale with the receipt number", r403="Another store's sale")


@router.get("", summary="Find sales (completed or voided) of your stores by receipt number")
async def list_receipts(
    _: StaffUser,
    receipts: ReceiptServiceDep,
    page: PageDep,
    receipt_number: Annotated[
        str | None,
        Query(min_length=1, max_length=40, description="Exact, case-insensitive"),
    ] = None,
) -> Page[ReceiptOut]:
    count, found = await receipts.listing(page, receipt_number=receipt_number)
    return make_page(count, found, page)


@router.get("/{receipt_number}", summary="Retrieve one receipt", responses=NOT_FOUND)
async def get_receipt(receipt_number: str, _: StaffUser, receipts: ReceiptServiceDep) -> ReceiptOut:
    return await receipts.get(receipt_number)


@router.get(
    "/{receipt_number}/text",
    summary="The receipt as 80-column plain text, times in the store's time zone",
    response_class=PlainTextResponse,
    responses={**NOT_FOUND, 200: {"content": {"text/plain": {}}}},
)
async def receipt_text(receipt_number: str, _: StaffUser, receipts: ReceiptServiceDep) -> str:
    return await receipts.text(receipt_number)


@router.get(
    "/{receipt_number}/pdf",
    summary="The receipt as a PDF on an 80 mm till roll",
    response_class=Response,
    responses={**NOT_FOUND, 200: {"content": {"application/pdf": {}}}},
)
async def receipt_pdf(receipt_number: str, _: StaffUser, receipts: ReceiptServiceDep) -> Response:
    number, document = await receipts.pdf(receipt_number)
    return Response(
        document,
        media_type="application/pdf",
        headers={"Content-Disposition": f"inline; filename*=UTF-8''{quote(number)}.pdf"},
    )
