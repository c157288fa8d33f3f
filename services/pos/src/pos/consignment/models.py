"""Consignment's tables, shared by its domains (consignees, agreements, consigned items,
payouts, the portal) and the sale path: a consignee's account, the versions of their
agreements, the units they brought in, the ledger of what the shop owes them (a share per
sold line, a negative adjustment per sale voided after its payout) and the payouts.

One leaf for all of them: closing an account reads the ledger, the ledger names the
agreement version, a payout gathers ledger rows — domains that need each other's tables
share them here instead of importing each other."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    text,
    true,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from common.db import MONEY, Timestamps
from pos.db import PERCENT, Base, text_enum


class ConsigneeStatus(StrEnum):
    active = "active"
    closed = "closed"


class AgreementStatus(StrEnum):
    active = "active"
    superseded = "superseded"  # an edit made a newer version
    ended = "ended"  # deleted: no new items under it


class ConsignedStatus(StrEnum):
    on_floor = "on_floor"
    sold = "sold"
    returned = "returned"  # given back to the consignee (deleted)


class EntryKind(StrEnum):
    share = "share"  # the consignee's share of a sold line
    adjustment = "adjustment"  # a share taken back: the sale was voided after its payout


class EntryStatus(StrEnum):
    owed = "owed"
    cancelled = "cancelled"  # the sale was voided before any payout took it


class PayoutStatus(StrEnum):
    pending = "pending"  # generated, to be paid
    paid = "paid"  # immutable
    carried_forward = "carried_forward"  # below the minimum payout: its lines wait


class Consignee(Timestamps, Base):
    """A consignee's account in a store; ``user_id`` is auth's user (the portal's login)."""

    __tablename__ = "consignees"
    __table_args__ = (CheckConstraint("status IN ('active', 'closed')", name="status_known"),)

    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    store_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stores.id"), index=True)
    first_name: Mapped[str] = mapped_column(String(150), default="")
    last_name: Mapped[str] = mapped_column(String(150), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ConsigneeStatus] = mapped_column(
        text_enum(ConsigneeStatus, 10), default=ConsigneeStatus.active
    )
    # the profile above and this flag follow auth's ``auth.user.*`` events; ``synced_at`` is
    # the time of the last one applied (null: none yet, the first one wins)
    user_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    synced_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Agreement(Timestamps, Base):
    """One version of a consignee's agreement. ``number`` is shared by every version of the
    same agreement; an edit of an active version writes version + 1 and supersedes it."""

    __tablename__ = "consignment_agreements"
    __table_args__ = (
        UniqueConstraint("number", "version", name="uq_consignment_agreements_number_version"),
        CheckConstraint("status IN ('active', 'superseded', 'ended')", name="status_known"),
        CheckConstraint("share_percent BETWEEN 0 AND 100", name="share_in_range"),
        CheckConstraint("expires_on IS NULL OR expires_on >= starts_on", name="term_ordered"),
        CheckConstraint("minimum_payout >= 0 AND fee_per_item >= 0", name="money_not_negative"),
        # one current version per agreement
        Index(
            "uq_consignment_agreements_current",
            "number",
            unique=True,
            postgresql_where=text("status = 'active'"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    number: Mapped[uuid.UUID] = mapped_column(Uuid)
    version: Mapped[int] = mapped_column(Integer, default=1)
    consignee_id: Mapped[str] = mapped_column(ForeignKey("consignees.user_id"), index=True)
    store_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    status: Mapped[AgreementStatus] = mapped_column(
        text_enum(AgreementStatus, 12), default=AgreementStatus.active
    )
    share_percent: Mapped[Decimal] = mapped_column(PERCENT)  # flat share (no tiers)
    tiers: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    category_shares: Mapped[dict[str, str]] = mapped_column(JSONB, default=dict)
    starts_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date)
    minimum_payout: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"))
    fee_per_item: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"))
    notes: Mapped[str] = mapped_column(Text, default="")
    supersedes_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)


class ConsignedItem(Timestamps, Base):
    """A unit item of inventory's that a consignee owns, taken in under one agreement version."""

    __tablename__ = "consigned_items"
    __table_args__ = (
        UniqueConstraint("item_id", name="uq_consigned_items_item_id"),
        UniqueConstraint("idempotency_key", name="uq_consigned_items_idempotency_key"),
        CheckConstraint("status IN ('on_floor', 'sold', 'returned')", name="status_known"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    item_id: Mapped[uuid.UUID] = mapped_column(Uuid)  # inventory's unit (sellable_items.id)
    agreement_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("consignment_agreements.id"))
    consignee_id: Mapped[str] = mapped_column(ForeignKey("consignees.user_id"), index=True)
    store_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    sku: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(300))
    category: Mapped[str] = mapped_column(String(140), default="")
    list_price: Mapped[Decimal | None] = mapped_column(MONEY)
    status: Mapped[ConsignedStatus] = mapped_column(
        text_enum(ConsignedStatus, 10), default=ConsignedStatus.on_floor
    )
    sold_price: Mapped[Decimal | None] = mapped_column(MONEY)
    share_amount: Mapped[Decimal | None] = mapped_column(MONEY)
    sold_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # taken in with an Idempotency-Key: the key and the hash of the body it came with
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    request_hash: Mapped[str | None] = mapped_column(String(64))


class Payout(Timestamps, Base):
    """What the shop pays a consignee for a period: at most one per consignee and period."""

    __tablename__ = "consignment_payouts"
    __table_args__ = (
        UniqueConstraint(
            "consignee_id", "period_start", "period_end", name="uq_consignment_payouts_period"
        ),
        CheckConstraint("status IN ('pending', 'paid', 'carried_forward')", name="status_known"),
        CheckConstraint("period_end >= period_start", name="period_ordered"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    consignee_id: Mapped[str] = mapped_column(ForeignKey("consignees.user_id"), index=True)
    store_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    status: Mapped[PayoutStatus] = mapped_column(
        text_enum(PayoutStatus, 16), default=PayoutStatus.pending
    )
    shares_total: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"))
    adjustments_total: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"))
    amount: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"))
    line_count: Mapped[int] = mapped_column(Integer, default=0)
    minimum_payout: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"))
    method: Mapped[str | None] = mapped_column(String(40))
    reference: Mapped[str | None] = mapped_column(String(200))
    paid_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    paid_by: Mapped[str | None] = mapped_column(String(64))
    notes: Mapped[str] = mapped_column(Text, default="")


class LedgerEntry(Base):
    """What the shop owes a consignee for one sale line (a share, computed at the sale with the
    item's agreement version and never recomputed), or takes back (a negative adjustment).
    ``payout_id`` is the payout that took it; none yet: it is owed now."""

    __tablename__ = "consignment_ledger"
    __table_args__ = (
        CheckConstraint("kind IN ('share', 'adjustment')", name="kind_known"),
        CheckConstraint("status IN ('owed', 'cancelled')", name="status_known"),
        UniqueConstraint("sale_id", "line_no", "kind", name="uq_consignment_ledger_sale_line"),
        Index(
            "ix_consignment_ledger_open",
            "consignee_id",
            "occurred_at",
            postgresql_where=text("payout_id IS NULL AND status = 'owed'"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    kind: Mapped[EntryKind] = mapped_column(text_enum(EntryKind, 12))
    status: Mapped[EntryStatus] = mapped_column(
        text_enum(EntryStatus, 10), default=EntryStatus.owed
    )
    consignee_id: Mapped[str] = mapped_column(ForeignKey("consignees.user_id"), index=True)
    consigned_item_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("consigned_items.id"))
    agreement_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("consignment_agreements.id"))
    sale_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    receipt_number: Mapped[str] = mapped_column(String(40))
    price: Mapped[Decimal] = mapped_column(MONEY)  # the line's price before discounts
    discount: Mapped[Decimal] = mapped_column(MONEY)  # line and cart discount on it
    share_percent: Mapped[Decimal] = mapped_column(PERCENT)
    fee: Mapped[Decimal] = mapped_column(MONEY)
    amount: Mapped[Decimal] = mapped_column(MONEY)  # owed (share), or negative (adjustment)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    payout_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("consignment_payouts.id"), index=True
    )
