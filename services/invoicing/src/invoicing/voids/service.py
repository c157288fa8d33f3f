"""Voiding and deleting invoices. A draft is deleted (it never had a number). An issued
invoice is never deleted: it is voided with a reason, its number stays used (and shows in
the sequence-integrity report), its payments are reversed, and ``invoicing.invoice.voided``
says so. ``void`` refuses a paid invoice (settled; reverse its payments first); ``force``
(force-delete, bulk-delete, a voided POS sale) reverses them and voids it anyway."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import Conflict, field_error
from common.money import ZERO
from common.roles import Principal
from invoicing.events.contracts import InvoiceVoided, ReversedPayment
from invoicing.events.outbox import outbox
from invoicing.invoices.models import Invoice
from invoicing.invoices.service import InvoiceService, status_of
from invoicing.invoices.states import InvoiceStatus, require_transition
from invoicing.payments.models import Payment
from invoicing.payments.service import PaymentService
from invoicing.voids.schemas import DeletePreview, Removal, Removed, ReversedPaymentOut

FORCE_HINT = "force-delete reverses its payments and voids it."


def reversed_out(payments: list[Payment]) -> list[ReversedPaymentOut]:
    return [
        ReversedPaymentOut(
            payment_id=payment.id,
            amount=payment.amount,
            method=payment.method,
            paid_on=payment.paid_on,
        )
        for payment in payments
    ]


class VoidService:
    def __init__(self, session: AsyncSession, actor: Principal) -> None:
        self.session = session
        self.actor = actor
        self.invoices = InvoiceService(session, actor)
        self.payments = PaymentService(session, actor)

    async def void(self, invoice_id: uuid.UUID, reason: str) -> Invoice:
        """Void an invoice that is not paid (a partly paid one's payments are reversed)."""
        invoice = await self.invoices.lock(invoice_id)
        status = status_of(invoice)
        hint = FORCE_HINT if status == InvoiceStatus.paid else ""
        if status == InvoiceStatus.draft:
            hint = "A draft is deleted instead."
        require_transition(invoice.label, status, InvoiceStatus.void, hint=hint)
        await self._void(invoice, reason)
        return invoice

    async def preview(self, invoice_id: uuid.UUID) -> DeletePreview:
        invoice = await self.invoices.get(invoice_id)
        action = self._action(invoice)
        payments = await self.payments.live_of(invoice) if action == Removal.voided else []
        return DeletePreview(
            invoice_id=invoice.id,
            number=invoice.number,
            status=status_of(invoice),
            action=action,
            reason_required=action == Removal.voided,
            explanation={
                Removal.deleted: "A draft has no number: it and its lines will be deleted.",
                Removal.voided: "Issued invoices are never deleted: it will be voided, its "
                "number stays used and its payments are reversed.",
                Removal.refused: "It is void already; nothing more can happen to it.",
            }[action],
            payments=reversed_out(payments),
            payments_total=sum((payment.amount for payment in payments), ZERO),
            lines=len(invoice.lines),
            documents=[],
        )

    async def force_delete(self, invoice_id: uuid.UUID, reason: str | None) -> Removed:
        invoice = await self.invoices.lock(invoice_id)
        return await self._force(invoice, reason)

    async def bulk_delete(self, invoice_ids: list[uuid.UUID], reason: str | None) -> list[Removed]:
        """All or nothing: the first invoice refused refuses the lot (the transaction rolls
        back every one removed before it)."""
        unique = list(dict.fromkeys(invoice_ids))
        invoices = await self.invoices.lock_many(unique)
        for invoice in invoices:
            self._check_force(invoice, reason)
        return [await self._force(invoice, reason) for invoice in invoices]

    async def void_sale(self, invoice: Invoice, reason: str) -> None:
        """A sale POS voided: its (locked) invoice voided by force; once only."""
        if invoice.status == InvoiceStatus.void:
            return
        await self._void(invoice, reason)

    # -- rules -----------------------------------------------------------------------------

    @staticmethod
    def _action(invoice: Invoice) -> Removal:
        if invoice.status == InvoiceStatus.draft:
            return Removal.deleted
        if invoice.status == InvoiceStatus.void:
            return Removal.refused
        return Removal.voided

    def _check_force(self, invoice: Invoice, reason: str | None) -> None:
        action = self._action(invoice)
        if action == Removal.refused:
            raise Conflict(
                f"Invoice {invoice.label} is void already ({invoice.void_reason}); nothing was "
                "changed."
            )
        if action == Removal.voided and not reason:
            raise field_error(
                "reason",
                f"invoice {invoice.label} is issued: it is voided, and a void needs a reason",
            )

    async def _force(self, invoice: Invoice, reason: str | None) -> Removed:
        self._check_force(invoice, reason)
        if self._action(invoice) == Removal.deleted:
            await self.invoices.delete_draft(invoice)
            return Removed(
                invoice_id=invoice.id, number=None, action=Removal.deleted, reversed_payments=[]
            )
        reversed_ = await self._void(invoice, reason or "")
        return Removed(
            invoice_id=invoice.id,
            number=invoice.number,
            action=Removal.voided,
            reversed_payments=reversed_out(reversed_),
        )

    async def _void(self, invoice: Invoice, reason: str) -> list[Payment]:
        now = datetime.now(UTC)
        reversed_ = await self.payments.reverse_all(invoice, reason=f"void: {reason}", at=now)
        await self.invoices.mark_void(invoice, reason, now)
        await outbox.publish(
            self.session,
            InvoiceVoided(
                invoice_id=invoice.id,
                number=invoice.number or "",
                store_id=invoice.store_id,
                currency=invoice.currency,
                total=invoice.total,
                reason=reason,
                source=invoice.source,
                source_id=invoice.source_id,
                reversed_payments=[
                    ReversedPayment(
                        payment_id=payment.id, amount=payment.amount, method=payment.method
                    )
                    for payment in reversed_
                ],
            ),
            actor=self.actor.user_id,
        )
        return reversed_
