"""The rules of payments: only an issued (or partly paid, or overdue) invoice takes one, in
its own currency, never more than it still owes; every create, update and delete rewrites
the invoice's paid amount and status in the same transaction (the invoice row is locked
first, so two payments on one invoice never race) and is an event. ``Idempotency-Key`` on
create: the same key with the same body gives the same payment; another body, 422."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import Conflict, NotFound, Unprocessable, field_error
from common.idempotency import request_hash
from common.money import to_wire
from common.roles import Principal
from common.scope import check_store
from common.updates import changes
from invoicing.events.contracts import PaymentChanged
from invoicing.events.outbox import outbox
from invoicing.invoices.models import Invoice
from invoicing.invoices.service import InvoiceService, status_of
from invoicing.invoices.states import PAYABLE, InvoiceStatus
from invoicing.payments.models import Payment, PaymentMethod
from invoicing.payments.repository import PaymentRepository
from invoicing.payments.schemas import MarkPaid, PaymentFilters, PaymentIn, PaymentUpdate
from invoicing.stores.clock import local_date
from invoicing.stores.service import StoreService


class PaymentService:
    def __init__(self, session: AsyncSession, actor: Principal) -> None:
        self.session = session
        self.actor = actor
        self.payments = PaymentRepository(session)
        self.invoices = InvoiceService(session, actor)
        self.stores = StoreService(session)

    # -- reading ---------------------------------------------------------------------------

    def listing(self, filters: PaymentFilters) -> Select[Any]:
        return self.payments.listing(filters)

    async def get(self, payment_id: uuid.UUID) -> Payment:
        payment = await self.payments.get(payment_id)
        if payment is None:
            raise NotFound(f"Payment {payment_id} not found.")
        check_store(self.actor, payment.store_id)
        return payment

    # -- writing ---------------------------------------------------------------------------

    async def create(self, body: PaymentIn, idempotency_key: str | None) -> tuple[Payment, bool]:
        """(the payment, whether it is new; False: a replay of the same request)."""
        invoice = await self.invoices.lock(body.invoice_id, field="invoice_id")
        digest = request_hash(body)
        if idempotency_key is not None:
            earlier = await self.payments.by_key(idempotency_key)
            if earlier is not None:
                if earlier.request_hash != digest:
                    raise Unprocessable(
                        f"Idempotency-Key {idempotency_key!r} was used for payment {earlier.id} "
                        "with a different body; use a new key for a new payment."
                    )
                return earlier, False
        self._check_payable(invoice)
        self._check_currency(invoice, body.currency)
        self._check_within_balance(invoice, body.amount, already=Decimal(0))
        payment = Payment(
            invoice_id=invoice.id,
            invoice_number=invoice.number,
            store_id=invoice.store_id,
            amount=body.amount,
            currency=invoice.currency,
            method=body.method,
            paid_on=body.paid_on or await self._store_today(invoice),
            reference=body.reference,
            recorded_by=self.actor.user_id,
            idempotency_key=idempotency_key,
            request_hash=digest if idempotency_key else None,
        )
        try:
            await self.payments.add(payment)
        except IntegrityError as exc:
            raise Conflict(
                f"A request with Idempotency-Key {idempotency_key!r} is in flight; retry it "
                "to get its payment."
            ) from exc
        await self._recalculate(invoice, payment, "invoicing.payment.recorded", [])
        return payment, True

    async def record_tenders(
        self,
        invoice: Invoice,
        tenders: list[tuple[PaymentMethod, Decimal]],
        *,
        paid_on: date,
        reference: str,
        at: datetime,
    ) -> list[Payment]:
        """The tenders taken at the register, on the sale's invoice (issued in this
        transaction), written together; the invoice settled once. Announce them with
        ``announce_recorded`` after the invoice's issue."""
        self._check_payable(invoice)
        self._check_within_balance(
            invoice, sum((amount for _, amount in tenders), Decimal(0)), already=Decimal(0)
        )
        payments = [
            Payment(
                id=uuid.uuid4(),
                invoice_id=invoice.id,
                invoice_number=invoice.number,
                store_id=invoice.store_id,
                amount=amount,
                currency=invoice.currency,
                method=method,
                paid_on=paid_on,
                reference=reference,
                recorded_by=self.actor.user_id,
            )
            for method, amount in tenders
        ]
        await self.payments.write(payments)
        paid = invoice.paid_amount + sum((payment.amount for payment in payments), Decimal(0))
        await self.invoices.settle(invoice, paid, at, read_back=False)
        return payments

    async def announce_recorded(self, invoice: Invoice, payments: list[Payment]) -> None:
        """``invoicing.payment.recorded`` for payments written together: each carries the
        invoice's balance and status after all of them (no one can see it in between)."""
        for payment in payments:
            await self._announce(invoice, payment, "invoicing.payment.recorded", [])

    async def mark_as_paid(self, invoice_id: uuid.UUID, body: MarkPaid) -> Payment:
        """A payment of whatever the invoice still owes."""
        invoice = await self.invoices.lock(invoice_id)
        self._check_payable(invoice)
        if invoice.balance <= 0:
            raise Conflict(f"Invoice {invoice.label} owes nothing; there is nothing to mark paid.")
        payment = await self.payments.add(
            Payment(
                invoice_id=invoice.id,
                invoice_number=invoice.number,
                store_id=invoice.store_id,
                amount=invoice.balance,
                currency=invoice.currency,
                method=body.method,
                paid_on=body.paid_on or await self._store_today(invoice),
                reference=body.reference,
                recorded_by=self.actor.user_id,
            )
        )
        await self._recalculate(invoice, payment, "invoicing.payment.recorded", [])
        return payment

    async def update(self, payment_id: uuid.UUID, body: PaymentUpdate) -> Payment:
        invoice, payment = await self._locked(payment_id)
        sent = changes(body)
        self._check_currency(invoice, sent.pop("currency", None))
        if "amount" in sent:
            self._check_within_balance(invoice, sent["amount"], already=payment.amount)
        changed = sorted(field for field, value in sent.items() if getattr(payment, field) != value)
        for field in changed:
            setattr(payment, field, sent[field])
        if not changed:
            return payment
        await self.payments.save(payment)
        await self._recalculate(invoice, payment, "invoicing.payment.updated", changed)
        return payment

    async def delete(self, payment_id: uuid.UUID) -> None:
        invoice, payment = await self._locked(payment_id)
        await self.payments.delete(payment)
        await self._recalculate(invoice, payment, "invoicing.payment.deleted", [])

    async def reverse_all(self, invoice: Invoice, *, reason: str, at: datetime) -> list[Payment]:
        """Every live payment of the (locked) invoice reversed, for its void: kept on record,
        no longer counted; the invoice owes nothing and has been paid nothing."""
        reversed_ = await self.payments.reverse_all(
            invoice.id, at=at, on=await self._store_today(invoice, at), reason=reason
        )
        await self.invoices.settle(invoice, await self.payments.paid_towards(invoice.id), at)
        return reversed_

    async def live_of(self, invoice: Invoice) -> list[Payment]:
        return await self.payments.live_of(invoice.id)

    # -- rules -----------------------------------------------------------------------------

    async def _locked(self, payment_id: uuid.UUID) -> tuple[Invoice, Payment]:
        """The invoice locked first, then its payment (always in that order: no deadlock)."""
        found = await self.get(payment_id)
        invoice = await self.invoices.lock(found.invoice_id)
        payment = await self.payments.get(payment_id, lock=True)
        if payment is None:
            raise NotFound(f"Payment {payment_id} not found.")
        if payment.reversed_at is not None:
            raise Conflict(
                f"Payment {payment.id} was reversed when invoice {invoice.label} was voided "
                f"({payment.reversal_reason}); it no longer changes."
            )
        return invoice, payment

    async def _recalculate(
        self, invoice: Invoice, payment: Payment, subject: str, changed: list[str]
    ) -> None:
        now = datetime.now(UTC)
        await self.invoices.settle(invoice, await self.payments.paid_towards(invoice.id), now)
        await self._announce(invoice, payment, subject, changed)

    async def _announce(
        self, invoice: Invoice, payment: Payment, subject: str, changed: list[str]
    ) -> None:
        await outbox.publish(
            self.session,
            PaymentChanged(
                payment_id=payment.id,
                invoice_id=invoice.id,
                invoice_number=payment.invoice_number,
                store_id=invoice.store_id,
                source=invoice.source,
                source_id=invoice.source_id,
                amount=payment.amount,
                currency=payment.currency,
                method=payment.method,
                paid_on=payment.paid_on,
                balance_after=invoice.balance,
                status_after=status_of(invoice),
                changed=changed,
            ),
            subject=subject,
            actor=self.actor.user_id,
        )

    @staticmethod
    def _check_payable(invoice: Invoice) -> None:
        status = status_of(invoice)
        if status in PAYABLE or status == InvoiceStatus.paid:
            return  # a paid invoice is refused by the balance check, naming the balance
        raise Conflict(
            f"Invoice {invoice.label} is {status}; a payment needs it "
            f"{', '.join(PAYABLE)} (a draft is issued first; a void one takes none)."
        )

    @staticmethod
    def _check_currency(invoice: Invoice, currency: str | None) -> None:
        if currency is not None and currency != invoice.currency:
            raise field_error(
                "currency", f"{currency} differs from invoice {invoice.label}'s {invoice.currency}"
            )

    @staticmethod
    def _check_within_balance(invoice: Invoice, amount: Decimal, *, already: Decimal) -> None:
        """Refuse an overpayment (``already``: what this payment counted before a change)."""
        outstanding = invoice.balance + already
        if amount > outstanding:
            raise field_error(
                "amount",
                f"{to_wire(amount, invoice.currency)} exceeds the outstanding balance of "
                f"{to_wire(outstanding, invoice.currency)} {invoice.currency} on invoice "
                f"{invoice.label}",
            )

    async def _store_today(self, invoice: Invoice, at: datetime | None = None) -> date:
        store = await self.stores.get(invoice.store_id)
        return local_date(at or datetime.now(UTC), store.time_zone if store else "UTC")
