"""Seed 000's selfie punches: check-in, check-out (multipart: the fix and a selfie), today."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile

from attendance.deps import PunchServiceDep, SettingsDep
from attendance.fields import FormFlag
from attendance.punches.schemas import EntryOut, PunchIn, TodayOut
from common.openapi import described
from common.security import StaffUser

router = APIRouter(prefix="/api/attendance", tags=["punches"])

Latitude = Annotated[float, Form(ge=-90, le=90, allow_inf_nan=False, description="Degrees")]
Longitude = Annotated[float, Form(ge=-180, le=180, allow_inf_nan=False, description="Degrees")]
Accuracy = Annotated[
    float | None,
    Form(ge=0, le=100_000, allow_inf_nan=False, description="The fix's accuracy, metres"),
]
StoreField = Annotated[
    uuid.UUID | None, Form(description="The store, when your account has several")
]
Selfie = Annotated[UploadFile, File(description="A JPEG, PNG or WebP photo (sniffed, not trusted)")]
PUNCH_ERRORS = described(
    r409="Already clocked in (check-in) / not clocked in (check-out), or the month is closed",
    r413="The body or the selfie is too large",
    r415="The selfie is not a JPEG, PNG or WebP image",
    r422="Bad coordinates, a bomb of a selfie, or (by store policy) outside the geofence",
)
# The selfie part's real content types (the bytes are sniffed: a declared type is not trusted).
SELFIE_PART = {
    "requestBody": {
        "content": {
            "multipart/form-data": {
                "encoding": {"selfie": {"contentType": "image/jpeg, image/png, image/webp"}}
            }
        }
    }
}


async def _read(selfie: UploadFile, settings: SettingsDep) -> bytes:
    return await selfie.read(settings.selfie_max_bytes + 1)


@router.post(
    "/check-in",
    status_code=201,
    summary="Check in with a selfie where you stand (geofence and late rules)",
    responses=PUNCH_ERRORS,
    openapi_extra=SELFIE_PART,
)
async def check_in(
    _: StaffUser,
    punches: PunchServiceDep,
    settings: SettingsDep,
    latitude: Latitude,
    longitude: Longitude,
    selfie: Selfie,
    accuracy: Accuracy = None,
    store_id: StoreField = None,
) -> EntryOut:
    punch = PunchIn(latitude, longitude, accuracy, store_id)
    return EntryOut.model_validate(await punches.check_in(punch, await _read(selfie, settings)))


@router.post(
    "/check-out",
    summary="Check out with a selfie, asking for overtime if you stayed on",
    responses=PUNCH_ERRORS,
    openapi_extra=SELFIE_PART,
)
async def check_out(
    _: StaffUser,
    punches: PunchServiceDep,
    settings: SettingsDep,
    latitude: Latitude,
    longitude: Longitude,
    selfie: Selfie,
    accuracy: Accuracy = None,
    ot_requested: Annotated[
        FormFlag, Form(description="Ask a manager to approve your overtime (true or false)")
    ] = False,
    ot_reason: Annotated[str, Form(max_length=2000, pattern=r"^[^\x00]*$")] = "",
) -> EntryOut:
    punch = PunchIn(latitude, longitude, accuracy, None, ot_requested, ot_reason)
    return EntryOut.model_validate(await punches.check_out(punch, await _read(selfie, settings)))


@router.get("/me/today", summary="Your attendance today: records and the shifts expected")
async def today(_: StaffUser, punches: PunchServiceDep) -> TodayOut:
    return await punches.today()
