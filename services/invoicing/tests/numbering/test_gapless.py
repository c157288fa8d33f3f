"""Invoice numbers are gapless per store and year: fifty issues at once get 1..50 with no gap
and no duplicate; an issue that rolls back gives its number back; each store counts alone;
the invoice-status report's sequence check agrees."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import delete

from common.roles import Principal, Role
from invoicing.invoices.service import InvoiceService
from invoicing.models import Invoice, InvoiceLine
from tests.conftest import STORE_A, STORE_B, Books

CONCURRENT = 50


def year() -> int:
    return datetime.now(ZoneInfo("America/New_York")).year


async def test_fifty_concurrent_issues_take_fifty_consecutive_numbers(books: Books) -> None:
    drafts = [await books.draft() for _ in range(CONCURRENT)]
    other_store = await books.draft(store=STORE_B)
    responses = await asyncio.gather(
        *(books.issue(draft["id"]) for draft in drafts), books.issue(other_store["id"])
    )
    assert all(response.status_code == 200 for response in responses), [
        response.text for response in responses if response.status_code != 200
    ]
    numbers = sorted(response.json()["number"] for response in responses[:-1])
    assert numbers == [f"INV-NYC-01-{year()}-{n:06d}" for n in range(1, CONCURRENT + 1)]
    assert responses[-1].json()["number"] == f"INV-BOS-01-{year()}-000001"
    report = await books.client.get(
        "/api/reports/invoice-status", params={"store": str(STORE_A)}, headers=books.admin
    )
    [sequence] = report.json()["sequence_integrity"]
    assert (sequence["counter"], sequence["issued"], sequence["gap_count"], sequence["intact"]) == (
        CONCURRENT,
        CONCURRENT,
        0,
        True,
    )


async def test_an_issue_that_rolls_back_gives_its_number_back(books: Books) -> None:
    draft = await books.draft()
    admin = Principal(user_id="admin-1", role=Role.system_admin)
    async with books.database.sessionmaker() as session:
        taken = await InvoiceService(session, admin).issue(uuid.UUID(draft["id"]))
        assert taken.number == f"INV-NYC-01-{year()}-000001"
        await session.rollback()  # e.g. the request failed after the number was taken
    again = await books.issue(draft["id"])
    assert again.json()["number"] == f"INV-NYC-01-{year()}-000001"
    second = await books.issued()
    assert second["number"] == f"INV-NYC-01-{year()}-000002"


async def test_a_missing_number_shows_as_a_gap_and_voids_keep_theirs(books: Books) -> None:
    first, second, third = await books.issued(), await books.issued(), await books.issued()
    await books.client.post(
        f"/api/invoices/{second['id']}/void", json={"reason": "Duplicate of 1"}, headers=books.admin
    )
    async with books.database.session() as session:  # what a manual DELETE in the database does
        await session.execute(
            delete(InvoiceLine).where(InvoiceLine.invoice_id == uuid.UUID(third["id"]))
        )
        await session.execute(delete(Invoice).where(Invoice.id == uuid.UUID(third["id"])))
    report = await books.client.get("/api/reports/invoice-status", headers=books.admin)
    [sequence] = report.json()["sequence_integrity"]
    assert (sequence["gaps"], sequence["gap_count"], sequence["intact"]) == ([3], 1, False)
    assert (
        sequence["last_number"] == second["number"] and sequence["first_number"] == first["number"]
    )
    assert [(void["number"], void["reason"]) for void in sequence["voids"]] == [
        (second["number"], "Duplicate of 1")
    ]
