"""Typed dependencies of bookings's routes: its settings and the services, built per request."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from bookings.config import BookingsSettings
from bookings.notes.service import NoteService
from common.config import settings_of
from common.db import SessionDep
from common.security import CurrentUser

SettingsDep = Annotated[BookingsSettings, Depends(settings_of(BookingsSettings))]


def note_service(session: SessionDep, actor: CurrentUser) -> NoteService:
    return NoteService(session, actor)


NoteServiceDep = Annotated[NoteService, Depends(note_service)]
