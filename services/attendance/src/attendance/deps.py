"""Typed dependencies of attendance's routes: its settings and the services, built per request."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from attendance.config import AttendanceSettings
from attendance.notes.service import NoteService
from common.config import settings_of
from common.db import SessionDep
from common.security import CurrentUser

SettingsDep = Annotated[AttendanceSettings, Depends(settings_of(AttendanceSettings))]


def note_service(session: SessionDep, actor: CurrentUser) -> NoteService:
    return NoteService(session, actor)


NoteServiceDep = Annotated[NoteService, Depends(note_service)]
