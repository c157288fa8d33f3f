"""The store a manager's request is about: one the caller may act on and POS knows, or, when
the request names none, the caller's only store."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import Unprocessable
from common.roles import Principal
from common.scope import check_store, own_stores
from pos.models import Store


async def store_to_act_on(
    session: AsyncSession, actor: Principal, store_id: uuid.UUID, field: str
) -> Store:
    """403 for another's store, 422 naming ``field`` for a store POS does not know."""
    check_store(actor, store_id)
    store = await session.get(Store, store_id)
    if store is None or store.deleted:
        raise Unprocessable(f"{field}: no store {store_id} (POS knows catalog's stores).")
    return store


def store_or_only_own(actor: Principal, store_id: uuid.UUID | None) -> uuid.UUID:
    """The named store, else the caller's one store; with none or several, 422 naming ``store``."""
    if store_id is not None:
        return store_id
    own = own_stores(actor)
    if len(own) == 1:
        return next(iter(own))
    if not own:
        raise Unprocessable("store: required; you have no store of your own, so name one.")
    raise Unprocessable(f"store: required; you have {len(own)} stores, so name one of them.")
