"""/api/invoices: void, delete-preview, force-delete and bulk-delete (system admin)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from common.openapi import described
from common.security import AdminUser
from invoicing.deps import VoidServiceDep
from invoicing.invoices.schemas import InvoiceOut
from invoicing.voids.schemas import (
    BulkDeleteIn,
    BulkRemoved,
    DeletePreview,
    ForceDeleteIn,
    Removed,
    VoidIn,
)

router = APIRouter(prefix="/api/invoices", tags=["invoices"])
NOT_FOUND = described(r404="No such invoice")


@router.post(
    "/bulk-delete",
    summary="Delete drafts and void issued invoices, all or nothing",
    responses=described(
        r404="An id is unknown (nothing changed)",
        r409="One is void already (nothing changed)",
        r422="No reason for an issued one",
    ),
)
async def bulk_delete(body: BulkDeleteIn, _: AdminUser, voids: VoidServiceDep) -> BulkRemoved:
    return BulkRemoved(results=await voids.bulk_delete(body.ids, body.reason))


@router.post(
    "/{invoice_id}/void",
    summary="Void an issued invoice with a reason (its number stays used; payments of a "
    "partly paid one are reversed); publishes invoicing.invoice.voided",
    responses={**NOT_FOUND, **described(r409="Draft, paid or void: names the allowed states")},
)
async def void_invoice(
    invoice_id: uuid.UUID, body: VoidIn, _: AdminUser, voids: VoidServiceDep
) -> InvoiceOut:
    return InvoiceOut.model_validate(await voids.void(invoice_id, body.reason))


@router.get(
    "/{invoice_id}/delete-preview",
    summary="What force-delete would do: delete a draft, or void and reverse payments",
    responses=NOT_FOUND,
)
async def delete_preview(
    invoice_id: uuid.UUID, _: AdminUser, voids: VoidServiceDep
) -> DeletePreview:
    return await voids.preview(invoice_id)


@router.post(
    "/{invoice_id}/force-delete",
    summary="Delete a draft, or void an issued invoice (even paid: its payments are reversed)",
    responses={**NOT_FOUND, **described(r409="Void already", r422="No reason for an issued one")},
)
async def force_delete(
    invoice_id: uuid.UUID, body: ForceDeleteIn, _: AdminUser, voids: VoidServiceDep
) -> Removed:
    return await voids.force_delete(invoice_id, body.reason)
