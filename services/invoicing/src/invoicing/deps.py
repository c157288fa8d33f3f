"""Typed dependencies of invoicing's routes: its settings and the services, built per request."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header

from common.config import settings_of
from common.db import SessionDep
from common.security import CurrentUser
from invoicing.config import InvoicingSettings
from invoicing.documents.service import DocumentService
from invoicing.invoices.service import InvoiceService
from invoicing.payments.service import PaymentService
from invoicing.reports.service import ReportService
from invoicing.voids.service import VoidService

SettingsDep = Annotated[InvoicingSettings, Depends(settings_of(InvoicingSettings))]


def invoice_service(
    session: SessionDep, actor: CurrentUser, settings: SettingsDep
) -> InvoiceService:
    return InvoiceService(session, actor, terms_days=settings.payment_terms_days)


def payment_service(session: SessionDep, actor: CurrentUser) -> PaymentService:
    return PaymentService(session, actor)


def void_service(session: SessionDep, actor: CurrentUser) -> VoidService:
    return VoidService(session, actor)


def document_service(session: SessionDep, actor: CurrentUser) -> DocumentService:
    return DocumentService(session, actor)


def report_service(session: SessionDep, actor: CurrentUser) -> ReportService:
    return ReportService(session, actor)


InvoiceServiceDep = Annotated[InvoiceService, Depends(invoice_service)]
PaymentServiceDep = Annotated[PaymentService, Depends(payment_service)]
VoidServiceDep = Annotated[VoidService, Depends(void_service)]
DocumentServiceDep = Annotated[DocumentService, Depends(document_service)]
ReportServiceDep = Annotated[ReportService, Depends(report_service)]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=200,
        description="Same key + same body → the same payment; + another body → 422",
    ),
]
