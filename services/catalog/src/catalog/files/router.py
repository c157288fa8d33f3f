"""Seed 002 Core ``/api/core/files/``: records of uploaded files, Manager+ (branch_head and up);
the bytes are checked by content and kept privately, downloaded through ``/content``."""

from __future__ import annotations

import uuid
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Query, Response, UploadFile
from pydantic import WithJsonSchema

from catalog.deps import FileReaderDep, FileServiceDep
from catalog.files.schemas import FileOut, FileUpdate
from common.openapi import described
from common.pagination import Page, PageDep, page_of
from common.routing import put_and_patch
from common.security import BranchHeadUser
from common.uploads import ACCEPTED

router = APIRouter(prefix="/api/core/files", tags=["core"])
NOT_FOUND = described(r404="No such file")
# A multipart part is bytes (a file) or text (a field): "a boolean" cannot be sent in one, so
# the parts' schemas name no JSON type, only what is checked (the file by its content).
UploadedFile = Annotated[
    UploadFile,
    File(),
    WithJsonSchema(
        {"description": f"The file: {ACCEPTED}, checked by content", "format": "binary"}
    ),
]
FileDescription = Annotated[
    str,
    Form(max_length=1000),
    WithJsonSchema({"description": "What the file is (text)", "maxLength": 1000}),
]


@router.get("", summary="List file records (Manager+), newest first")
async def list_files(
    _: BranchHeadUser,
    service: FileReaderDep,
    page: PageDep,
    content_type: Annotated[
        str | None, Query(max_length=100, description="e.g. application/pdf")
    ] = None,
    search: Annotated[str | None, Query(description="File name or description")] = None,
) -> Page[FileOut]:
    return page_of(
        FileOut, await service.list(page, content_type=content_type, search=search), page
    )


@router.post(
    "",
    status_code=201,
    summary=f"Upload a file (Manager+): {ACCEPTED}, by content; 10 MiB by default",
    responses=described(r413="Too large", r415="Empty, or not an accepted type (by content)"),
)
async def upload_file(
    actor: BranchHeadUser,
    service: FileServiceDep,
    file: UploadedFile,
    description: FileDescription = "",
) -> FileOut:
    return FileOut.model_validate(await service.upload(file, description, actor))


@router.get("/{file_id}", summary="Retrieve a file record (Manager+)", responses=NOT_FOUND)
async def get_file(file_id: uuid.UUID, _: BranchHeadUser, service: FileReaderDep) -> FileOut:
    return FileOut.model_validate(await service.get(file_id))


@router.get(
    "/{file_id}/content",
    summary="Download a file's bytes (Manager+)",
    responses={**NOT_FOUND, 200: {"content": {"application/octet-stream": {}}}},
    response_class=Response,
)
async def download_file(file_id: uuid.UUID, _: BranchHeadUser, service: FileReaderDep) -> Response:
    row, data = await service.download(file_id)
    return Response(
        data,
        media_type=row.content_type,
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(row.filename)}",
            "X-Content-Type-Options": "nosniff",
        },
    )


async def update_file(
    file_id: uuid.UUID, body: FileUpdate, actor: BranchHeadUser, service: FileServiceDep
) -> FileOut:
    return FileOut.model_validate(await service.update(file_id, body, actor))


put_and_patch(
    router,
    "/{file_id}",
    update_file,
    summary="Rename a file or change its description (Manager+; the fields sent)",
    responses=NOT_FOUND,
    response_model=FileOut,
)


@router.delete(
    "/{file_id}",
    status_code=204,
    summary="Delete a file record and its bytes (Manager+)",
    responses=NOT_FOUND,
)
async def delete_file(
    file_id: uuid.UUID, actor: BranchHeadUser, service: FileServiceDep
) -> Response:
    await service.delete(file_id, actor)
    return Response(status_code=204)
