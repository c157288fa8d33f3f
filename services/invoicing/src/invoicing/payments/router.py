"""/api/payments (seed 000 Invoicing: system_admin) and /api/invoices/{id}/mark-as-paid."""

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
from invoicing.deps import IdempotencyKey, PaymentServiceDep
from invoicing.payments.models import PaymentMethod
from invoicing.payments.schemas import (
    MarkPaid,
    PaymentFilters,
    PaymentIn,
    PaymentOut,
    PaymentUpdate,
)

router = APIRouter(prefix="/api/payments", tags=["payments"])
invoice_router = APIRouter(prefix="/api/invoices", tags=["invoices"])
NOT_FOUND = described(r404="No such payment")
CHANGING = described(
    r409="The invoice is a draft or void, or the payment was reversed",
    r422="Overpayment (names the outstanding balance), another currency, a bad field",
)


def payment_filters(
    invoice: Annotated[uuid.UUID | None, Query()] = None,
    store: Annotated[uuid.UUID | None, Query()] = None,
    method: Annotated[PaymentMethod | None, Query()] = None,
    date_from: Annotated[IsoDate | None, Query(description="Paid on or after")] = None,
    date_to: Annotated[IsoDate | None, Query(description="Paid on or before")] = None,
    search: Annotated[str | None, Query(description="In reference and invoice number")] = None,
    ordering: Annotated[
        str | None, Query(description="paid_on, amount, method, created_at")
    ] = None,
) -> PaymentFilters:
    return PaymentFilters(
        invoice=invoice,
        store=store,
        method=method,
        date_from=date_from,
        date_to=date_to,
        search=search,
        ordering=ordering,
    )


@router.get("", summary="List payments (filters, search, ordering, pages)")
async def list_payments(
    _: AdminUser,
    payments: PaymentServiceDep,
    session: SessionDep,
    page: PageDep,
    filters: Annotated[PaymentFilters, Depends(payment_filters)],
) -> Page[PaymentOut]:
    count, rows = await paginate(session, payments.listing(filters), page)
    return make_page(count, [PaymentOut.model_validate(row) for row in rows], page)


@router.post(
    "",
    status_code=201,
    summary="Record a payment: the invoice's paid amount and status follow; publishes "
    "invoicing.payment.recorded",
    responses=CHANGING,
)
async def create_payment(
    body: PaymentIn,
    _: AdminUser,
    payments: PaymentServiceDep,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> PaymentOut:
    payment, created = await payments.create(body, idempotency_key)
    if not created:
        response.headers["Idempotent-Replayed"] = "true"
    return PaymentOut.model_validate(payment)


@router.get("/{payment_id}", summary="Retrieve a payment", responses=NOT_FOUND)
async def get_payment(
    payment_id: uuid.UUID, _: AdminUser, payments: PaymentServiceDep
) -> PaymentOut:
    return PaymentOut.model_validate(await payments.get(payment_id))


async def update_payment(
    payment_id: uuid.UUID, body: PaymentUpdate, _: AdminUser, payments: PaymentServiceDep
) -> PaymentOut:
    return PaymentOut.model_validate(await payments.update(payment_id, body))


put_and_patch(
    router,
    "/{payment_id}",
    update_payment,
    summary="Change a payment: the invoice's paid amount and status follow; publishes "
    "invoicing.payment.updated",
    responses={**NOT_FOUND, **CHANGING},
    response_model=PaymentOut,
)


@router.delete(
    "/{payment_id}",
    status_code=204,
    summary="Delete a payment: the invoice's paid amount and status follow; publishes "
    "invoicing.payment.deleted",
    responses={**NOT_FOUND, **described(r409="Reversed by a void")},
)
async def delete_payment(
    payment_id: uuid.UUID, _: AdminUser, payments: PaymentServiceDep
) -> Response:
    await payments.delete(payment_id)
    return Response(status_code=204)


@invoice_router.post(
    "/{invoice_id}/mark-as-paid",
    status_code=201,
    summary="Record a payment of the outstanding balance (the invoice becomes paid)",
    responses={**described(r404="No such invoice", r409="Draft, void, or nothing owed")},
)
async def mark_as_paid(
    invoice_id: uuid.UUID, body: MarkPaid, _: AdminUser, payments: PaymentServiceDep
) -> PaymentOut:
    return PaymentOut.model_validate(await payments.mark_as_paid(invoice_id, body))
