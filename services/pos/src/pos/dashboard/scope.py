"""Whose numbers a caller sees on the dashboard: a system admin every store (or the one in
``?store=``), anyone else only the stores in their token — none at all for a customer
without stores, who then sees zeros, never another store's data."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from pos.shops.models import Store


@dataclass(frozen=True)
class DashboardScope:
    stores: list[Store]
    every_store: bool  # a system admin without ?store=: also what names no store

    @property
    def store_ids(self) -> list[uuid.UUID] | None:
        """None for every store."""
        return None if self.every_store else [store.id for store in self.stores]
