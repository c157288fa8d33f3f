"""Seed 002 manifest steps of /api/inventory/orders/{order_id}/ (staff, own stores): upload,
the raw rows, previewing and writing the standardised rows, undoing them, suggestions."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, File, Query, UploadFile
from fastapi.responses import JSONResponse

from common.bodies import body_cap
from common.openapi import described
from common.security import StaffUser
from inventory.config import MANIFEST_UPLOAD_CAP
from inventory.deps import IntakeJobServiceDep, ManifestServiceDep
from inventory.manifests.schemas import (
    ClearedOut,
    IntakeOrderOut,
    ManifestOut,
    ManifestRowsOut,
    PreviewIn,
    PreviewOut,
    ProcessIn,
    ProcessOut,
    SuggestIn,
    SuggestOut,
)
from inventory.queued.answers import ACCEPTED, answer

router = APIRouter(prefix="/api/inventory/orders/{order_id}", tags=["intake"])
STEP = described(
    r404="No such order", r403="Another store's order", r409="A step must come first (it is named)"
)


@router.post(
    "/upload-manifest",
    summary="Upload the vendor's manifest (CSV or .xlsx, by content); a known layout is recognised",
    responses={
        **STEP,
        **described(
            r413="Over MANIFEST_MAX_BYTES",
            r415="Not a CSV or .xlsx",
            r422="Over the row cap, duplicate headers",
        ),
    },
    openapi_extra=body_cap(MANIFEST_UPLOAD_CAP),
)
async def upload_manifest(
    order_id: uuid.UUID,
    _: StaffUser,
    manifests: ManifestServiceDep,
    file: Annotated[UploadFile, File(description="The manifest")],
) -> IntakeOrderOut:
    staged = await manifests.upload(order_id, file)
    return IntakeOrderOut.model_validate(staged.order).model_copy(
        update={"manifest": ManifestOut.model_validate(staged.manifest)}
    )


@router.get(
    "/manifest-rows",
    summary="The raw rows (search over whole rows), the mappings, standard columns and functions",
    responses=STEP,
)
async def manifest_rows(
    order_id: uuid.UUID,
    _: StaffUser,
    manifests: ManifestServiceDep,
    search: Annotated[
        str | None, Query(max_length=200, description="Text anywhere in the row")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> ManifestRowsOut:
    return ManifestRowsOut.model_validate(
        await manifests.raw_rows(order_id, search=search, limit=limit)
    )


@router.post(
    "/preview-standardize",
    summary="Standardise every row with the mappings and show some, writing nothing",
    responses=STEP,
)
async def preview_standardize(
    order_id: uuid.UUID, _: StaffUser, manifests: ManifestServiceDep, body: PreviewIn | None = None
) -> PreviewOut:
    return PreviewOut.model_validate(await manifests.preview(order_id, body or PreviewIn()))


@router.post(
    "/process-manifest",
    summary="Write the standardised rows (ManifestRow), optionally saving the template "
    "(a large manifest: 202, a background job)",
    response_model=ProcessOut,
    responses={**STEP, **ACCEPTED},
)
async def process_manifest(
    order_id: uuid.UUID, _: StaffUser, jobs: IntakeJobServiceDep, body: ProcessIn | None = None
) -> ProcessOut | JSONResponse:
    return answer(ProcessOut, await jobs.process(order_id, body or ProcessIn()))


@router.post(
    "/clear-manifest-rows",
    summary="Undo process-manifest: delete the standardised rows (refused once items exist)",
    responses=STEP,
)
async def clear_manifest_rows(
    order_id: uuid.UUID, _: StaffUser, manifests: ManifestServiceDep
) -> ClearedOut:
    return ClearedOut(cleared=await manifests.clear_rows(order_id))


@router.post(
    "/suggest-formulas",
    summary="Suggest mappings for the headers (AI when configured, else header names)",
    responses=STEP,
)
async def suggest_formulas(
    order_id: uuid.UUID, _: StaffUser, manifests: ManifestServiceDep, body: SuggestIn | None = None
) -> SuggestOut:
    use_ai = True if body is None else body.use_ai
    return SuggestOut.model_validate(await manifests.suggest(order_id, use_ai=use_ai))
