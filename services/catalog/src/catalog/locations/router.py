"""Seed 002 Core ``/api/core/locations/``: the stores a staff member works at (Staff)."""

from __future__ import annotations

from fastapi import APIRouter

from catalog.deps import LocationReaderDep
from catalog.locations.schemas import LocationOut
from common.security import StaffUser

router = APIRouter(prefix="/api/core/locations", tags=["core"])


@router.get(
    "",
    summary="The caller's work locations (Staff): the open stores of their token; every open "
    "store for a system admin",
)
async def list_locations(caller: StaffUser, service: LocationReaderDep) -> list[LocationOut]:
    return [LocationOut.model_validate(store) for store in await service.of(caller)]
