"""``intake_categories``: a category of units (Smartphones, Laptops …), optionally under a
parent, with the spec template — the attributes a unit of it carries (storage, colour …)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, Uuid, func, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from common.db import Timestamps
from inventory.db import Base


class IntakeCategory(Timestamps, Base):
    __tablename__ = "intake_categories"
    __table_args__ = (Index("uq_intake_categories_name", func.lower(text("name")), unique=True),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(140))
    parent_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("intake_categories.id", ondelete="RESTRICT"), index=True
    )
    description: Mapped[str] = mapped_column(Text, default="")
    # [{"name": "storage", "label": "Storage", "kind": "choice", "choices": [...], "required": true}]
    spec_template: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
