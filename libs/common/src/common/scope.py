"""Object-level checks shared by the services: staff other than system admins act on the
stores their token lists (ids compared as UUIDs, as listings filter), and only those."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select

from common.errors import PermissionDenied
from common.roles import Principal


def scoped(statement: Select[Any], store_column: Any, principal: Principal) -> Select[Any]:
    """Limit a listing to the caller's stores (a system admin sees every store)."""
    if principal.is_admin:
        return statement
    return statement.where(store_column.in_(own_stores(principal)))


def own_stores(principal: Principal) -> set[uuid.UUID]:
    return {uuid.UUID(value) for value in principal.store_ids if _is_uuid(value)}


def acts_on(principal: Principal, store_id: uuid.UUID) -> bool:
    """Whether the caller may act on the store: a system admin on every store, anyone else
    on the stores their token lists (ids compared as UUIDs, as lists filter)."""
    return principal.is_admin or store_id in own_stores(principal)


def check_store(principal: Principal, store_id: uuid.UUID) -> None:
    """403 unless the caller may act on the store (``acts_on``)."""
    if acts_on(principal, store_id):
        return
    raise PermissionDenied("You can only act on your own store.")


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
