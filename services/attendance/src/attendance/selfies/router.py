"""A selfie, through the API only: its person, or a branch head of its store (or an admin)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response

from attendance.deps import SelfieServiceDep
from common.security import StaffUser

router = APIRouter(prefix="/api/attendance/selfies", tags=["selfies"])


@router.get(
    "/{selfie_id}",
    summary="A check-in or check-out selfie (yours, or your store's as its branch head)",
    response_class=Response,
    responses={
        200: {"content": {"image/jpeg": {}}, "description": "The selfie, re-encoded without EXIF"},
        403: {"description": "Someone else's selfie, of another store"},
        404: {"description": "No such selfie"},
    },
)
async def get_selfie(selfie_id: uuid.UUID, actor: StaffUser, selfies: SelfieServiceDep) -> Response:
    found = await selfies.to_show(actor, selfie_id)
    return Response(
        found.data,
        media_type=found.selfie.content_type,
        headers={
            "Cache-Control": "private, no-store",
            "Content-Disposition": f'inline; filename="selfie-{found.selfie.id}.jpg"',
        },
    )
