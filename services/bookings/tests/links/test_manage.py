"""The manage link: with the token of the booking's answer a customer reads the booking and
cancels it until the cut-off, and answers questions, without an account. A tampered, foreign or
expired token is a 403; a cancellation after the cut-off is a 409; neither changes anything."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from bookings.config import DEV_MANAGE_SECRET
from bookings.links.tokens import ManageTokens
from bookings.models import Booking, BookingChange, Question
from common.db import Database
from tests.conftest import add_questions, book, fingerprint

pytestmark = pytest.mark.usefixtures("stores")
TOKENS = ManageTokens(DEV_MANAGE_SECRET, lifetime=timedelta(days=90))


def _link(token: str) -> dict[str, str]:
    return {"X-Manage-Token": token}


async def test_the_token_reads_the_booking_and_cancels_it(
    client: httpx.AsyncClient, database: Database
) -> None:
    booked = await book(client)
    seen = await client.get("/api/bookings/manage", headers=_link(booked["manage_token"]))
    assert seen.status_code == 200, seen.text
    assert seen.json()["id"] == booked["id"] and seen.json()["can_cancel"] is True
    cancelled = await client.post(
        "/api/bookings/manage/cancel",
        json={"reason": "Fixed it myself"},
        headers=_link(booked["manage_token"]),
    )
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["status"] == "cancelled" and cancelled.json()["can_cancel"] is False
    async with database.session() as session:
        rows = (
            (await session.execute(select(BookingChange).order_by(BookingChange.id)))
            .scalars()
            .all()
        )
    assert [(r.to_status, r.changed_by, r.reason) for r in rows] == [
        ("pending", "customer", None),
        ("cancelled", "customer", "Fixed it myself"),
    ]
    again = await client.post(
        "/api/bookings/manage/cancel",
        json={"reason": "twice"},
        headers=_link(booked["manage_token"]),
    )
    assert again.status_code == 409 and "Current status: cancelled" in again.json()["detail"]


def _tampered(token: str) -> str:
    payload, signature = token.split(".")
    return payload + "." + ("A" if signature[0] != "A" else "B") + signature[1:]


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (_tampered, "not valid"),
        (
            lambda token: ManageTokens("another secret", lifetime=timedelta(days=1)).issue(
                uuid.uuid4()
            ),
            "not valid",
        ),
        (lambda token: TOKENS.issue(uuid.uuid4()), "not valid"),  # ours, but no such booking
        ("EXPIRED", "expired"),
        (lambda token: "garbage", "not valid"),
    ],
    ids=["tampered", "foreign", "unknown booking", "expired", "garbage"],
)
async def test_a_bad_token_is_refused_and_changes_nothing(
    client: httpx.AsyncClient, database: Database, make: Any, words: str
) -> None:
    booked = await book(client)
    if make == "EXPIRED":
        token = TOKENS.issue(uuid.UUID(booked["id"]), now=datetime.now(UTC) - timedelta(days=91))
    else:
        token = make(booked["manage_token"])
    before = await fingerprint(database)
    for method, path, body in (
        ("GET", "/api/bookings/manage", None),
        ("POST", "/api/bookings/manage/cancel", {"reason": "x"}),
        ("POST", "/api/responses", {"question_set_name": "A", "question": "Q?", "response": "y"}),
    ):
        response = await client.request(method, path, json=body, headers=_link(token))
        assert response.status_code == 403, (path, response.text)
        assert words in response.json()["detail"]
    assert await fingerprint(database) == before


async def test_no_cancellation_after_the_cut_off(
    client: httpx.AsyncClient, database: Database
) -> None:
    booked = await book(client)
    async with database.session() as session:  # the slot moved to 23 hours from now
        booking = await session.get(Booking, uuid.UUID(booked["id"]))
        assert booking is not None
        booking.starts_at = datetime.now(UTC) + timedelta(hours=23)
    seen = await client.get("/api/bookings/manage", headers=_link(booked["manage_token"]))
    assert seen.json()["can_cancel"] is False
    before = await fingerprint(database)
    late = await client.post(
        "/api/bookings/manage/cancel",
        json={"reason": "late"},
        headers=_link(booked["manage_token"]),
    )
    assert late.status_code == 409 and "24 hours before the slot" in late.json()["detail"]
    assert await fingerprint(database) == before


async def test_the_link_answers_a_question_later(
    client: httpx.AsyncClient, database: Database, admin: dict[str, str]
) -> None:
    (question,) = await add_questions(
        database, Question(question_set="Follow-up", text="How was the repair?")
    )
    booked = await book(client)
    answer = await client.post(
        "/api/responses",
        json={"question_set_name": "Follow-up", "question_id": question, "response": "Great"},
        headers=_link(booked["manage_token"]),
    )
    assert answer.status_code == 201, answer.text
    assert (
        answer.json()["booking_id"] == booked["id"]
        and answer.json()["question_text"] == "How was the repair?"
    )
    stranger = await client.post(
        "/api/responses",
        json={"question_set_name": "Follow-up", "question": "Who are you?", "response": "x"},
        headers=_link(booked["manage_token"]),
    )
    assert stranger.status_code == 422 and stranger.json()["detail"][0]["field"] == "question"
    missing = await client.post(
        "/api/responses", json={"question_set_name": "Follow-up", "response": "x"}
    )
    assert missing.status_code == 422
