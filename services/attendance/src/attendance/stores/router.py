"""/api/attendance/admin/policies: a system admin's attendance rules per store."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends

from attendance.deps import StoreServiceDep
from attendance.stores.schemas import PolicyOut, PolicyUpdate
from common.openapi import described
from common.roles import Role
from common.routing import put_and_patch
from common.security import AdminUser, require_roles

router = APIRouter(
    prefix="/api/attendance/admin/policies",
    tags=["policies"],
    dependencies=[Depends(require_roles(Role.system_admin))],
)
NOT_FOUND = described(r404="No such store")


@router.get(
    "/{store_id}",
    summary="A store's attendance policy (the defaults if never set)",
    responses=NOT_FOUND,
)
async def get_policy(store_id: uuid.UUID, stores: StoreServiceDep) -> PolicyOut:
    return PolicyOut.model_validate(await stores.policy_of(store_id))


async def update_policy(
    store_id: uuid.UUID, body: PolicyUpdate, actor: AdminUser, stores: StoreServiceDep
) -> PolicyOut:
    return PolicyOut.model_validate(await stores.update_policy(actor, store_id, body))


put_and_patch(
    router,
    "/{store_id}",
    update_policy,
    summary="Set a store's attendance policy (refuse or hold punches outside the geofence, sick-leave rate)",
    responses=NOT_FOUND,
    response_model=PolicyOut,
)
