"""Typed dependencies of attendance's routes: settings, the clock, selfie storage, and the
services, built per request with the caller."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request

from attendance.approvals.service import ApprovalService
from attendance.clock import Clock, system_clock
from attendance.config import AttendanceSettings
from attendance.geofences.service import GeofenceService
from attendance.hr.departments.service import DepartmentService
from attendance.hr.modifications.service import ModificationService
from attendance.hr.sick_leave.service import SickLeaveService
from attendance.hr.time_entries.service import TimeEntryService
from attendance.payroll.service import PayrollService
from attendance.punches.service import PunchService
from attendance.reports.service import ReportService
from attendance.schedule_exceptions.service import ScheduleExceptionService
from attendance.schedules.service import ScheduleService
from attendance.selfies.service import SelfieService
from attendance.selfies.storage import DiskStorage, Storage
from attendance.shifts.service import ShiftService
from attendance.stores.service import StoreService
from attendance.weekoffs.service import WeeklyOffService
from common.config import settings_of
from common.db import SessionDep
from common.security import CurrentUser

SettingsDep = Annotated[AttendanceSettings, Depends(settings_of(AttendanceSettings))]


def now(request: Request) -> datetime:
    """This request's instant (``app.state.clock``, the system clock unless a test set one)."""
    clock: Clock = getattr(request.app.state, "clock", system_clock)
    return clock()


NowDep = Annotated[datetime, Depends(now)]


def storage(request: Request, settings: SettingsDep) -> Storage:
    found: Storage | None = getattr(request.app.state, "storage", None)
    if found is None:
        found = DiskStorage(Path(settings.attachments_dir))
        request.app.state.storage = found
    return found


StorageDep = Annotated[Storage, Depends(storage)]


def selfie_service(session: SessionDep, files: StorageDep, settings: SettingsDep) -> SelfieService:
    return SelfieService(session, files, settings)


SelfieServiceDep = Annotated[SelfieService, Depends(selfie_service)]


def punch_service(
    session: SessionDep, actor: CurrentUser, moment: NowDep, selfies: SelfieServiceDep
) -> PunchService:
    return PunchService(session, actor, now=moment, selfies=selfies)


def approval_service(session: SessionDep, actor: CurrentUser, moment: NowDep) -> ApprovalService:
    return ApprovalService(session, actor, now=moment)


def report_service(session: SessionDep, actor: CurrentUser, moment: NowDep) -> ReportService:
    return ReportService(session, actor, now=moment)


def payroll_service(session: SessionDep, actor: CurrentUser, moment: NowDep) -> PayrollService:
    return PayrollService(session, actor, today=moment.date())


def shift_service(session: SessionDep, actor: CurrentUser) -> ShiftService:
    return ShiftService(session, actor=actor.user_id)


def schedule_service(session: SessionDep, actor: CurrentUser) -> ScheduleService:
    return ScheduleService(session, actor=actor.user_id)


def weekoff_service(session: SessionDep, actor: CurrentUser) -> WeeklyOffService:
    return WeeklyOffService(session, actor=actor.user_id)


def schedule_exception_service(session: SessionDep, actor: CurrentUser) -> ScheduleExceptionService:
    return ScheduleExceptionService(session, actor=actor.user_id)


def geofence_service(session: SessionDep, actor: CurrentUser) -> GeofenceService:
    return GeofenceService(session, actor=actor.user_id)


def store_service(session: SessionDep) -> StoreService:
    return StoreService(session)


def department_service(session: SessionDep, actor: CurrentUser) -> DepartmentService:
    return DepartmentService(session, actor)


def time_entry_service(session: SessionDep, actor: CurrentUser, moment: NowDep) -> TimeEntryService:
    return TimeEntryService(session, actor, now=moment)


def sick_leave_service(session: SessionDep, actor: CurrentUser, moment: NowDep) -> SickLeaveService:
    return SickLeaveService(session, actor, now=moment)


def modification_service(
    session: SessionDep, actor: CurrentUser, moment: NowDep
) -> ModificationService:
    return ModificationService(session, actor, now=moment)


PunchServiceDep = Annotated[PunchService, Depends(punch_service)]
ApprovalServiceDep = Annotated[ApprovalService, Depends(approval_service)]
ReportServiceDep = Annotated[ReportService, Depends(report_service)]
PayrollServiceDep = Annotated[PayrollService, Depends(payroll_service)]
ShiftServiceDep = Annotated[ShiftService, Depends(shift_service)]
ScheduleServiceDep = Annotated[ScheduleService, Depends(schedule_service)]
WeeklyOffServiceDep = Annotated[WeeklyOffService, Depends(weekoff_service)]
ScheduleExceptionServiceDep = Annotated[
    ScheduleExceptionService, Depends(schedule_exception_service)
]
GeofenceServiceDep = Annotated[GeofenceService, Depends(geofence_service)]
StoreServiceDep = Annotated[StoreService, Depends(store_service)]
DepartmentServiceDep = Annotated[DepartmentService, Depends(department_service)]
TimeEntryServiceDep = Annotated[TimeEntryService, Depends(time_entry_service)]
SickLeaveServiceDep = Annotated[SickLeaveService, Depends(sick_leave_service)]
ModificationServiceDep = Annotated[ModificationService, Depends(modification_service)]
