"""Every table of attendance, imported once so Alembic and the tests see the whole schema."""

from __future__ import annotations

from attendance.db import EVENT_TABLES, REVOKED_USERS, Base
from attendance.geofences.models import Geofence
from attendance.hr.departments.models import Department
from attendance.hr.modifications.models import ModificationRequest
from attendance.hr.sick_leave.models import SickLeaveBalance, SickLeaveRequest
from attendance.months.models import ClosedMonth
from attendance.payroll.models import PayrollProfile
from attendance.people.models import Person
from attendance.punches.models import Approval, EntryRevision, TimeEntry
from attendance.schedule_exceptions.models import ScheduleException
from attendance.schedules.models import Schedule
from attendance.selfies.models import Selfie
from attendance.shifts.models import Shift
from attendance.stores.models import Store, StorePolicy
from attendance.weekoffs.models import WeeklyOff

__all__ = [
    "EVENT_TABLES",
    "REVOKED_USERS",
    "Approval",
    "Base",
    "ClosedMonth",
    "Department",
    "EntryRevision",
    "Geofence",
    "ModificationRequest",
    "PayrollProfile",
    "Person",
    "Schedule",
    "ScheduleException",
    "Selfie",
    "Shift",
    "SickLeaveBalance",
    "SickLeaveRequest",
    "Store",
    "StorePolicy",
    "TimeEntry",
    "WeeklyOff",
]
