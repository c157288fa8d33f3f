"""Without SMTP_URL a notification is logged and recorded as skipped (nothing is sent)."""

from __future__ import annotations

import uuid

import httpx
import pytest
from sqlalchemy import select

from bookings.models import Notification
from common.db import Database
from tests.conftest import Inbox, book

pytestmark = pytest.mark.usefixtures("stores")


async def test_no_smtp_url_records_skipped(
    client: httpx.AsyncClient, database: Database, inbox: Inbox, caplog: pytest.LogCaptureFixture
) -> None:
    booked = await book(client, email="quiet@example.com")
    async with database.session() as session:
        row = (
            await session.execute(
                select(Notification).where(Notification.booking_id == uuid.UUID(booked["id"]))
            )
        ).scalar_one()
    assert (row.status, row.attempts) == ("skipped", 0)
    assert row.subject == "We received your repair booking" and "Hello John," in row.text_body
    assert any(
        "no SMTP_URL" in record.getMessage() and booked["id"] in record.getMessage()
        for record in caplog.records
    )
    assert inbox.to("quiet@example.com") == []
