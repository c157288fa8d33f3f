"""bookings test fixtures: the shared ones of common.testing.service, stores and customers as
catalog and auth announced them (most tests arrange the read-model rows; tests/events proves
the events do), real ALTCHA solutions, and a real SMTP server (aiosmtpd) to receive mail."""

from __future__ import annotations

import asyncio
import base64
import json
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from altcha.v1 import solve_challenge

from bookings.config import BookingsSettings
from bookings.main import build_app
from bookings.models import Base, Customer, Issue, Question, Store
from common.db import Database
from common.testing.engines import free_port
from common.testing.service import ServiceUnderTest

pytest_plugins = ["common.testing.plugin", "common.testing.service"]

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"
STORE_A = uuid.UUID("0000000a-0000-4000-8000-00000000000a")  # New York, with hours
STORE_B = uuid.UUID("0000000b-0000-4000-8000-00000000000b")  # Tokyo, no hours set
NEW_YORK = ZoneInfo("America/New_York")
WEEKDAY_HOURS = {"opens": "09:00", "closes": "18:00"}
HOURS = {day: WEEKDAY_HOURS for day in ("monday", "tuesday", "wednesday", "thursday", "friday")}
# Throttles out of the way, except in the tests that are about them.
GENEROUS = {
    f"{scope}_rate_per_{key}": "1000/minute"
    for scope in ("booking", "contact", "schedule_call")
    for key in ("ip", "sender")
} | {"response_rate_per_ip": "1000/minute"}


@pytest.fixture(scope="session")
def service_under_test() -> ServiceUnderTest:
    return ServiceUnderTest(
        package="bookings",
        migrations=MIGRATIONS,
        metadata=Base.metadata,
        settings_class=BookingsSettings,
        build_app=build_app,
        settings={"altcha_max_number": 1000, **GENEROUS},
    )


async def open_stores(database: Database) -> None:
    """Stores A (New York, weekday hours) and B (Tokyo, no hours), as catalog's events
    would have stored them."""
    now = datetime.now(UTC)
    async with database.session() as session:
        session.add_all(
            [
                Store(
                    id=STORE_A,
                    code="NYC-01",
                    name="Manhattan",
                    time_zone="America/New_York",
                    synced_at=now,
                    opening_hours=HOURS,
                ),
                Store(
                    id=STORE_B, code="TYO-01", name="Shibuya", time_zone="Asia/Tokyo", synced_at=now
                ),
            ]
        )


@pytest.fixture
async def stores(database: Database) -> None:
    await open_stores(database)


async def add_issues(database: Database, *issues: Issue) -> list[int]:
    async with database.session() as session:
        session.add_all(issues)
        await session.flush()
        return [issue.id for issue in issues]


async def add_questions(database: Database, *questions: Question) -> list[int]:
    async with database.session() as session:
        session.add_all(questions)
        await session.flush()
        return [question.id for question in questions]


async def add_customer(database: Database, user_id: str, email: str, **fields: Any) -> None:
    async with database.session() as session:
        session.add(
            Customer(
                user_id=user_id,
                email=email,
                email_key=email.lower(),
                first_name=fields.get("first_name", ""),
                last_name="",
                role=fields.get("role", "customer"),
                customer_number=fields.get("customer_number"),
                is_active=True,
                synced_at=datetime.now(UTC),
            )
        )


def next_weekday(days_ahead: int = 3) -> date:
    """A Monday-to-Friday day at least ``days_ahead`` days from now (in New York)."""
    day = datetime.now(NEW_YORK).date() + timedelta(days=days_ahead)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def solution_for(challenge: dict[str, Any]) -> str:
    """Solve an ALTCHA challenge as the widget does and encode its payload."""
    solved = solve_challenge(
        challenge["challenge"], challenge["salt"], challenge["algorithm"], challenge["maxnumber"]
    )
    assert solved is not None, "the challenge has no solution below maxnumber"
    payload = {
        "algorithm": challenge["algorithm"],
        "challenge": challenge["challenge"],
        "number": solved.number,
        "salt": challenge["salt"],
        "signature": challenge["signature"],
    }
    return base64.b64encode(json.dumps(payload).encode()).decode()


async def solved_captcha(client: httpx.AsyncClient) -> str:
    response = await client.get("/api/bookings/captcha")
    assert response.status_code == 200, response.text
    return solution_for(response.json())


def booking_body(captcha: str | None, **fields: Any) -> dict[str, Any]:
    """Seed 001's payload, for store A on a weekday at 10:00."""
    body: dict[str, Any] = {
        "name": "John",
        "email": f"john-{uuid.uuid4().hex[:6]}@example.com",
        "date": next_weekday().isoformat(),
        "time": "10:00",
        "captcha_token": captcha,
        "details": {"issues": [], "brand": "Apple", "product": "iPhone"},
        "responses": [],
        "store": str(STORE_A),
    }
    body.update(fields)
    return body


async def book(client: httpx.AsyncClient, **fields: Any) -> dict[str, Any]:
    """A public booking through the API (a solved captcha); the 201's body."""
    response = await client.post(
        "/api/bookings", json=booking_body(await solved_captcha(client), **fields)
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


# ---------------------------------------------------------------- a real SMTP server


class Inbox:
    """What the local SMTP server received; ``fail_next`` answers that many with a 451."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.fail_next = 0

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.fail_next > 0:
            self.fail_next -= 1
            return "451 Requested action aborted: try again later"
        self.messages.append(message_from_bytes(bytes(envelope.content or b"")))
        return "250 OK"

    def to(self, address: str) -> list[Message]:
        return [message for message in self.messages if message["To"] == address]

    async def wait_for(self, address: str, count: int, timeout: float = 15.0) -> list[Message]:
        deadline = time.monotonic() + timeout
        while len(self.to(address)) < count:
            assert time.monotonic() < deadline, f"{len(self.to(address))} mails to {address}"
            await asyncio.sleep(0.05)
        return self.to(address)


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture
def inbox(smtp_server: tuple[Inbox, int]) -> Inbox:
    inbox, _ = smtp_server
    inbox.messages.clear()
    inbox.fail_next = 0
    return inbox


@pytest.fixture
def with_smtp(smtp_server: tuple[Inbox, int]) -> dict[str, Any]:
    """``settings_overrides`` for a test whose mail goes to the local SMTP server."""
    _, port = smtp_server
    return {"smtp_url": f"smtp://127.0.0.1:{port}", "mail_retry_seconds": 0.05}


def text_part(message: Message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            return str(part.get_payload(decode=True).decode())  # type: ignore[union-attr]
    raise AssertionError("no text/plain part")


def html_part(message: Message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/html":
            return str(part.get_payload(decode=True).decode())  # type: ignore[union-attr]
    raise AssertionError("no text/html part")


Headers = Callable[..., dict[str, str]]


async def fingerprint(database: Database) -> dict[str, str]:
    """Every table's rows as one digest each, in one query (``common.testing.permissions.
    snapshot`` reads every row of every table in one query per table, ten times slower): compare
    two to prove a refused request wrote nothing. Outbox rows count by id (the relay marks
    them sent on its own)."""
    from sqlalchemy import text

    parts = []
    for table in Base.metadata.sorted_tables:
        value = "t.id::text" if table.name == "event_outbox" else "t::text"
        parts.append(
            f"SELECT '{table.name}' AS name, md5(coalesce(string_agg({value}, '|' ORDER BY {value}), ''))"
            f' AS digest FROM "{table.name}" t'
        )
    async with database.session() as session:
        rows = (await session.execute(text(" UNION ALL ".join(parts)))).all()
    return {str(row.name): str(row.digest) for row in rows}
