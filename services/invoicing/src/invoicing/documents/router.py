"""/api/invoices/{id}/download: the invoice as PDF or DOCX (system admin)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from common.openapi import described
from common.security import AdminUser
from invoicing.deps import DocumentServiceDep
from invoicing.documents.service import MEDIA_TYPES, FileFormat

router = APIRouter(prefix="/api/invoices", tags=["invoices"])


@router.get(
    "/{invoice_id}/download",
    summary="Download the invoice as PDF or DOCX, rendered from its snapshot as issued",
    response_class=Response,
    responses={
        200: {
            "description": "The document",
            "content": {media: {} for media in MEDIA_TYPES.values()},
        },
        **described(r404="No such invoice", r422="file_format is neither pdf nor docx"),
    },
)
async def download_invoice(
    invoice_id: uuid.UUID,
    _: AdminUser,
    documents: DocumentServiceDep,
    file_format: Annotated[FileFormat, Query(description="pdf or docx")] = FileFormat.pdf,
) -> Response:
    rendered = await documents.render(invoice_id, file_format)
    return Response(
        rendered.content,
        media_type=rendered.media_type,
        headers={"Content-Disposition": f'attachment; filename="{rendered.filename}"'},
    )
