"""The public booking: seed 001's payload accepted as written, checked whole, stored once with
its issues, answers, history, events and the customer's email; bad input is a 4xx naming the
field, and nothing is stored."""

from __future__ import annotations

import time
import uuid
from datetime import timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from bookings.models import (
    Booking,
    BookingChange,
    BookingIssue,
    Issue,
    Notification,
    Question,
)
from bookings.models import Response as Answer
from common.db import Database
from common.testing.helpers import read_events
from tests.conftest import (
    STORE_B,
    add_issues,
    add_questions,
    book,
    booking_body,
    fingerprint,
    next_weekday,
    solved_captcha,
)

pytestmark = pytest.mark.usefixtures("stores")


async def _count(database: Database, model: Any) -> int:
    async with database.session() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_the_seed_payload_books_a_pending_repair_with_its_issues_and_answers(
    client: httpx.AsyncClient, database: Database, nats_url: str
) -> None:
    since = time.time()
    screen, battery = await add_issues(
        database,
        Issue(
            name="Cracked screen",
            estimated_price=Decimal("129.00"),
            estimated_minutes=90,
            question_set="A",
        ),
        Issue(name="Battery", estimated_price=Decimal("99.00"), estimated_minutes=45),
    )
    await add_questions(database, Question(question_set="A", text="Is it working?", required=True))
    body = booking_body(
        await solved_captcha(client),
        name="John",
        details={"issues": [screen, battery], "brand": "Apple", "product": "iPhone"},
        responses=[{"question_set_name": "A", "question": "Is it working?", "response": "Yes"}],
        phone="+1 212 555 0100",
    )
    response = await client.post("/api/bookings", json=body)
    assert response.status_code == 201, response.text
    booked = response.json()
    assert booked["status"] == "pending"
    assert booked["issues"] == ["Cracked screen", "Battery"]
    assert booked["store_name"] == "Manhattan" and booked["time_zone"] == "America/New_York"
    assert booked["date"] == body["date"] and booked["time"] == "10:00:00"
    assert booked["can_cancel"] is True and booked["manage_token"]

    async with database.session() as session:
        booking = await session.get(Booking, uuid.UUID(booked["id"]))
        assert booking is not None
        assert booking.quoted_amount == Decimal("228.00")  # the estimates, summed
        assert booking.starts_at.utcoffset() == timedelta(0)
        assert booking.starts_at.hour in (14, 15)  # 10:00 in New York, EST or EDT
        issues = (
            (await session.execute(select(BookingIssue).order_by(BookingIssue.position)))
            .scalars()
            .all()
        )
        assert [(i.name, i.estimated_price) for i in issues] == [
            ("Cracked screen", Decimal("129.00")),
            ("Battery", Decimal("99.00")),
        ]
        history = (await session.execute(select(BookingChange))).scalars().all()
        assert [(h.from_status, h.to_status, h.changed_by) for h in history] == [
            (None, "pending", "customer")
        ]
        answers = (await session.execute(select(Answer))).scalars().all()
        assert [(a.question_text, a.response) for a in answers] == [("Is it working?", "Yes")]
        notification = (await session.execute(select(Notification))).scalar_one()
        assert (notification.kind, notification.status) == ("pending", "skipped")  # no SMTP_URL

    created = await read_events(nats_url, "bookings.booking.created", since=since)
    assert [event.data["booking_id"] for event in created] == [booked["id"]]
    assert (
        created[0].data["issue_ids"] == [screen, battery]
        and created[0].data["quoted_amount"] == "228.00"
    )
    submitted = await read_events(nats_url, "bookings.response.submitted", since=since)
    assert [event.data["booking_id"] for event in submitted] == [booked["id"]]


async def test_without_a_store_the_slot_is_in_the_default_time_zone(
    client: httpx.AsyncClient, database: Database
) -> None:
    booked = await book(client, store=None)
    assert booked["time_zone"] == "UTC" and booked["store_id"] is None


async def test_a_store_without_hours_takes_a_weekend_slot(client: httpx.AsyncClient) -> None:
    day = next_weekday(3)
    while day.weekday() != 6:
        day += timedelta(days=1)
    booked = await book(client, store=str(STORE_B), date=day.isoformat(), time="22:30")
    assert booked["time_zone"] == "Asia/Tokyo"


def _sunday() -> str:
    day = next_weekday(3)
    while day.weekday() != 6:
        day += timedelta(days=1)
    return day.isoformat()


BAD: list[tuple[str, dict[str, Any], int, str]] = [
    ("past date", {"date": "2020-01-06"}, 422, "date"),
    ("not a date", {"date": "tomorrow"}, 422, "date"),
    ("a number for a date", {"date": 0}, 422, "date"),
    ("not a time", {"time": "25:00"}, 422, "time"),
    ("before opening", {"time": "08:30"}, 422, "time"),
    ("after closing", {"time": "18:00"}, 422, "time"),
    ("a closed day", {"date": "SUNDAY"}, 422, "date"),
    ("beyond the horizon", {"date": "FAR"}, 422, "date"),
    ("unknown issue", {"details": {"issues": [999_999]}}, 422, "details.issues"),
    ("issue as text", {"details": {"issues": ["1"]}}, 422, "details.issues.0"),
    ("10,000-character name", {"name": "x" * 10_000}, 422, "name"),
    ("blank name", {"name": "   "}, 422, "name"),
    ("not an email", {"email": "john-at-example"}, 422, "email"),
    ("phone of letters", {"phone": "call me maybe"}, 422, "phone"),
    ("unknown store", {"store": str(uuid.uuid4())}, 422, "store"),
    (
        "21 responses",
        {
            "responses": [
                {"question_set_name": "A", "question": f"q{i}", "response": "y"} for i in range(21)
            ]
        },
        422,
        "responses",
    ),
    (
        "an answer to no question",
        {"responses": [{"question_set_name": "A", "question": "Who?", "response": "me"}]},
        422,
        "responses.0.question",
    ),
    ("an unknown field", {"role": "system_admin"}, 422, "role"),
    ("no captcha", {"captcha_token": None}, 400, "captcha_token"),
]


@pytest.mark.parametrize(("case", "fields", "status", "field"), BAD, ids=[case[0] for case in BAD])
async def test_bad_input_is_refused_naming_the_field_and_nothing_is_stored(
    client: httpx.AsyncClient,
    database: Database,
    case: str,
    fields: dict[str, Any],
    status: int,
    field: str,
) -> None:
    if fields.get("date") == "SUNDAY":
        fields = {**fields, "date": _sunday()}
    if fields.get("date") == "FAR":
        fields = {**fields, "date": (next_weekday(200)).isoformat()}
    body = booking_body(await solved_captcha(client), **fields)
    before = await fingerprint(database)
    response = await client.post("/api/bookings", json=body)
    assert response.status_code == status, response.text
    detail = response.json()["detail"]
    assert field in [entry["field"] for entry in detail], detail
    assert await fingerprint(database) == before


async def test_html_is_stored_as_text(client: httpx.AsyncClient, database: Database) -> None:
    name = '<script>alert("x")</script> & Co'
    booked = await book(client, name=name, other_issue="<b>loud</b> fan")
    async with database.session() as session:
        booking = await session.get(Booking, uuid.UUID(booked["id"]))
    assert booking is not None and booking.name == name and booking.other_issue == "<b>loud</b> fan"
    assert booked["name"] == name


async def test_a_refused_booking_keeps_its_captcha_for_the_corrected_one(
    client: httpx.AsyncClient, database: Database
) -> None:
    captcha = await solved_captcha(client)
    refused = await client.post("/api/bookings", json=booking_body(captcha, time="07:00"))
    assert refused.status_code == 422
    accepted = await client.post("/api/bookings", json=booking_body(captcha))
    assert accepted.status_code == 201, accepted.text
    assert await _count(database, Booking) == 1
