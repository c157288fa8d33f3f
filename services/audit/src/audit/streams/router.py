"""/api/audit/streams: per stream, what the log has recorded and how far behind it is."""

from __future__ import annotations

from fastapi import APIRouter

from audit.deps import StreamStatusDep
from audit.streams.schemas import StreamsOut
from common.openapi import described

router = APIRouter(tags=["audit"])


@router.get(
    "/api/audit/streams",
    summary="Per stream: last sequence recorded, lag, flagged rows and dead letters",
    responses=described(r403="Not a system admin"),
)
async def stream_status(streams: StreamStatusDep) -> StreamsOut:
    return await streams.status()
