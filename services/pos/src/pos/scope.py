"""Object-level checks: staff other than system admins act on their own stores only."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select

from common.errors import PermissionDenied
from common.roles import Principal


def own_stores(principal: Principal) -> set[uuid.UUID]:
    stores: set[uuid.UUID] = set()
    for value in principal.store_ids:
        try:
            stores.add(uuid.UUID(value))
        except ValueError:
            continue
    return stores


def scoped(statement: Select[Any], store_column: Any, principal: Principal) -> Select[Any]:
    """Limit a listing to the caller's stores (a system admin sees every store)."""
    if principal.is_admin:
        return statement
    return statement.where(store_column.in_(own_stores(principal)))


def check_store(principal: Principal, store_id: uuid.UUID) -> None:
    """403 unless the caller may act on the store."""
    if principal.is_admin or store_id in own_stores(principal):
        return
    raise PermissionDenied("You can only act on your own store.")
