"""Typed dependencies of audit's routes: its settings and the services, built per request."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from audit.config import AuditSettings
from audit.notes.service import NoteService
from common.config import settings_of
from common.db import SessionDep
from common.security import CurrentUser

SettingsDep = Annotated[AuditSettings, Depends(settings_of(AuditSettings))]


def note_service(session: SessionDep, actor: CurrentUser) -> NoteService:
    return NoteService(session, actor)


NoteServiceDep = Annotated[NoteService, Depends(note_service)]
