"""POS's event contracts: what it publishes (``PUBLISHED``), and its own trimmed copies of
what it reads from auth, catalog and inventory (docs/events.md).

Published: one ``pos.item.sold`` per sale line (the contract inventory consumes),
``pos.sale.completed`` with the whole sale (invoicing), ``pos.sale.voided``, and the
drawer's ``pos.drawer.opened|closed``. Money travels as a string with two decimals, a
quantity as a whole number when it is one (``"3"``) and with its three decimals otherwise
(``"1.250"``), a tax rate as its fraction (``"0.0875"``), an instant as ISO-8601 with its
offset (``2026-11-29T15:12:00+00:00``).

Consumed: each copy holds only the fields POS reads, and is lenient exactly where POS
always was: optional fields may be missing or ``null`` (the handler falls back to a
default), an empty price is no price. A payload missing what POS cannot do without (an
id, a SKU, a store) does not validate and is dead-lettered at once."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BeforeValidator, Field, PlainSerializer

from common.events.contracts import Consumed, Published
from common.money import Amount, Percent, Quantity, decimal_type, quantity_wire

# -- wire types --------------------------------------------------------------------------------

WireQuantity = Annotated[
    Quantity, PlainSerializer(quantity_wire, return_type=str, when_used="json")
]
if TYPE_CHECKING:
    TaxRate = Decimal
else:  # a fraction: four decimals on the wire ("0.0875")
    TaxRate = decimal_type(places=4, integer_digits=3, what="tax rate", example="0.0875")
Instant = Annotated[
    datetime, PlainSerializer(lambda value: value.isoformat(), return_type=str, when_used="json")
]


def _blank_is_none(value: Any) -> Any:
    return None if value == "" else value


def _falsy_is_none(value: Any) -> Any:
    return value or None


def _text(value: Any) -> str | None:
    """Any JSON scalar as text; an empty or missing one as None (the handler's default)."""
    return str(value) if value else None


# A price another service may send as a string, a number, "" or null (no price).
OptionalPrice = Annotated[Amount | None, BeforeValidator(_blank_is_none)]
# An id that may be missing, null or "".
OptionalId = Annotated[uuid.UUID | None, BeforeValidator(_falsy_is_none)]
# Free text kept as it came (an oversold report is recorded, never refused).
LooseText = Annotated[str | None, BeforeValidator(_text)]


# -- published ---------------------------------------------------------------------------------


class ItemSold(Published, subjects=("pos.item.sold",)):
    """One line of a completed sale: inventory marks the unit sold or issues the quantity."""

    sale_id: uuid.UUID
    line_id: str = Field(description="The line's number in the sale")
    receipt_number: str
    store_id: uuid.UUID
    sku: str
    kind: Literal["unit", "quantity"]
    item_id: uuid.UUID | None = Field(description="inventory's unit, for a unit line")
    quantity: WireQuantity
    unit_price: Amount
    location_id: uuid.UUID | None = Field(description="Always null: the store's default")


class SaleLine(Published):
    line_id: str
    kind: Literal["unit", "quantity"]
    sku: str
    name: str
    item_id: uuid.UUID | None
    article_id: uuid.UUID | None
    quantity: WireQuantity
    unit_price: Amount
    discount_percent: Percent
    discount_amount: Amount
    line_total: Amount


class SalePayment(Published):
    method: Literal["cash", "card"]
    amount: Amount
    tendered: Amount | None = Field(description="The cash handed over (cash only)")


class SaleCompleted(Published, subjects=("pos.sale.completed",)):
    """The whole sale, for invoicing and reports: lines, totals, payments, customer."""

    sale_id: uuid.UUID
    receipt_number: str
    store_id: uuid.UUID
    register_id: uuid.UUID
    drawer_id: uuid.UUID
    cashier_id: str
    customer_number: str | None
    currency: str
    lines: list[SaleLine]
    subtotal: Amount
    discount_percent: Percent
    discount_total: Amount
    tax_rate: TaxRate = Field(description="A fraction: 0.0875 is 8.75 %")
    tax_total: Amount
    total: Amount
    payments: list[SalePayment]
    change_due: Amount | None
    completed_at: Instant | None


class SaleVoided(Published, subjects=("pos.sale.voided",)):
    """A completed sale taken back: inventory reverses its ledger rows, units back on sale."""

    sale_id: uuid.UUID
    receipt_number: str | None
    store_id: uuid.UUID
    reason: str | None
    total: Amount
    refund_cash: Amount | None
    refund_card: Amount | None
    items: list[uuid.UUID] = Field(description="The sale's unit items")


class DrawerChanged(Published, subjects=("pos.drawer.opened", "pos.drawer.closed")):
    """A drawer opened with its count, or closed with expected, counted and variance.

    A handoff is a close followed by an open on the same register."""

    drawer_id: uuid.UUID
    register_id: uuid.UUID
    store_id: uuid.UUID
    cashier_id: str
    status: Literal["open", "closed"]
    opening_amount: Amount
    expected_amount: Amount | None
    counted_amount: Amount | None
    variance: Amount | None
    opened_at: Instant | None
    closed_at: Instant | None


class ConsigneeChanged(
    Published,
    subjects=(
        "pos.consignment.account.created",
        "pos.consignment.account.updated",
        "pos.consignment.account.closed",
    ),
):
    """A consignee's account in POS: opened, edited (its notes by a PATCH, or its profile and
    user flag by auth's ``auth.user.*`` events), or closed (soft: status ``closed``)."""

    user_id: str = Field(description="auth's user id of the consignee")
    store_id: uuid.UUID
    first_name: str
    last_name: str
    email: str
    phone: str
    status: Literal["active", "closed"]
    user_active: bool = Field(description="Whether the user is active in auth")
    changed: list[str] | None = Field(
        default=None, description="account.updated: the fields that changed; else null"
    )


class AgreementChanged(
    Published,
    subjects=(
        "pos.consignment.agreement.created",
        "pos.consignment.agreement.versioned",
        "pos.consignment.agreement.updated",
        "pos.consignment.agreement.ended",
    ),
):
    """A version of a consignment agreement: the first, a new version after an edit of an
    active one (``supersedes_id`` the previous), or ended."""

    agreement_id: uuid.UUID = Field(description="This version's id")
    number: uuid.UUID = Field(description="The agreement, shared by all its versions")
    version: int
    consignee_id: str
    store_id: uuid.UUID
    status: Literal["active", "superseded", "ended"]
    share_percent: Percent
    starts_on: str = Field(description="YYYY-MM-DD")
    expires_on: str | None = Field(description="YYYY-MM-DD, or null: no expiry")
    minimum_payout: Amount
    fee_per_item: Amount
    supersedes_id: uuid.UUID | None


class ConsignedItemChanged(
    Published,
    subjects=(
        "pos.consignment.item.created",
        "pos.consignment.item.updated",
        "pos.consignment.item.returned",
    ),
):
    """A unit item taken in on consignment (or edited, or given back to its consignee)."""

    consigned_item_id: uuid.UUID
    item_id: uuid.UUID = Field(description="inventory's unit")
    agreement_id: uuid.UUID
    consignee_id: str
    store_id: uuid.UUID
    sku: str
    list_price: Amount | None
    status: Literal["on_floor", "sold", "returned"]


class ConsignedItemSold(
    Published, subjects=("pos.consignment.item.sold", "pos.consignment.item.sale_voided")
):
    """A consigned unit sold at the register, with the consignee's share as stored on the
    sale line (same transaction as the sale); ``sale_voided``: the sale was taken back —
    ``adjustment`` is the negative amount carried into the next payout when a payout had
    already taken the share (else null: the share was cancelled)."""

    consigned_item_id: uuid.UUID
    item_id: uuid.UUID
    consignee_id: str
    agreement_id: uuid.UUID
    sale_id: uuid.UUID
    receipt_number: str
    line_id: str
    price: Amount
    discount: Amount
    share_percent: Percent
    fee: Amount
    amount_owed: Amount
    adjustment: Amount | None


class PayoutChanged(
    Published,
    subjects=(
        "pos.consignment.payout.generated",
        "pos.consignment.payout.updated",
        "pos.consignment.payout.paid",
        "pos.consignment.payout.deleted",
    ),
):
    """A consignee's payout for a period: generated (``pending``, or ``carried_forward``
    below the minimum payout), its notes edited, paid (method and reference), or deleted
    (a pending one: its lines are owed again)."""

    payout_id: uuid.UUID
    consignee_id: str
    store_id: uuid.UUID
    period_start: str = Field(description="YYYY-MM-DD")
    period_end: str = Field(description="YYYY-MM-DD")
    status: Literal["pending", "paid", "carried_forward"]
    shares_total: Amount
    adjustments_total: Amount
    amount: Amount
    line_count: int
    method: str | None
    reference: str | None
    paid_at: Instant | None


class StoreTaxChanged(Published, subjects=("pos.store.tax_rate_changed",)):
    """A store's POS tax rate set (the rest of the store is catalog's)."""

    store_id: uuid.UUID
    code: str
    old_tax_rate: TaxRate
    tax_rate: TaxRate


class RegisterChanged(
    Published, subjects=("pos.register.created", "pos.register.updated", "pos.register.deactivated")
):
    """A till created, changed (``changed`` names the fields) or deactivated (removing one
    is soft: its drawers and sales keep it)."""

    register_id: uuid.UUID
    store_id: uuid.UUID
    code: str
    name: str
    is_active: bool
    changed: list[str] = Field(description="The fields a change set; empty otherwise")


SAFE_SUBJECTS = {
    "drop": "pos.safe.cash_dropped",
    "draw": "pos.safe.cash_drawn",
    "return": "pos.safe.cash_returned",
    "audit": "pos.safe.audited",
    "bank_deposit": "pos.safe.bank_deposited",
    "change_pickup": "pos.safe.change_picked_up",
}


class SafeMoved(Published, subjects=tuple(SAFE_SUBJECTS.values())):
    """One movement of a store's safe, with the balance after it: a drawer's drop into it,
    cash drawn to or returned from a drawer, an audit by count (``amount`` is then the
    variance), a bank deposit out of it or a change pickup into it."""

    safe_transaction_id: int
    store_id: uuid.UUID
    kind: Literal["drop", "draw", "return", "audit", "bank_deposit", "change_pickup"]
    amount: Amount = Field(description="Signed: positive into the safe")
    balance_after: Amount
    counted_amount: Amount | None = Field(description="An audit's count")
    variance: Amount | None = Field(description="An audit's count less what was expected")
    drawer_id: uuid.UUID | None
    bank_transaction_id: uuid.UUID | None
    note: str
    at: Instant


class BankTransactionChanged(
    Published,
    subjects=(
        "pos.bank_transaction.created",
        "pos.bank_transaction.updated",
        "pos.bank_transaction.deleted",
        "pos.bank_transaction.completed",
    ),
):
    """A bank run (a deposit from the safe, a change pickup into it) planned, changed,
    deleted while pending, or completed (the safe moved in the same transaction)."""

    bank_transaction_id: uuid.UUID
    store_id: uuid.UUID
    kind: Literal["deposit", "change_pickup"]
    amount: Amount
    status: Literal["pending", "completed"]
    reference: str
    changed: list[str] = Field(description="The fields an update set; empty otherwise")
    completed_by: str | None
    completed_at: Instant | None


class RevenueGoalChanged(
    Published,
    subjects=("pos.revenue_goal.created", "pos.revenue_goal.updated", "pos.revenue_goal.deleted"),
):
    """What a store means to take on a day: set, changed or removed."""

    goal_id: uuid.UUID
    store_id: uuid.UUID
    day: date
    amount: Amount
    changed: list[str] = Field(description="The fields an update set; empty otherwise")


PUBLISHED: list[type[Published]] = [
    ItemSold,
    SaleCompleted,
    SaleVoided,
    DrawerChanged,
    AgreementChanged,
    BankTransactionChanged,
    ConsignedItemChanged,
    ConsignedItemSold,
    ConsigneeChanged,
    PayoutChanged,
    RegisterChanged,
    RevenueGoalChanged,
    SafeMoved,
    StoreTaxChanged,
]


# -- consumed: auth ----------------------------------------------------------------------------


class UserChanged(Consumed):
    """``auth.user.*``: a user with a customer number is a customer POS can sell to; a user
    with a consignee account keeps its profile and active flag in step."""

    user_id: str
    customer_number: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    phone: str | None = None
    is_active: bool | None = True


# -- consumed: catalog -------------------------------------------------------------------------


class StoreChanged(Consumed):
    """``catalog.store.*``: the stores registers belong to."""

    store_id: uuid.UUID
    code: str
    name: str
    address: str | None = None
    phone: str | None = None
    time_zone: str | None = None
    is_active: bool | None = True
    deleted: bool | None = False


class VariantChanged(Consumed):
    """``catalog.variant.*``: sold by quantity under its SKU."""

    variant_id: uuid.UUID
    sku: str
    name: str | None = None
    price: OptionalPrice = None
    currency: str | None = None
    is_active: bool | None = True


class SpareChanged(Consumed):
    """``catalog.spare.*``: sold by quantity under its part number. A payload without
    ``price`` leaves the known price as it is."""

    spare_id: uuid.UUID
    part_number: str
    name: str | None = None
    price: OptionalPrice = None
    currency: str | None = None


# -- consumed: inventory -----------------------------------------------------------------------


class ItemChanged(Consumed):
    """``inventory.item.created|updated|status_changed``: a unit and whether it is on sale."""

    item_id: uuid.UUID
    sku: str
    store_id: uuid.UUID
    name: str | None = None
    category: str | None = None
    brand: str | None = None
    condition: str | None = None
    price: OptionalPrice = None
    currency: str | None = None
    location_id: OptionalId = None
    status: str | None = None
    sellable: bool | None = False


class ItemOversold(Consumed):
    """``inventory.item.oversold``: a sale inventory could not honour, for the alerts."""

    store_id: OptionalId = None
    sale_id: LooseText = None
    receipt_number: LooseText = None
    sku: LooseText = None
    reason: LooseText = None
