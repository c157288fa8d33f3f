"""Registers: a till in one store (drawers are opened on it)."""

from __future__ import annotations

import uuid

from sqlalchemy import Boolean, ForeignKey, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from common.db import Timestamps
from pos.db import Base
from pos.shops.models import Store


class Register(Timestamps, Base):
    __tablename__ = "registers"
    __table_args__ = (UniqueConstraint("store_id", "code", name="uq_registers_store_code"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    store_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stores.id"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(120))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    store: Mapped[Store] = relationship(lazy="joined")

    @property
    def store_code(self) -> str:
        return self.store.code
