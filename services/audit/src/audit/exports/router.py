"""/api/logs/export/: the filtered log as CSV, JSON or NDJSON, streamed, with its row count
and chain head at the end (system admin; a branch head, their stores' rows)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from audit.deps import ExportServiceDep, LogQueryDep, LogServiceDep
from audit.exports.formats import ExportFormat
from common.openapi import described

router = APIRouter(tags=["logs"])

_CSV = (
    "id,month,position,event_id,occurred_at,recorded_at,stream,stream_sequence,source,action,"
    "actor,entity_type,entity_id,store_id,request_id,trace_id,schema_version,parse_error,"
    "payload,raw,prev_hash,hash\n"
    "1042,2026-12,77,0b7e5a3c-2f41-4d8e-9a51-6f1c2a4e9c1b,2026-12-01T15:12:00.120000Z,"
    "2026-12-01T15:12:00.180000Z,POS,318,pos,pos.sale.completed,6f1c2a4e-...,sale,9e8d...,"
    '0000000a-...,,4bf92f35...,1,,"{""sale_id"":""9e8d..."",""total"":""412.16""}",,5d41...,a3f1...\n'
    "# rows=1 chain_head=a3f1...\n"
)


@router.get(
    "/api/logs/export",
    summary="Export the filtered log (CSV, JSON or NDJSON), streamed, ending with count and head",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "The rows in id (chain) order, then the row count and chain head",
            "content": {
                "text/csv": {"example": _CSV},
                "application/json": {
                    "example": {
                        "results": [{"id": "1042", "hash": "a3f1..."}],
                        "count": 1,
                        "chain_head": "a3f1...",
                    }
                },
                "application/x-ndjson": {
                    "example": '{"id": "1042", "hash": "a3f1..."}\n{"trailer": {"rows": 1, "chain_head": "a3f1..."}}\n'
                },
            },
        },
        **described(r403="Not a system admin or branch head", r422="A bad filter or format"),
    },
)
async def export_entries(
    logs: LogServiceDep,
    query: LogQueryDep,
    exports: ExportServiceDep,
    export_format: Annotated[
        ExportFormat, Query(alias="format", description="csv (default), json or ndjson")
    ] = ExportFormat.csv,
) -> StreamingResponse:
    return exports.response(await logs.filters(query), export_format)
