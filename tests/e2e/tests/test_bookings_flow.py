"""Bookings through the gateway, as a web client: a public booking with a solved ALTCHA
captcha → the admin approves → in progress → completed (invoicing asked for the invoice) →
invoicing issues it → the admin records the payment → the booking is paid; the email of each
change reaches the SMTP server. And the throttle: a flood with spoofed ``X-Forwarded-For``
headers stores only what the real address may."""

from __future__ import annotations

import asyncio
import base64
import json
import random
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from email import message_from_bytes
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from altcha.v1 import solve_challenge

from common.testing.helpers import read_events

FLOOD = 1000
BOOKING_RATE_PER_ADDRESS = 10  # BOOKING_RATE_PER_IP's default: 10/hour


async def eventually(
    attempt: Callable[[], Awaitable[httpx.Response]],
    ok: Callable[[httpx.Response], bool],
    timeout: float = 30,
) -> httpx.Response:
    """Repeat a request until ``ok`` holds for its answer (an event has arrived)."""
    deadline = time.monotonic() + timeout
    while True:
        response = await attempt()
        if ok(response) or time.monotonic() > deadline:
            return response
        await asyncio.sleep(0.2)


async def solved_captcha(client: httpx.AsyncClient) -> str:
    """Fetch the challenge through the gateway and solve it as the ALTCHA widget does."""
    challenge = (await client.get("/api/bookings/captcha")).json()
    solved = solve_challenge(
        challenge["challenge"], challenge["salt"], challenge["algorithm"], challenge["maxnumber"]
    )
    assert solved is not None
    payload = {key: challenge[key] for key in ("algorithm", "challenge", "salt", "signature")}
    return base64.b64encode(json.dumps({**payload, "number": solved.number}).encode()).decode()


def weekday_in(zone: str, days: int = 3) -> str:
    day = datetime.now(ZoneInfo(zone)).date() + timedelta(days=days)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day.isoformat()


def subjects_to(sink: Any, address: str) -> list[str]:
    return [
        str(message_from_bytes(envelope.content)["Subject"])
        for envelope in list(sink.messages)
        if address in envelope.rcpt_tos
    ]


async def wait_for_mail(sink: Any, address: str, count: int, timeout: float = 30) -> list[str]:
    deadline = time.monotonic() + timeout
    while True:
        found = subjects_to(sink, address)
        if len(found) >= count or time.monotonic() > deadline:
            return found
        await asyncio.sleep(0.2)


class Desk:
    """The repair desk's admin and a customer, through the gateway."""

    def __init__(self, client: httpx.AsyncClient, admin: dict[str, str]) -> None:
        self.client, self.admin = client, admin

    async def store(self, code: str) -> str:
        made = await self.client.post(
            "/api/stores",
            json={"code": code, "name": f"Repairs {code}", "time_zone": "America/New_York"},
            headers=self.admin,
        )
        assert made.status_code == 201, made.text
        store_id = str(made.json()["id"])
        known = await eventually(
            lambda: self.client.get("/api/bookings/stores", params={"page_size": 100}),
            lambda r: any(item["id"] == store_id for item in r.json()["results"]),
        )
        assert any(item["id"] == store_id for item in known.json()["results"]), (
            "catalog.store.created never reached bookings"
        )
        return store_id

    async def issue(self, name: str, price: str) -> int:
        made = await self.client.post(
            "/api/issues",
            json={"name": name, "estimated_price": price, "estimated_minutes": 60},
            headers=self.admin,
        )
        assert made.status_code == 201, made.text
        return int(made.json()["id"])

    async def book(self, store_id: str, email: str, issues: list[int]) -> dict[str, Any]:
        booked = await self.client.post(
            "/api/bookings",
            json={
                "name": "Eve <Customer>",
                "email": email,
                "date": weekday_in("America/New_York"),
                "time": "11:00",
                "captcha_token": await solved_captcha(self.client),
                "details": {"issues": issues, "brand": "Apple", "product": "iPhone 15"},
                "responses": [],
                "store": store_id,
            },
        )
        assert booked.status_code == 201, booked.text
        return dict(booked.json())

    async def move(self, booking_id: str, status: str) -> dict[str, Any]:
        moved = await self.client.patch(
            f"/api/bookings/{booking_id}", json={"status": status}, headers=self.admin
        )
        assert moved.status_code == 200, moved.text
        return dict(moved.json())

    async def book_and_complete(self, code: str, email: str) -> tuple[str, dict[str, Any]]:
        store_id = await self.store(code)
        screen = await self.issue(f"Screen {code}", "129.00")
        booked = await self.book(store_id, email, [screen])
        for status in ("approved", "in_progress", "completed"):
            await self.move(booked["id"], status)
        return store_id, booked


async def test_a_public_booking_is_approved_worked_on_and_completed_with_mail_at_each_step(
    platform: Any, admin_headers: dict[str, str], nats_url: str, mail_sink: Any
) -> None:
    since = time.time()
    email = f"e2e-booking-{uuid.uuid4().hex[:6]}@example.com"
    async with httpx.AsyncClient(base_url=platform.gateway, timeout=20) as client:
        desk = Desk(client, admin_headers)
        store_id, booked = await desk.book_and_complete("E2E-BK1", email)
        seen = await client.get(
            "/api/bookings/manage", headers={"X-Manage-Token": booked["manage_token"]}
        )
        assert seen.status_code == 200 and seen.json()["status"] == "completed"
        detail = await client.get(f"/api/bookings/{booked['id']}", headers=admin_headers)
        assert [change["to_status"] for change in detail.json()["history"]] == [
            "pending",
            "approved",
            "in_progress",
            "completed",
        ]
    (completed,) = [
        event
        for event in await read_events(nats_url, "bookings.booking.completed", since=since)
        if event.data["booking_id"] == booked["id"]
    ]
    assert completed.data["store_id"] == store_id and completed.data["quoted_amount"] == "129.00"
    assert completed.data["lines"][0]["description"] == "Screen E2E-BK1"
    assert await wait_for_mail(mail_sink, email, 4) == [
        "We received your repair booking",
        "Your repair booking is confirmed",
        "We are working on your repair",
        "Your repair is done",
    ]


async def test_invoicing_invoices_the_completed_booking_and_its_payment_marks_it_paid(
    platform: Any, admin_headers: dict[str, str], mail_sink: Any
) -> None:
    email = f"e2e-paid-{uuid.uuid4().hex[:6]}@example.com"
    async with httpx.AsyncClient(base_url=platform.gateway, timeout=20) as client:
        desk = Desk(client, admin_headers)
        store_id, booked = await desk.book_and_complete("E2E-BK2", email)

        def ours(response: httpx.Response) -> list[dict[str, Any]]:
            if response.status_code != 200:
                return []
            return [
                invoice
                for invoice in response.json()["results"]
                if invoice["source"] == "booking" and invoice["source_id"] == booked["id"]
            ]

        invoices = await eventually(
            lambda: client.get("/api/invoices/", params={"store": store_id}, headers=admin_headers),
            lambda r: bool(ours(r)),
        )
        (invoice,) = ours(invoices)
        assert invoice["status"] == "issued" and invoice["total"] == "129.00"
        paid = await client.post(
            "/api/payments/",
            json={"invoice_id": invoice["id"], "amount": invoice["balance"], "method": "card"},
            headers=admin_headers,
        )
        assert paid.status_code == 201, paid.text
        booking = await eventually(
            lambda: client.get(f"/api/bookings/{booked['id']}", headers=admin_headers),
            lambda r: r.json()["status"] == "paid",
        )
        assert booking.json()["status"] == "paid" and booking.json()["invoice_id"] == invoice["id"]
    assert (await wait_for_mail(mail_sink, email, 5))[-1] == "Thank you for your payment"


async def test_a_spoofed_forwarded_for_does_not_get_past_the_booking_throttle(
    platform: Any, admin_headers: dict[str, str]
) -> None:
    """1,000 posts from one real address (127.0.0.2: its own budget), each claiming another
    client in X-Forwarded-For / X-Real-IP: the gateway and uvicorn keep the real address, so
    exactly the allowed number is stored and the rest are 429s."""
    marker = uuid.uuid4().hex[:8]
    transport = httpx.AsyncHTTPTransport(local_address="127.0.0.2")
    limits = httpx.Limits(max_connections=20)
    async with (
        httpx.AsyncClient(
            base_url=platform.gateway, timeout=60, transport=transport, limits=limits
        ) as flood,
        httpx.AsyncClient(base_url=platform.gateway, timeout=20) as client,
    ):
        tokens = [await solved_captcha(client) for _ in range(BOOKING_RATE_PER_ADDRESS + 2)]

        async def post(index: int) -> int:
            spoofed = f"10.{random.randint(0, 255)}.{random.randint(0, 255)}.{index % 250 + 1}"
            response = await flood.post(
                "/api/bookings",
                json={
                    "name": "Flood",
                    "email": f"flood-{marker}-{index}@example.com",
                    "date": weekday_in("UTC"),
                    "time": "10:00",
                    "captcha_token": tokens[index] if index < len(tokens) else "unsolved",
                },
                headers={
                    "X-Forwarded-For": spoofed,
                    "X-Real-IP": spoofed,
                    "Forwarded": f"for={spoofed}",
                },
            )
            return response.status_code

        # The posts carrying solved captchas go first, one by one (concurrently, an unsolved
        # one could take a place of the budget first); the rest of the flood then all at once.
        statuses = [await post(index) for index in range(len(tokens))]
        for start in range(len(tokens), FLOOD, 100):
            statuses += await asyncio.gather(
                *(post(index) for index in range(start, min(start + 100, FLOOD)))
            )
        assert statuses.count(201) == BOOKING_RATE_PER_ADDRESS, sorted(set(statuses))
        assert statuses.count(429) == FLOOD - BOOKING_RATE_PER_ADDRESS
        stored = await client.get(
            "/api/bookings", params={"search": f"flood-{marker}"}, headers=admin_headers
        )
        assert stored.json()["count"] == BOOKING_RATE_PER_ADDRESS
        refused = await flood.post(
            "/api/marketing/contact", json={"name": "x", "email": "x@example.com", "message": "hi"}
        )
        assert refused.status_code == 201  # another scope has its own budget
