"""Approval tables: templates (who must sign an object of a type), flows (one object's
signatures being collected) and signatures."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    String,
    Text,
    Uuid,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from common.db import MONEY, Timestamps
from inventory.db import Base


class FlowStatus(StrEnum):
    pending = "pending"
    approved = "approved"
    rejected = "rejected"
    cancelled = "cancelled"


class ApprovalTemplate(Timestamps, Base):
    """Who must sign an object of a type: signer slots (a role or a named user), in order or
    not, how many signatures, and amount thresholds that raise that number."""

    __tablename__ = "approval_templates"
    __table_args__ = (CheckConstraint("min_signatures >= 1", name="needs_a_signature"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(200))
    object_type: Mapped[str] = mapped_column(String(40), index=True)
    min_amount: Mapped[Decimal | None] = mapped_column(MONEY)
    signers: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    ordered: Mapped[bool] = mapped_column(Boolean, default=False)
    min_signatures: Mapped[int] = mapped_column(Integer, default=1)
    thresholds: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)


class ApprovalFlow(Base):
    __tablename__ = "approval_flows"
    __table_args__ = (
        CheckConstraint(
            "status IN ('pending', 'approved', 'rejected', 'cancelled')", name="status_known"
        ),
        Index(
            "uq_approval_flows_one_pending",
            "object_type",
            "object_id",
            unique=True,
            postgresql_where=text("status = 'pending'"),
        ),
        Index("ix_approval_flows_object", "object_type", "object_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    template_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("approval_templates.id", ondelete="SET NULL")
    )
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str] = mapped_column(String(64))
    amount: Mapped[Decimal | None] = mapped_column(MONEY)
    requester_id: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(12), default="pending")
    signers: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    ordered: Mapped[bool] = mapped_column(Boolean, default=False)
    required_signatures: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    rejected_by: Mapped[str | None] = mapped_column(String(64))
    rejection_reason: Mapped[str] = mapped_column(Text, default="")

    signatures: Mapped[list[ApprovalSignature]] = relationship(
        lazy="selectin", order_by="ApprovalSignature.id", back_populates="flow"
    )

    @property
    def active_signatures(self) -> list[ApprovalSignature]:
        return [signature for signature in self.signatures if signature.removed_at is None]

    @property
    def signed(self) -> int:
        """How many signatures count (removed ones do not)."""
        return len(self.active_signatures)


class ApprovalSignature(Base):
    __tablename__ = "approval_signatures"
    __table_args__ = (
        Index(
            "uq_approval_signatures_once",
            "flow_id",
            "user_id",
            unique=True,
            postgresql_where=text("removed_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    flow_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("approval_flows.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(20))
    slot: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    signed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    removed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    removed_by: Mapped[str | None] = mapped_column(String(64))

    flow: Mapped[ApprovalFlow] = relationship(back_populates="signatures")
