"""/api/invoices: list, create, read, edit, delete (drafts), issue, and the next number
(seed 000 Invoicing: system_admin)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from common.db import SessionDep
from common.openapi import described
from common.pagination import Page, PageDep, make_page, paginate
from common.routing import put_and_patch
from common.security import AdminUser
from common.types import IsoDate
from invoicing.deps import InvoiceServiceDep
from invoicing.invoices.schemas import (
    InvoiceFilters,
    InvoiceIn,
    InvoiceOut,
    InvoiceSummary,
    InvoiceUpdate,
    ProposedNumber,
)
from invoicing.invoices.states import InvoiceStatus

router = APIRouter(prefix="/api/invoices", tags=["invoices"])
NOT_FOUND = described(r404="No such invoice")


def invoice_filters(
    status: Annotated[InvoiceStatus | None, Query(description="As read now (overdue too)")] = None,
    customer: Annotated[str | None, Query(description="Customer id or number")] = None,
    store: Annotated[uuid.UUID | None, Query()] = None,
    date_from: Annotated[IsoDate | None, Query(description="Invoice date from")] = None,
    date_to: Annotated[IsoDate | None, Query(description="Invoice date up to")] = None,
    search: Annotated[str | None, Query(description="In number, customer name and number")] = None,
    ordering: Annotated[
        str | None,
        Query(
            description="number, invoice_date, due_date, total, customer_name, status, created_at"
        ),
    ] = None,
) -> InvoiceFilters:
    return InvoiceFilters(
        status=status,
        customer=customer,
        store=store,
        date_from=date_from,
        date_to=date_to,
        search=search,
        ordering=ordering,
    )


@router.get("", summary="List invoices (filters, search, ordering, pages)")
async def list_invoices(
    _: AdminUser,
    invoices: InvoiceServiceDep,
    session: SessionDep,
    page: PageDep,
    filters: Annotated[InvoiceFilters, Depends(invoice_filters)],
) -> Page[InvoiceSummary]:
    count, rows = await paginate(session, invoices.listing(filters), page)
    return make_page(count, [InvoiceSummary.model_validate(row) for row in rows], page)


@router.post(
    "",
    status_code=201,
    summary="Create a draft invoice (or issue it at once with issue: true)",
    responses=described(
        r409="The booking is invoiced already", r422="Bad lines, unknown store or customer"
    ),
)
async def create_invoice(body: InvoiceIn, _: AdminUser, invoices: InvoiceServiceDep) -> InvoiceOut:
    return InvoiceOut.model_validate(await invoices.create(body))


@router.get(
    "/propose",
    summary="The number the next invoice of a store and year will get (not taken)",
    responses=described(r422="Unknown store"),
)
async def propose_number(
    _: AdminUser,
    invoices: InvoiceServiceDep,
    store: Annotated[uuid.UUID, Query(description="The issuing store")],
    invoice_date: Annotated[
        IsoDate | None, Query(description="Default: today at the store")
    ] = None,
) -> ProposedNumber:
    return await invoices.propose(store, invoice_date)


@router.get("/{invoice_id}", summary="Retrieve an invoice with its lines", responses=NOT_FOUND)
async def get_invoice(
    invoice_id: uuid.UUID, _: AdminUser, invoices: InvoiceServiceDep
) -> InvoiceOut:
    return InvoiceOut.model_validate(await invoices.get(invoice_id))


async def update_invoice(
    invoice_id: uuid.UUID, body: InvoiceUpdate, _: AdminUser, invoices: InvoiceServiceDep
) -> InvoiceOut:
    return InvoiceOut.model_validate(await invoices.update(invoice_id, body))


put_and_patch(
    router,
    "/{invoice_id}",
    update_invoice,
    summary="Edit an invoice (a draft: anything; issued: notes and due date only)",
    responses={
        **NOT_FOUND,
        **described(r409="Issued (lines fixed) or void", r422="Bad field, named"),
    },
    response_model=InvoiceOut,
)


@router.delete(
    "/{invoice_id}",
    status_code=204,
    summary="Delete a draft (an issued invoice is voided instead, never deleted)",
    responses={**NOT_FOUND, **described(r409="Issued: void it")},
)
async def delete_invoice(
    invoice_id: uuid.UUID, _: AdminUser, invoices: InvoiceServiceDep
) -> Response:
    await invoices.delete(invoice_id)
    return Response(status_code=204)


@router.post(
    "/{invoice_id}/issue",
    summary="Issue a draft: its gapless number, invoice date, due date and frozen snapshot; "
    "publishes invoicing.invoice.issued",
    responses={**NOT_FOUND, **described(r409="Not a draft", r422="No lines, or a bad due date")},
)
async def issue_invoice(
    invoice_id: uuid.UUID, _: AdminUser, invoices: InvoiceServiceDep
) -> InvoiceOut:
    return InvoiceOut.model_validate(await invoices.issue(invoice_id))
