"""create_app for attendance: its routers, the events it publishes and the ones it consumes."""

from __future__ import annotations

from fastapi import FastAPI
from PIL import Image

from attendance import __version__
from attendance.approvals.router import router as approvals_router
from attendance.config import AttendanceSettings, get_settings
from attendance.events.contracts import PUBLISHED
from attendance.events.handlers import SUBSCRIPTIONS
from attendance.geofences.router import router as geofences_router
from attendance.hr.departments.router import router as departments_router
from attendance.hr.modifications.router import router as modifications_router
from attendance.hr.sick_leave.router import router as sick_leave_router
from attendance.hr.time_entries.router import router as time_entries_router
from attendance.models import EVENT_TABLES, REVOKED_USERS
from attendance.payroll.router import router as payroll_router
from attendance.punches.router import router as punches_router
from attendance.reports.router import router as reports_router
from attendance.schedule_exceptions.router import router as schedule_exceptions_router
from attendance.schedules.router import router as schedules_router
from attendance.selfies.router import router as selfies_router
from attendance.shifts.router import router as shifts_router
from attendance.stores.router import router as policies_router
from attendance.weekoffs.router import router as weekoffs_router
from common.app import create_app

DESCRIPTION = """Staff attendance (seed 000) and HR time (seed 002) over one worked-interval model.

Advisors check in and out with a selfie where they stand (`/api/attendance/check-in`,
multipart: `latitude`, `longitude`, optional `accuracy`, `selfie`); the store's geofences and
its policy decide whether the punch is accepted, held for a manager or refused. Shifts are in
the store's time zone (overnight and DST nights included); late, early leave and overtime
follow the shift's rules; branch heads approve exceptions of their store. HR time entries
(`/api/hr/time-entries`) are the same records, with sick leave accrued on approval and
modification requests applied on approval. Monthly reports per store and per person, in JSON
or CSV; a closed month changes no more.

People come from auth's `auth.user.*` events and stores (with their coordinates and time zone)
from catalog's `catalog.store.*`: both are read-models; nothing calls auth or catalog on the
request path."""

TAGS = [
    {"name": "punches", "description": "Selfie check-in and check-out (seed 000)"},
    {"name": "approvals", "description": "Exceptions punches raised, for a manager"},
    {"name": "reports", "description": "Monthly reports and month close"},
    {"name": "time entries", "description": "Seed 002's clock-in/out onto the same records"},
]


def build_app(settings: AttendanceSettings | None = None) -> FastAPI:
    settings = settings or get_settings()
    # Pillow's own decompression-bomb guard, lowered to the selfie cap (images.py checks first).
    Image.MAX_IMAGE_PIXELS = settings.selfie_max_pixels
    return create_app(
        settings=settings,
        title="Shopfloor attendance",
        version=__version__,
        description=DESCRIPTION,
        routers=[
            punches_router,
            approvals_router,
            reports_router,
            selfies_router,
            shifts_router,
            schedules_router,
            weekoffs_router,
            schedule_exceptions_router,
            geofences_router,
            payroll_router,
            policies_router,
            time_entries_router,
            departments_router,
            sick_leave_router,
            modifications_router,
        ],
        event_tables=EVENT_TABLES,
        subscriptions=SUBSCRIPTIONS,
        published=PUBLISHED,
        revocations=REVOKED_USERS,
        openapi_tags=TAGS,
    )


def __getattr__(name: str) -> FastAPI:
    """``attendance.main:app`` for uvicorn, built on first access from the environment."""
    if name == "app":
        built = build_app()
        globals()["app"] = built
        return built
    raise AttributeError(name)
