"""Who may call which route: every route by every kind of caller (``common.testing.permissions``).

``MATRIX`` is seed 000's permission column, one row per (method, route) the app serves. The
arranged objects (a booking with its manage token, an issue, an "other" issue, a question, an
answer) are made before each row; a refused request leaves every stored row unchanged. Public
writes get a fresh captcha per caller; the manage-link routes are the token holder's whoever
they are."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from bookings.models import Issue, OtherIssue, Question
from common.db import Database
from common.roles import Role
from common.testing.permissions import (
    CALLERS,
    Row,
    caller_id,
    infrastructure_rows,
    matrix_gaps,
    nats_connected,
    row_id,
)
from tests.conftest import (
    STORE_A,
    add_issues,
    add_questions,
    book,
    booking_body,
    fingerprint,
    solved_captcha,
)

PUBLIC = (200, 200, 200, 200, 200, 200)
PUBLIC_NEW = (201, 201, 201, 201, 201, 201)
SIGNED_IN = (401, 200, 200, 200, 200, 200)
ADMIN = (401, 403, 403, 403, 403, 200)
ADMIN_NEW = (401, 403, 403, 403, 403, 201)
ADMIN_GONE = (401, 403, 403, 403, 403, 204)

BOOKING = "/api/bookings/{booking_id}"
ISSUE = "/api/issues/{issue_id}"
OTHER = "/api/otherissues/{issue_id}"
QUESTION = "/api/questions/{question_id}"
RESPONSE = "/api/responses/{response_id}"
STORE = "/api/bookings/stores/{store_id}"

# fmt: off
MATRIX: list[Row] = [
    *infrastructure_rows("bookings"),
    Row("GET",    "/api/bookings/captcha",       *PUBLIC),
    Row("GET",    "/api/bookings/stores",        *PUBLIC),
    Row("PUT",    STORE,                         *ADMIN),
    Row("PATCH",  STORE,                         *ADMIN),
    Row("GET",    "/api/bookings",               *ADMIN),
    Row("POST",   "/api/bookings",               *PUBLIC_NEW),
    Row("GET",    BOOKING,                       *ADMIN),
    Row("PUT",    BOOKING,                       *ADMIN),
    Row("PATCH",  BOOKING,                       *ADMIN),
    Row("GET",    "/api/bookings/manage",        *PUBLIC),
    Row("POST",   "/api/bookings/manage/cancel", *PUBLIC),
    Row("GET",    "/api/issues",                 *SIGNED_IN),
    Row("POST",   "/api/issues",                 *ADMIN_NEW),
    Row("GET",    ISSUE,                         *SIGNED_IN),
    Row("PUT",    ISSUE,                         *ADMIN),
    Row("PATCH",  ISSUE,                         *ADMIN),
    Row("DELETE", ISSUE,                         *ADMIN_GONE),
    Row("GET",    "/api/otherissues",            *SIGNED_IN),
    Row("POST",   "/api/otherissues",            *ADMIN_NEW),
    Row("GET",    OTHER,                         *SIGNED_IN),
    Row("PUT",    OTHER,                         *ADMIN),
    Row("PATCH",  OTHER,                         *ADMIN),
    Row("DELETE", OTHER,                         *ADMIN_GONE),
    Row("GET",    "/api/questions",              *SIGNED_IN),
    Row("POST",   "/api/questions",              *ADMIN_NEW),
    Row("GET",    QUESTION,                      *SIGNED_IN),
    Row("PUT",    QUESTION,                      *ADMIN),
    Row("PATCH",  QUESTION,                      *ADMIN),
    Row("DELETE", QUESTION,                      *ADMIN_GONE),
    Row("GET",    "/api/responses",              *ADMIN),
    Row("POST",   "/api/responses",              *PUBLIC_NEW),
    Row("GET",    RESPONSE,                      *ADMIN),
    Row("POST",   "/api/marketing/contact",      *PUBLIC_NEW),
    Row("POST",   "/api/marketing/schedule-call", *PUBLIC_NEW),
    Row("GET",    "/api/marketing/leads",        *ADMIN),
    Row("GET",    "/api/marketing/leads/export", *ADMIN),
]
# fmt: on


@dataclass
class Arranged:
    booking_id: str
    token: str
    issue_id: int
    other_id: int
    question_id: int
    response_id: int

    def url(self, path: str) -> str:
        return (
            path.replace("{booking_id}", self.booking_id)
            .replace(
                "{issue_id}",
                str(self.other_id if path.startswith("/api/otherissues") else self.issue_id),
            )
            .replace("{question_id}", str(self.question_id))
            .replace("{response_id}", str(self.response_id))
            .replace("{store_id}", str(STORE_A))
        )


async def arrange(client: httpx.AsyncClient, database: Database, admin: dict[str, str]) -> Arranged:
    (issue_id,) = await add_issues(database, Issue(name="Screen", estimated_price=Decimal("99.00")))
    async with database.session() as session:
        other = OtherIssue(name="Water damage", description="")
        session.add(other)
        await session.flush()
        other_id = other.id
    (question_id,) = await add_questions(
        database, Question(question_set="A", text="Is it working?")
    )
    booked = await book(
        client,
        responses=[{"question_set_name": "A", "question": "Is it working?", "response": "Yes"}],
    )
    answers = await client.get("/api/responses", params={"booking": booked["id"]}, headers=admin)
    return Arranged(
        booking_id=booked["id"],
        token=booked["manage_token"],
        issue_id=issue_id,
        other_id=other_id,
        question_id=question_id,
        response_id=answers.json()["results"][0]["id"],
    )


async def body_for(client: httpx.AsyncClient, row: Row, caller: Role | None) -> Any:
    """The request body of a row (a fresh captcha and email for each public booking)."""
    key = (row.method, row.path)
    who = caller.value if caller else "anonymous"
    if key == ("POST", "/api/bookings"):
        return booking_body(await solved_captcha(client))
    bodies: dict[tuple[str, str], Any] = {
        ("PUT", STORE): {"opening_hours": None},
        ("PATCH", STORE): {"opening_hours": {"monday": {"opens": "10:00", "closes": "16:00"}}},
        ("PUT", BOOKING): {"notes": "Parts ordered"},
        ("PATCH", BOOKING): {"status": "approved"},
        ("POST", "/api/bookings/manage/cancel"): {"reason": "Changed my mind"},
        ("POST", "/api/issues"): {"name": f"Battery {who}", "estimated_price": "79.00"},
        ("PUT", ISSUE): {"estimated_minutes": 30},
        ("PATCH", ISSUE): {"description": "Swollen battery"},
        ("POST", "/api/otherissues"): {"name": f"Noise {who}"},
        ("PUT", OTHER): {"description": "Rattles"},
        ("PATCH", OTHER): {"is_active": False},
        ("POST", "/api/questions"): {"question_set": "B", "text": f"When did it break ({who})?"},
        ("PUT", QUESTION): {"required": True},
        ("PATCH", QUESTION): {"text": "Does it still work?"},
        ("POST", "/api/responses"): {
            "question_set_name": "A",
            "question_id": None,
            "question": "Is it working?",
            "response": "No",
        },
        ("POST", "/api/marketing/contact"): {
            "name": "Ann",
            "email": f"{who}@example.com",
            "message": "Hi",
        },
        ("POST", "/api/marketing/schedule-call"): {"name": "Ann", "phone": "+1 212 555 0100"},
    }
    return bodies.get(key)


@pytest.fixture
def as_role(auth_headers: Callable[..., dict[str, str]]) -> Callable[[Role | None], dict[str, str]]:
    def headers(role: Role | None) -> dict[str, str]:
        if role is None:
            return {}
        stores = [] if role == Role.system_admin else [str(STORE_A)]
        return auth_headers(role, user_id=f"user-{role.value}", stores=stores)

    return headers


def test_every_served_route_has_exactly_one_row(app: FastAPI) -> None:
    unlisted, unserved, duplicated = matrix_gaps(app, MATRIX)
    assert unlisted == [] and unserved == [] and not duplicated


@pytest.mark.usefixtures("stores")
@pytest.mark.parametrize("row", MATRIX, ids=row_id)
async def test_each_caller_gets_the_seed_permission(
    row: Row,
    app: FastAPI,
    client: httpx.AsyncClient,
    database: Database,
    admin: dict[str, str],
    as_role: Callable[[Role | None], dict[str, str]],
) -> None:
    await nats_connected(app)
    needs_objects = "{" in row.path or row.path.startswith(
        ("/api/bookings/manage", "/api/responses")
    )
    arranged = (
        await arrange(client, database, admin) if needs_objects else Arranged("", "", 0, 0, 0, 0)
    )
    consumed = False
    for caller in CALLERS:
        if consumed:  # the last caller's write used the object up (cancelled, deleted, ...)
            arranged = await _fresh(client, database, arranged, row)
        headers = as_role(caller)
        if row.path.startswith("/api/bookings/manage") or (
            row.path == "/api/responses" and row.method == "POST"
        ):
            headers = {**headers, "X-Manage-Token": arranged.token}
        body = await body_for(client, row, caller)
        before = await fingerprint(database)
        response = await client.request(
            row.method, arranged.url(row.path), json=body, headers=headers
        )
        assert response.status_code == row.expected(caller), (caller_id(caller), response.text)
        if response.status_code >= 400:
            assert await fingerprint(database) == before, caller_id(caller)
        consumed = (response.status_code < 400 and row.method != "GET" and "{" in row.path) or (
            response.status_code < 400 and row.path == "/api/bookings/manage/cancel"
        )


async def _fresh(
    client: httpx.AsyncClient, database: Database, arranged: Arranged, row: Row
) -> Arranged:
    """A new object for a write that consumed the last one (deleted, cancelled, approved)."""
    if row.path.startswith("/api/bookings"):
        booked = await book(client)
        return Arranged(
            booked["id"],
            booked["manage_token"],
            arranged.issue_id,
            arranged.other_id,
            arranged.question_id,
            arranged.response_id,
        )
    if row.path.startswith("/api/issues"):
        (issue_id,) = await add_issues(database, Issue(name=f"Issue {uuid.uuid4()}"))
        return Arranged(
            arranged.booking_id,
            arranged.token,
            issue_id,
            arranged.other_id,
            arranged.question_id,
            arranged.response_id,
        )
    if row.path.startswith("/api/otherissues"):
        async with database.session() as session:
            other = OtherIssue(name=f"Other {uuid.uuid4()}", description="")
            session.add(other)
            await session.flush()
            other_id = other.id
        return Arranged(
            arranged.booking_id,
            arranged.token,
            arranged.issue_id,
            other_id,
            arranged.question_id,
            arranged.response_id,
        )
    (question_id,) = await add_questions(
        database, Question(question_set="C", text=f"Q {uuid.uuid4()}")
    )
    return Arranged(
        arranged.booking_id,
        arranged.token,
        arranged.issue_id,
        arranged.other_id,
        question_id,
        arranged.response_id,
    )


@pytest.mark.usefixtures("stores")
async def test_mine_lists_only_the_bookings_of_the_caller_s_email(
    client: httpx.AsyncClient, database: Database, auth_headers: Callable[..., dict[str, str]]
) -> None:
    from tests.conftest import add_customer

    await add_customer(database, "cust-1", "Ann@Example.com")
    mine = await book(client, email="ann@example.com")
    await book(client, email="someone-else@example.com")
    customer = auth_headers(Role.customer, user_id="cust-1")
    listed = await client.get("/api/bookings", params={"mine": "true"}, headers=customer)
    assert listed.status_code == 200, listed.text
    assert [booking["id"] for booking in listed.json()["results"]] == [mine["id"]]
    stranger = auth_headers(Role.customer, user_id="never-announced")
    nothing = await client.get("/api/bookings", params={"mine": "true"}, headers=stranger)
    assert nothing.status_code == 200 and nothing.json()["count"] == 0
    assert (await client.get("/api/bookings", headers=customer)).status_code == 403
    assert (await client.get("/api/bookings", params={"mine": "true"})).status_code == 401
