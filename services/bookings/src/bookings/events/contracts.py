"""What bookings publishes (``PUBLISHED``), and its own trimmed copies of what it consumes.

Published contracts forbid unknown fields; consumed copies hold only the fields this
service reads and ignore the rest (docs/new-service.md "Events: contracts and docs")."""

from __future__ import annotations

import uuid

from pydantic import Field

from common.events.contracts import Consumed, Published


class NoteChanged(
    Published,
    subjects=(
        "bookings.note.created",
        "bookings.note.updated",
        "bookings.note.deleted",
    ),
):
    """A store note was written, edited or deleted."""

    note_id: uuid.UUID
    store_id: uuid.UUID
    title: str
    author_id: str = Field(description="user id of the note's author")
    changed: list[str] = Field(description="fields changed (updated only; else empty)")


PUBLISHED: list[type[Published]] = [NoteChanged]


class StoreChanged(Consumed):
    """catalog.store.created|updated|deleted, as far as bookings reads it."""

    store_id: uuid.UUID
    code: str
    name: str
    time_zone: str = "UTC"
    is_active: bool = True
