"""A purchase order's manifest (the uploaded file and how far the pipeline got), its raw rows
as uploaded, and its standardised rows (``ManifestRow``, one per vendor line)."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    Numeric,
    SmallInteger,
    String,
    Text,
    Uuid,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from common.db import MONEY
from inventory.db import Base


class PricingStage(StrEnum):
    unpriced = "unpriced"
    proposed = "proposed"
    final = "final"


class MatchStatus(StrEnum):
    matched = "matched"  # a product, found with confidence or accepted in review
    suggested = "suggested"  # candidates, none sure enough: for review
    unmatched = "unmatched"  # no candidate
    rejected = "rejected"  # reviewed: no product (the units are sold without one)


class Manifest(Base):
    __tablename__ = "manifests"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    order_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("purchase_orders.id", ondelete="CASCADE"), unique=True
    )
    filename: Mapped[str] = mapped_column(String(255))
    storage_key: Mapped[str] = mapped_column(String(200), unique=True)
    file_type: Mapped[str] = mapped_column(String(8))
    encoding: Mapped[str] = mapped_column(String(20))
    delimiter: Mapped[str] = mapped_column(String(4), default="")
    size: Mapped[int] = mapped_column(Integer)
    headers: Mapped[list[str]] = mapped_column(JSONB, default=list)
    header_signature: Mapped[str] = mapped_column(String(64), index=True)
    row_count: Mapped[int] = mapped_column(Integer)
    template_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("manifest_templates.id", ondelete="SET NULL")
    )
    preview: Mapped[list[list[str]]] = mapped_column(JSONB, default=list)
    mappings: Mapped[dict[str, str]] = mapped_column(JSONB, default=dict)
    uploaded_by: Mapped[str | None] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    standardized_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    matched_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    priced_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finalized_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    items_created_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class RawRow(Base):
    """A data row exactly as uploaded (cells aligned with the manifest's headers)."""

    __tablename__ = "manifest_raw_rows"

    manifest_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("manifests.id", ondelete="CASCADE"), primary_key=True
    )
    row_no: Mapped[int] = mapped_column(Integer, primary_key=True)
    cells: Mapped[list[str]] = mapped_column(ARRAY(Text))
    search_text: Mapped[str] = mapped_column(Text)


class ManifestRow(Base):
    """One vendor line in the standard columns, and what each later step added to it."""

    __tablename__ = "manifest_rows"
    __table_args__ = (
        Index("uq_manifest_rows_order_row", "order_id", "row_no", unique=True),
        CheckConstraint("quantity >= 1", name="quantity_positive"),
        CheckConstraint("unit_cost IS NULL OR unit_cost >= 0", name="cost_not_negative"),
        CheckConstraint("retail_price IS NULL OR retail_price >= 0", name="retail_not_negative"),
        CheckConstraint(
            "proposed_price IS NULL OR proposed_price >= 0", name="proposed_not_negative"
        ),
        CheckConstraint("final_price IS NULL OR final_price >= 0", name="final_not_negative"),
        CheckConstraint(
            "pricing_stage IN ('unpriced', 'proposed', 'final')", name="pricing_stage_known"
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    order_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("purchase_orders.id", ondelete="CASCADE")
    )
    row_no: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    brand: Mapped[str | None] = mapped_column(String(120))
    model: Mapped[str | None] = mapped_column(String(120))
    upc: Mapped[str | None] = mapped_column(String(14), index=True)
    vendor_sku: Mapped[str | None] = mapped_column(String(80))
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    unit_cost: Mapped[Decimal | None] = mapped_column(Numeric(14, 4))
    retail_price: Mapped[Decimal | None] = mapped_column(MONEY)
    condition: Mapped[str | None] = mapped_column(String(20))
    category: Mapped[str | None] = mapped_column(String(140))
    description: Mapped[str | None] = mapped_column(Text)
    specs: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    search_text: Mapped[str] = mapped_column(Text, default="")
    # AI cleanup (optional): what the model made of title, brand, model and specs
    ai_title: Mapped[str | None] = mapped_column(String(300))
    ai_brand: Mapped[str | None] = mapped_column(String(120))
    ai_model: Mapped[str | None] = mapped_column(String(120))
    ai_specs: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    ai_cleaned_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # matching
    match_status: Mapped[str | None] = mapped_column(String(12))
    match_method: Mapped[str | None] = mapped_column(String(12))
    match_score: Mapped[int | None] = mapped_column(SmallInteger)
    match_candidates: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    matched_product_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    match_decision: Mapped[str | None] = mapped_column(String(10))
    # pricing
    proposed_price: Mapped[Decimal | None] = mapped_column(MONEY)
    final_price: Mapped[Decimal | None] = mapped_column(MONEY)
    pricing_stage: Mapped[str] = mapped_column(String(10), default=PricingStage.unpriced)

    @property
    def clean_title(self) -> str:
        """The title matching and items use: the AI's when it cleaned the row."""
        return self.ai_title or self.title

    @property
    def clean_brand(self) -> str | None:
        return self.ai_brand or self.brand

    @property
    def clean_model(self) -> str | None:
        return self.ai_model or self.model
