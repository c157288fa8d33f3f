"""Object-level checks: staff other than system admins act on their own stores only."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select

from common.roles import Principal
from common.security import ensure_store_access


def scoped(statement: Select[Any], store_column: Any, principal: Principal) -> Select[Any]:
    """Limit a listing to the caller's stores (a system admin sees every store)."""
    if principal.is_admin:
        return statement
    stores = [uuid.UUID(value) for value in principal.store_ids if _is_uuid(value)]
    return statement.where(store_column.in_(stores))


def check_store(principal: Principal, store_id: uuid.UUID) -> None:
    ensure_store_access(principal, store_id)


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
