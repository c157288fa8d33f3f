"""An invoice's document on request: rendered from the snapshot frozen at issue (a draft's
from its current lines, marked DRAFT); a void invoice's is marked VOID. Nothing is stored."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import Conflict
from common.roles import Principal
from invoicing.documents.layout import document_of
from invoicing.invoices.service import InvoiceService
from invoicing.invoices.snapshot import snapshot_of
from invoicing.invoices.states import InvoiceStatus
from invoicing.stores.service import StoreService


class FileFormat(StrEnum):
    pdf = "pdf"
    docx = "docx"


MEDIA_TYPES = {
    FileFormat.pdf: "application/pdf",
    FileFormat.docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@dataclass(frozen=True)
class RenderedDocument:
    content: bytes
    media_type: str
    filename: str


class DocumentService:
    def __init__(self, session: AsyncSession, actor: Principal) -> None:
        self.invoices = InvoiceService(session, actor)
        self.stores = StoreService(session)

    async def render(self, invoice_id: uuid.UUID, file_format: FileFormat) -> RenderedDocument:
        invoice = await self.invoices.get(invoice_id)
        draft = invoice.status == InvoiceStatus.draft
        snapshot = None if draft else await self.invoices.snapshot(invoice)
        if draft:
            store = await self.stores.get(invoice.store_id)
            if store is None:
                raise Conflict(f"Store {invoice.store_id} is unknown; stores come from catalog.")
            snapshot = snapshot_of(invoice, store)
        if snapshot is None:  # issued before snapshots existed: cannot happen in this schema
            raise Conflict(f"Invoice {invoice.label} has no snapshot to print.")
        document = document_of(
            snapshot,
            void_reason=invoice.void_reason if invoice.status == InvoiceStatus.void else None,
            draft=draft,
        )
        # fpdf2 and python-docx (~50 MiB) are imported at the first download, not at start-up.
        if file_format == FileFormat.pdf:
            from invoicing.documents.pdf import render_pdf

            content = render_pdf(document)
        else:
            from invoicing.documents.word import render_docx

            content = render_docx(document)
        name = invoice.number or f"draft-{invoice.id}"
        return RenderedDocument(content, MEDIA_TYPES[file_format], f"{name}.{file_format}")
