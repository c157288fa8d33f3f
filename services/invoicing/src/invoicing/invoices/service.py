"""The rules of invoices: drafts change freely, issuing takes the gapless number and freezes
the snapshot, an issued invoice's lines never change (void and reissue), every issue is an
event. Payments and voids build on the methods at the bottom (``lock``, ``settle``,
``mark_void``), which hold the state machine's rules for them."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, inspect
from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import Conflict, NotFound, field_error
from common.money import minor_units, to_wire
from common.roles import Principal, Role
from common.scope import check_store
from common.updates import changes
from invoicing.customers.service import CustomerService
from invoicing.events.contracts import InvoiceChanged, InvoiceIssued
from invoicing.events.outbox import outbox
from invoicing.invoices.models import Invoice, InvoiceLine
from invoicing.invoices.repository import InvoiceRepository
from invoicing.invoices.schemas import (
    InvoiceFilters,
    InvoiceIn,
    InvoiceUpdate,
    LineIn,
    ProposedNumber,
)
from invoicing.invoices.snapshot import snapshot_of
from invoicing.invoices.states import InvoiceStatus, require_transition, settled_status
from invoicing.invoices.totals import Totals, invoice_totals
from invoicing.numbering.service import InvoiceNumbers
from invoicing.stores.clock import local_date
from invoicing.stores.models import Store
from invoicing.stores.service import StoreService

DEFAULT_TERMS_DAYS = 14
# Every amount of an invoice is stored as MONEY, NUMERIC(12,2).
LARGEST_AMOUNT = Decimal("9999999999.99")
# What an issued invoice may still change: neither changes a line or a total.
AFTER_ISSUE = frozenset({"notes", "due_date"})
SYSTEM = "invoicing"


def system_actor(user_id: str | None = None) -> Principal:
    """Who acts for an event (the user who caused it, when the event says)."""
    return Principal(user_id=user_id or SYSTEM, role=Role.system_admin)


def status_of(invoice: Invoice) -> InvoiceStatus:
    """The status as read (``overdue`` included) when the invoice was read from the database;
    the stored one for an invoice this transaction wrote without reading it back."""
    if "current_status" in inspect(invoice).unloaded:
        return InvoiceStatus(invoice.status)
    return InvoiceStatus(invoice.current_status)


def check_storable(totals: Totals, currency: str) -> None:
    """Refuse (422, naming the line) an invoice whose amounts no MONEY column holds, rather
    than fail at the database."""
    largest = to_wire(LARGEST_AMOUNT, currency)
    for index, amounts in enumerate(totals.lines):
        if amounts.gross > LARGEST_AMOUNT:
            raise field_error(
                f"lines.{index}",
                f"quantity x unit_price is {to_wire(amounts.gross, currency)} {currency}; "
                f"a line is at most {largest}",
            )
    if max(totals.subtotal, totals.total) > LARGEST_AMOUNT:
        raise field_error(
            "lines",
            f"the invoice comes to {to_wire(max(totals.subtotal, totals.total), currency)} "
            f"{currency}; an invoice is at most {largest}: split it into several",
        )


def check_currency(currency: str, field: str = "currency") -> None:
    if minor_units(currency) > 2:
        raise field_error(field, f"{currency} has {minor_units(currency)} decimals; amounts keep 2")


class InvoiceService:
    def __init__(
        self, session: AsyncSession, actor: Principal, *, terms_days: int = DEFAULT_TERMS_DAYS
    ) -> None:
        self.session = session
        self.actor = actor
        self.terms = timedelta(days=terms_days)
        self.invoices = InvoiceRepository(session)
        self.stores = StoreService(session)
        self.customers = CustomerService(session)

    # -- reading ---------------------------------------------------------------------------

    def listing(self, filters: InvoiceFilters) -> Select[Any]:
        return self.invoices.listing(filters)

    async def get(self, invoice_id: uuid.UUID) -> Invoice:
        invoice = await self.invoices.get(invoice_id)
        if invoice is None:
            raise NotFound(f"Invoice {invoice_id} not found.")
        check_store(self.actor, invoice.store_id)
        return invoice

    async def propose(self, store_id: uuid.UUID, invoice_date: date | None) -> ProposedNumber:
        store = await self.stores.to_act_on(self.actor, store_id, "store")
        day = invoice_date or local_date(datetime.now(UTC), store.time_zone)
        number = await InvoiceNumbers(self.session).propose(
            store_id=store.id, store_code=store.code, year=day.year
        )
        return ProposedNumber(
            store_id=store.id,
            invoice_date=day,
            year=number.year,
            sequence=number.sequence,
            number=number.text,
        )

    # -- drafts ----------------------------------------------------------------------------

    async def create(self, body: InvoiceIn) -> Invoice:
        store = await self.stores.to_act_on(self.actor, body.store_id, "store_id")
        check_currency(body.currency)
        if body.source_id is not None:
            await self._source_unused(body.source, body.source_id)
        invoice = Invoice(
            store_id=store.id,
            status=InvoiceStatus.draft,
            currency=body.currency,
            discount_percent=body.discount_percent,
            due_date=body.due_date,
            notes=body.notes,
            source=body.source,
            source_id=body.source_id,
            created_by=self.actor.user_id,
            lines=[],
        )
        await self._set_customer(invoice, body.customer_id, body.customer_name, body.customer_email)
        self._set_lines(invoice, body.lines)
        await self.invoices.add(invoice)
        await self._announce(invoice, "invoicing.invoice.drafted", [])
        if body.issue:
            return await self._issue(invoice, store, datetime.now(UTC))
        return invoice

    async def update(self, invoice_id: uuid.UUID, body: InvoiceUpdate) -> Invoice:
        invoice = await self.lock(invoice_id)
        sent = changes(body)
        status = status_of(invoice)
        if status == InvoiceStatus.void:
            raise Conflict(f"Invoice {invoice.label} is void; it can no longer change.")
        if status != InvoiceStatus.draft and set(sent) - AFTER_ISSUE:
            fixed = ", ".join(sorted(set(sent) - AFTER_ISSUE))
            raise Conflict(
                f"Invoice {invoice.label} is {status}: {fixed} cannot change once issued "
                "(void it and issue a new one); only notes and due_date may."
            )
        if "due_date" in sent and status != InvoiceStatus.draft:
            if body.due_date is None:
                raise field_error("due_date", "an issued invoice keeps a due date")
            self._check_due(invoice.invoice_date, body.due_date)
        for field in ("notes", "due_date", "discount_percent", "currency", "customer_email"):
            if field in sent:
                setattr(invoice, field, sent[field])
        if "currency" in sent:
            check_currency(invoice.currency)
        if {"customer_id", "customer_name"} & set(sent):
            # the customer sent replaces the old one: an id, or a walk-in's name
            await self._set_customer(
                invoice,
                sent.get("customer_id"),
                sent.get("customer_name"),
                sent.get("customer_email"),
            )
        if body.lines is not None:
            await self.invoices.clear_lines(invoice)
            self._set_lines(invoice, body.lines)
        elif {"discount_percent", "currency"} & set(sent):
            self._apply_totals(invoice)
        saved = await self.invoices.save(invoice)
        await self._announce(saved, "invoicing.invoice.updated", sorted(body.model_fields_set))
        return saved

    async def delete(self, invoice_id: uuid.UUID) -> None:
        """A draft goes; anything issued stays (its number is used): void it instead."""
        await self.delete_draft(await self.lock(invoice_id))

    async def _announce(self, invoice: Invoice, subject: str, changed: list[str]) -> None:
        event = InvoiceChanged(
            invoice_id=invoice.id,
            number=invoice.number,
            store_id=invoice.store_id,
            status=status_of(invoice),
            customer_id=invoice.customer_id,
            customer_name=invoice.customer_name,
            currency=invoice.currency,
            total=invoice.total,
            due_date=invoice.due_date,
            source=invoice.source,
            source_id=invoice.source_id,
            changed=changed,
        )
        await outbox.publish(self.session, event, subject=subject, actor=self.actor.user_id)

    # -- issuing ---------------------------------------------------------------------------

    async def issue(self, invoice_id: uuid.UUID) -> Invoice:
        invoice = await self.lock(invoice_id)
        store = await self.stores.get(invoice.store_id)
        if store is None:
            raise Conflict(f"Store {invoice.store_id} is unknown; stores come from catalog.")
        return await self._issue(invoice, store, datetime.now(UTC))

    async def issue_sale(
        self,
        *,
        store: Store,
        source_id: str,
        customer_number: str | None,
        currency: str,
        lines: list[LineIn],
        discount_percent: Decimal,
        at: datetime,
        notes: str,
    ) -> Invoice:
        """A POS sale's invoice, issued at the moment of the sale (its number in the sale's
        store and year, its date the store's day of the sale, due at once). Written without
        reading it back and not yet announced: the sale's tenders settle it first."""
        customer = await self.customers.by_number(customer_number) if customer_number else None
        invoice = Invoice(
            id=uuid.uuid4(),
            store_id=store.id,
            status=InvoiceStatus.draft,
            currency=currency,
            discount_percent=discount_percent,
            due_date=local_date(at, store.time_zone),
            notes=notes,
            source="pos_sale",
            source_id=source_id,
            created_by=self.actor.user_id,
            customer_id=customer.id if customer else None,
            customer_number=customer.customer_number if customer else customer_number,
            customer_name=customer.name if customer else (customer_number or "Walk-in customer"),
            customer_email=customer.email if customer else "",
            paid_amount=Decimal(0),
            lines=[],
        )
        self._set_lines(invoice, lines)
        await self._freeze(invoice, store, at)
        await self.invoices.write(invoice)
        return invoice

    async def _issue(self, invoice: Invoice, store: Store, at: datetime) -> Invoice:
        await self._freeze(invoice, store, at)
        await self.invoices.save(invoice)
        await self.announce_issued(invoice)
        return invoice

    async def _freeze(self, invoice: Invoice, store: Store, at: datetime) -> None:
        """Draft → issued: the dates, the next number of the store and year, the snapshot."""
        require_transition(invoice.label, status_of(invoice), InvoiceStatus.issued)
        if not invoice.lines:
            raise field_error("lines", "an invoice needs at least one line to be issued")
        invoice.invoice_date = local_date(at, store.time_zone)
        if invoice.due_date is None:
            invoice.due_date = invoice.invoice_date + self.terms
        self._check_due(invoice.invoice_date, invoice.due_date)
        number = await InvoiceNumbers(self.session).take(
            store_id=store.id, store_code=store.code, year=invoice.invoice_date.year
        )
        invoice.number, invoice.number_year, invoice.sequence = (
            number.text,
            number.year,
            number.sequence,
        )
        invoice.status = settled_status(invoice.total, invoice.paid_amount)
        if invoice.status == InvoiceStatus.paid:  # nothing to pay
            invoice.paid_at = at
        invoice.issued_at = at
        invoice.issued_by = self.actor.user_id
        self.invoices.freeze(invoice, snapshot_of(invoice, store))

    async def announce_issued(self, invoice: Invoice) -> None:
        if invoice.number is None or invoice.invoice_date is None or invoice.due_date is None:
            raise Conflict(f"Invoice {invoice.label} is not issued; there is nothing to announce.")
        await outbox.publish(
            self.session,
            InvoiceIssued(
                invoice_id=invoice.id,
                number=invoice.number,
                store_id=invoice.store_id,
                customer_id=invoice.customer_id,
                customer_number=invoice.customer_number,
                customer_name=invoice.customer_name,
                currency=invoice.currency,
                total=invoice.total,
                tax_total=invoice.tax_total,
                invoice_date=invoice.invoice_date,
                due_date=invoice.due_date,
                status=status_of(invoice),
                source=invoice.source,
                source_id=invoice.source_id,
            ),
            actor=self.actor.user_id,
        )

    # -- for payments and voids --------------------------------------------------------------

    async def lock(self, invoice_id: uuid.UUID, *, field: str | None = None) -> Invoice:
        """The invoice, locked for this transaction (404, or 422 naming ``field`` when the id
        came in a body)."""
        invoice = await self.invoices.get(invoice_id, lock=True)
        if invoice is None:
            if field is not None:
                raise field_error(field, f"no invoice {invoice_id}")
            raise NotFound(f"Invoice {invoice_id} not found.")
        check_store(self.actor, invoice.store_id)
        return invoice

    async def lock_many(self, invoice_ids: list[uuid.UUID]) -> list[Invoice]:
        found = {
            invoice.id: invoice for invoice in await self.invoices.many(invoice_ids, lock=True)
        }
        missing = [str(invoice_id) for invoice_id in invoice_ids if invoice_id not in found]
        if missing:
            raise NotFound(f"No invoice {', '.join(missing)}; nothing was changed.")
        for invoice in found.values():
            check_store(self.actor, invoice.store_id)
        return [found[invoice_id] for invoice_id in invoice_ids]

    async def snapshot(self, invoice: Invoice) -> dict[str, Any] | None:
        """The invoice as issued (None for a draft)."""
        return await self.invoices.snapshot(invoice.id)

    async def by_source(self, source: str, source_id: str) -> Invoice | None:
        return await self.invoices.by_source(source, source_id, lock=True)

    def require_draft(self, invoice: Invoice) -> None:
        if invoice.status != InvoiceStatus.draft:
            raise Conflict(
                f"Invoice {invoice.label} is {status_of(invoice)}: an issued invoice is never "
                "deleted (its number stays used); void it with a reason instead."
            )

    async def settle(
        self, invoice: Invoice, paid: Decimal, at: datetime, *, read_back: bool = True
    ) -> Invoice:
        """Write the paid amount its payments add up to, and the status that follows
        (``read_back=False``: not read again, for a sale written in one go)."""
        invoice.paid_amount = paid
        invoice.status = settled_status(invoice.total, paid)
        invoice.paid_at = at if invoice.status == InvoiceStatus.paid else None
        if read_back:
            return await self.invoices.save(invoice)
        await self.invoices.write(invoice)
        return invoice

    async def mark_void(self, invoice: Invoice, reason: str, at: datetime) -> Invoice:
        """The last step of a void (its payments already reversed, ``paid_amount`` zero)."""
        require_transition(invoice.label, status_of(invoice), InvoiceStatus.void)
        invoice.status = InvoiceStatus.void
        invoice.voided_at = at
        invoice.voided_by = self.actor.user_id
        invoice.void_reason = reason
        return await self.invoices.save(invoice)

    async def delete_draft(self, invoice: Invoice) -> None:
        self.require_draft(invoice)
        await self._announce(invoice, "invoicing.invoice.deleted", [])
        await self.invoices.delete(invoice)

    # -- helpers ---------------------------------------------------------------------------

    async def _source_unused(self, source: str, source_id: str) -> None:
        existing = await self.invoices.by_source(source, source_id)
        if existing is not None:
            raise Conflict(f"{source} {source_id} is invoiced already ({existing.label}).")

    async def _set_customer(
        self,
        invoice: Invoice,
        customer_id: str | None,
        customer_name: str | None,
        customer_email: str | None,
    ) -> None:
        if (customer_id is None) == (customer_name is None):
            raise field_error("customer_id", "give exactly one of customer_id and customer_name")
        if customer_id is not None:
            customer = await self.customers.to_invoice(customer_id, "customer_id")
            invoice.customer_id = customer.id
            invoice.customer_number = customer.customer_number
            invoice.customer_name = customer.name
            invoice.customer_email = customer_email or customer.email
        else:
            invoice.customer_id = None
            invoice.customer_number = None
            invoice.customer_name = customer_name or ""
            invoice.customer_email = customer_email or ""

    def _set_lines(self, invoice: Invoice, lines: list[LineIn]) -> None:
        for number, line in enumerate(lines, start=1):
            invoice.lines.append(
                InvoiceLine(
                    line_no=number,
                    description=line.description,
                    sku=line.sku,
                    quantity=line.quantity,
                    unit_price=line.unit_price,
                    discount_percent=line.discount_percent,
                    tax_rate=line.tax_rate,
                    gross=Decimal(0),
                    discount_amount=Decimal(0),
                    net=Decimal(0),
                )
            )
        self._apply_totals(invoice)

    @staticmethod
    def _apply_totals(invoice: Invoice) -> None:
        totals = invoice_totals(invoice.lines, invoice.discount_percent, invoice.currency)
        check_storable(totals, invoice.currency)
        for line, amounts in zip(invoice.lines, totals.lines, strict=True):
            line.gross, line.discount_amount, line.net = (
                amounts.gross,
                amounts.discount,
                amounts.net,
            )
        invoice.subtotal = totals.subtotal
        invoice.discount_total = totals.discount_total
        invoice.tax_total = totals.tax_total
        invoice.total = totals.total

    @staticmethod
    def _check_due(invoice_date: date | None, due_date: date) -> None:
        if invoice_date is not None and due_date < invoice_date:
            raise field_error("due_date", f"{due_date} is before the invoice date {invoice_date}")
