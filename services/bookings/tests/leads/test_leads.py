"""Marketing leads: stored with their source page, one per person, kind and day (a repeat
updates it and counts), listed and exported as CSV (formula-safe) for system admins, each
submission announced as ``bookings.lead.captured``."""

from __future__ import annotations

import csv
import io
import time
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import select

from bookings.models import Lead
from common.db import Database
from common.testing.helpers import read_events


async def test_a_repeat_within_a_day_updates_the_lead_and_counts(
    client: httpx.AsyncClient, database: Database, admin: dict[str, str], nats_url: str
) -> None:
    since = time.time()
    first = await client.post(
        "/api/marketing/contact",
        json={
            "name": "Ann",
            "email": "ann@example.com",
            "message": "Do you fix Walkmans?",
            "source_page": "/contact",
        },
    )
    assert first.status_code == 201, first.text
    again = await client.post(
        "/api/marketing/contact",
        json={
            "name": "Ann Lee",
            "email": "ANN@example.com",
            "message": "Still wondering",
            "source_page": "/pricing",
        },
    )
    assert again.status_code == 201 and again.json()["id"] == first.json()["id"]
    call = await client.post(
        "/api/marketing/schedule-call",
        json={"name": "Ann", "phone": "+1 212 555 0100", "email": "ann@example.com"},
    )
    assert call.status_code == 201 and call.json()["id"] != first.json()["id"]  # another kind
    listed = await client.get("/api/marketing/leads", params={"kind": "contact"}, headers=admin)
    (lead,) = listed.json()["results"]
    assert (lead["submissions"], lead["name"], lead["message"], lead["source_page"]) == (
        2,
        "Ann Lee",
        "Still wondering",
        "/pricing",
    )
    events = await read_events(nats_url, "bookings.lead.captured", expected=3, since=since)
    assert [(e.data["kind"], e.data["submissions"]) for e in events] == [
        ("contact", 1),
        ("contact", 2),
        ("schedule_call", 1),
    ]


async def test_after_a_day_the_same_person_makes_a_new_lead(
    client: httpx.AsyncClient, database: Database
) -> None:
    first = await client.post(
        "/api/marketing/schedule-call", json={"name": "Bo", "phone": "212-555-0199"}
    )
    async with database.session() as session:
        lead = (await session.execute(select(Lead))).scalar_one()
        lead.first_received_at = datetime.now(UTC) - timedelta(days=1, minutes=1)
    second = await client.post(
        "/api/marketing/schedule-call", json={"name": "Bo", "phone": "(212) 555 0199"}
    )
    assert second.status_code == 201 and second.json()["id"] != first.json()["id"]


async def test_the_csv_export_is_safe_to_open(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await client.post(
        "/api/marketing/contact",
        json={
            "name": '=HYPERLINK("http://evil")',
            "email": "x@example.com",
            "message": "+1 then, a comma",
        },
    )
    exported = await client.get("/api/marketing/leads/export", headers=admin)
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert rows[0]["name"] == '\'=HYPERLINK("http://evil")'
    assert rows[0]["message"] == "'+1 then, a comma"
    assert rows[0]["kind"] == "contact" and rows[0]["submissions"] == "1"


async def test_bad_lead_input_names_the_field(
    client: httpx.AsyncClient, database: Database
) -> None:
    for path, body, field in (
        ("/api/marketing/contact", {"name": "A", "email": "nope", "message": "x"}, "email"),
        (
            "/api/marketing/contact",
            {"name": "A", "email": "a@example.com", "message": ""},
            "message",
        ),
        ("/api/marketing/schedule-call", {"name": "A"}, "phone"),
        (
            "/api/marketing/schedule-call",
            {"name": "A", "phone": "1234567", "preferred_date": 0},
            "preferred_date",
        ),
        (
            "/api/marketing/contact",
            {"name": "x" * 10_000, "email": "a@example.com", "message": "x"},
            "name",
        ),
        (  # 201 characters as sent: over the documented maxLength, even if trimming fits it
            "/api/marketing/contact",
            {"name": "\u00a0" + "x" * 200, "email": "a@example.com", "message": "x"},
            "name",
        ),
        (
            "/api/marketing/contact",
            {"name": "   ", "email": "a@example.com", "message": "x"},
            "name",
        ),
    ):
        response = await client.post(path, json=body)
        assert response.status_code == 422, response.text
        assert field in [entry["field"] for entry in response.json()["detail"]]
    async with database.session() as session:
        assert (await session.execute(select(Lead))).first() is None
