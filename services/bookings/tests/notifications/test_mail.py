"""Booking emails reach a real SMTP server (aiosmtpd, local) with the right content, HTML
escaped; a temporary SMTP failure is retried in the background; the request never waits for
it; without SMTP_URL the notification is recorded as skipped."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from bookings.models import Notification
from common.db import Database
from tests.conftest import Inbox, book, html_part, text_part

pytestmark = pytest.mark.usefixtures("stores")


@pytest.fixture
def settings_overrides(with_smtp: dict[str, Any]) -> dict[str, Any]:
    return {**with_smtp, "manage_url": "https://shop.example/bookings/manage?token={token}"}


async def _notifications(database: Database, booking_id: str) -> list[Notification]:
    async with database.session() as session:
        return list(
            (
                await session.execute(
                    select(Notification)
                    .where(Notification.booking_id == uuid.UUID(booking_id))
                    .order_by(Notification.created_at)
                )
            ).scalars()
        )


async def test_each_change_is_mailed_and_html_in_names_stays_text(
    app: FastAPI, client: httpx.AsyncClient, database: Database, inbox: Inbox, admin: dict[str, str]
) -> None:
    name = '<img src=x onerror="alert(1)"> Bob'
    booked = await book(client, name=name, email="bob@example.com")
    (received,) = await inbox.wait_for("bob@example.com", 1)
    assert received["Subject"] == "We received your repair booking"
    assert received["X-Shopfloor-Booking"] == booked["id"]
    text, html = text_part(received), html_part(received)
    assert f"Hello {name}," in text  # plain text is not markup
    assert "<img" not in html and "&lt;img src=x onerror=&#34;alert(1)&#34;&gt; Bob" in html
    assert "Where: Manhattan" in text
    assert f"https://shop.example/bookings/manage?token={booked['manage_token']}" in text

    for status, extra in (("approved", {}), ("cancelled", {"reason": "<b>Out</b> of parts"})):
        changed = await client.patch(
            f"/api/bookings/{booked['id']}", json={"status": status, **extra}, headers=admin
        )
        assert changed.status_code == 200, changed.text
    mails = await inbox.wait_for("bob@example.com", 3)
    assert [mail["Subject"] for mail in mails] == [
        "We received your repair booking",
        "Your repair booking is confirmed",
        "Your repair booking is cancelled",
    ]
    assert "Reason: <b>Out</b> of parts" in text_part(mails[2])
    assert "&lt;b&gt;Out&lt;/b&gt; of parts" in html_part(mails[2])
    await app.state.toolkit.mailer.drain()
    rows = await _notifications(database, booked["id"])
    assert [(row.kind, row.status, row.attempts) for row in rows] == [
        ("pending", "sent", 1),
        ("approved", "sent", 1),
        ("cancelled", "sent", 1),
    ]
    detail = await client.get(f"/api/bookings/{booked['id']}", headers=admin)
    assert [n["status"] for n in detail.json()["notifications"]] == ["sent", "sent", "sent"]


async def test_a_temporary_smtp_failure_is_retried(
    app: FastAPI, client: httpx.AsyncClient, database: Database, inbox: Inbox
) -> None:
    inbox.fail_next = 2
    booked = await book(client, email="retry@example.com")
    await inbox.wait_for("retry@example.com", 1)
    await app.state.toolkit.mailer.drain()
    (row,) = await _notifications(database, booked["id"])
    assert (row.status, row.attempts) == ("sent", 3)


async def test_a_lasting_failure_is_recorded_and_the_booking_stands(
    app: FastAPI, client: httpx.AsyncClient, database: Database, inbox: Inbox
) -> None:
    inbox.fail_next = 100
    booked = await book(client, email="down@example.com")  # answered without waiting for SMTP
    await app.state.toolkit.mailer.drain()
    (row,) = await _notifications(database, booked["id"])
    assert row.status == "failed" and row.attempts == 4 and "451" in (row.last_error or "")
    assert inbox.to("down@example.com") == []
