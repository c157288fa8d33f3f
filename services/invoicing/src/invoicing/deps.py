"""Typed dependencies of invoicing's routes: its settings and the services, built per request."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from common.config import settings_of
from common.db import SessionDep
from common.security import CurrentUser
from invoicing.config import InvoicingSettings
from invoicing.notes.service import NoteService

SettingsDep = Annotated[InvoicingSettings, Depends(settings_of(InvoicingSettings))]


def note_service(session: SessionDep, actor: CurrentUser) -> NoteService:
    return NoteService(session, actor)


NoteServiceDep = Annotated[NoteService, Depends(note_service)]
