"""``manifest_templates``: the standard-column mappings of one vendor layout, keyed by the
signature of its header row (``manifests.standard.header_signature``)."""

from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, String, Uuid
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from common.db import Timestamps
from inventory.db import Base


class ManifestTemplate(Timestamps, Base):
    __tablename__ = "manifest_templates"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(200))
    vendor_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("vendors.id", ondelete="SET NULL"), index=True
    )
    header_signature: Mapped[str] = mapped_column(String(64), unique=True)
    headers: Mapped[list[str]] = mapped_column(JSONB, default=list)
    mappings: Mapped[dict[str, str]] = mapped_column(JSONB, default=dict)
    created_by: Mapped[str | None] = mapped_column(String(64))
