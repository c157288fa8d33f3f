"""Issue presets drive intake: a booking naming an issue must answer the required questions of
the issue's set (422 naming the missing one). Questions are versioned: editing one never changes
the text stored with an old answer."""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest
from sqlalchemy import select

from bookings.models import Issue, Question, QuestionVersion
from common.db import Database
from tests.conftest import add_issues, add_questions, book, booking_body, solved_captcha

pytestmark = pytest.mark.usefixtures("stores")


async def test_a_preset_s_required_questions_must_be_answered(
    client: httpx.AsyncClient, database: Database
) -> None:
    (screen,) = await add_issues(
        database,
        Issue(name="Cracked screen", estimated_price=Decimal("129.00"), question_set="Screen"),
    )
    touch, _optional, other_set = await add_questions(
        database,
        Question(question_set="Screen", text="Does touch still work?", required=True, position=1),
        Question(question_set="Screen", text="Any dead pixels?", required=False, position=2),
        Question(question_set="Battery", text="Does it swell?", required=True),
    )
    missing = await client.post(
        "/api/bookings",
        json=booking_body(await solved_captcha(client), details={"issues": [screen]}),
    )
    assert missing.status_code == 422
    (entry,) = missing.json()["detail"]
    assert (
        entry["field"] == "responses"
        and "Does touch still work?" in entry["msg"]
        and f"id {touch}" in entry["msg"]
    )
    answered = await book(
        client,
        details={"issues": [screen]},
        responses=[
            {
                "question_set_name": "Screen",
                "question": "Does touch still work?",
                "response": "Partly",
            }
        ],
    )
    assert answered["issues"] == ["Cracked screen"]
    # a booking without issues asks nothing (the Battery set is not required of it)
    assert (await book(client))["status"] == "pending"
    del other_set


async def test_editing_a_question_keeps_old_answers_as_they_were(
    client: httpx.AsyncClient, database: Database, admin: dict[str, str]
) -> None:
    made = await client.post(
        "/api/questions",
        json={"question_set": "A", "text": "Is it working?", "required": True},
        headers=admin,
    )
    assert made.status_code == 201 and made.json()["version"] == 1
    question = made.json()["id"]
    booked = await book(
        client,
        responses=[{"question_set_name": "A", "question": "Is it working?", "response": "Yes"}],
    )
    edited = await client.patch(
        f"/api/questions/{question}", json={"text": "Does it power on?"}, headers=admin
    )
    assert edited.status_code == 200 and edited.json()["version"] == 2
    same = await client.patch(f"/api/questions/{question}", json={"position": 4}, headers=admin)
    assert same.json()["version"] == 2  # the order is no new wording
    answers = await client.get("/api/responses", params={"booking": booked["id"]}, headers=admin)
    (old,) = answers.json()["results"]
    assert (old["question_text"], old["question_version"]) == ("Is it working?", 1)
    async with database.session() as session:
        versions = (
            (await session.execute(select(QuestionVersion).order_by(QuestionVersion.version)))
            .scalars()
            .all()
        )
    assert [(v.version, v.text) for v in versions] == [
        (1, "Is it working?"),
        (2, "Does it power on?"),
    ]
    # the old words no longer name the question
    stale = await client.post(
        "/api/bookings",
        json=booking_body(
            await solved_captcha(client),
            responses=[{"question_set_name": "A", "question": "Is it working?", "response": "Yes"}],
        ),
    )
    assert stale.status_code == 422 and stale.json()["detail"][0]["field"] == "responses.0.question"
    deleted = await client.delete(f"/api/questions/{question}", headers=admin)
    assert deleted.status_code == 204
    kept = (
        await client.get("/api/responses", params={"booking": booked["id"]}, headers=admin)
    ).json()["results"]
    assert kept[0]["question_id"] is None and kept[0]["question_text"] == "Is it working?"


async def test_issue_presets_are_unique_withdrawn_ones_cannot_be_booked(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    made = await client.post(
        "/api/issues",
        json={"name": "Battery", "estimated_price": "79.00", "estimated_minutes": 45},
        headers=admin,
    )
    assert made.status_code == 201, made.text
    assert made.json()["estimated_price"] == "79.00"
    taken = await client.post("/api/issues", json={"name": "Battery"}, headers=admin)
    assert taken.status_code == 409
    strict = await client.post(
        "/api/issues", json={"name": "Speaker", "is_active": 0}, headers=admin
    )
    assert strict.status_code == 422 and strict.json()["detail"][0]["field"] == "is_active"
    negative = await client.post(
        "/api/issues", json={"name": "Speaker", "estimated_price": "-1.00"}, headers=admin
    )
    assert (
        negative.status_code == 422 and negative.json()["detail"][0]["field"] == "estimated_price"
    )
    issue = made.json()["id"]
    withdrawn = await client.patch(f"/api/issues/{issue}", json={"is_active": False}, headers=admin)
    assert withdrawn.status_code == 200
    refused = await client.post(
        "/api/bookings",
        json=booking_body(await solved_captcha(client), details={"issues": [issue]}),
    )
    assert refused.status_code == 422 and refused.json()["detail"][0]["field"] == "details.issues"


async def test_an_id_beyond_postgresql_integers_is_a_422_naming_it(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    beyond = 2**31  # one past the largest integer key: it used to reach the query (500)
    for method, path, field in (
        ("GET", f"/api/issues/{beyond}", "issue_id"),
        ("PUT", f"/api/issues/{beyond}", "issue_id"),
        ("DELETE", f"/api/otherissues/{beyond}", "issue_id"),
        ("GET", f"/api/questions/{beyond}", "question_id"),
        ("GET", f"/api/responses/{beyond}", "response_id"),
    ):
        body = {"estimated_price": "119.00"} if method == "PUT" else None
        response = await client.request(method, path, json=body, headers=admin)
        assert response.status_code == 422, (path, response.text)
        assert field in [entry["field"] for entry in response.json()["detail"]], response.text
    booked = await client.post(
        "/api/bookings",
        json=booking_body(await solved_captcha(client), details={"issues": [beyond]}),
    )
    assert booked.status_code == 422, booked.text
    assert booked.json()["detail"][0]["field"] == "details.issues.0"
