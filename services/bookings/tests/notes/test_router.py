"""Store notes through the API: written in your own store, listed by store, edited by a
branch head, each change announced as an event."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable

import httpx
import pytest
from sqlalchemy import func, select

from bookings.models import Note
from common.db import Database
from common.roles import Role
from common.testing.helpers import read_events
from tests.conftest import STORE_A, STORE_B

pytestmark = pytest.mark.usefixtures("stores")


def staff(
    auth_headers: Callable[..., dict[str, str]], role: Role, store: uuid.UUID
) -> dict[str, str]:
    return auth_headers(role, user_id=f"{role.value}-{store.hex[:4]}", stores=[str(store)])


async def _write(
    client: httpx.AsyncClient, headers: dict[str, str], store: uuid.UUID, title: str
) -> dict[str, object]:
    response = await client.post(
        "/api/bookings/notes", json={"store_id": str(store), "title": title}, headers=headers
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


async def test_staff_write_a_note_and_it_is_announced(
    client: httpx.AsyncClient, auth_headers: Callable[..., dict[str, str]], nats_url: str
) -> None:
    since = time.time()
    advisor = staff(auth_headers, Role.advisor, STORE_A)
    note = await _write(client, advisor, STORE_A, "Display case lock sticks")
    assert note["author_id"] == f"advisor-{STORE_A.hex[:4]}"
    events = await read_events(nats_url, "bookings.note.created", since=since)
    assert [event.data["note_id"] for event in events] == [note["id"]]
    assert events[0].actor == note["author_id"]


async def test_a_note_in_another_store_is_refused_and_not_written(
    client: httpx.AsyncClient, auth_headers: Callable[..., dict[str, str]], database: Database
) -> None:
    advisor = staff(auth_headers, Role.advisor, STORE_A)
    response = await client.post(
        "/api/bookings/notes", json={"store_id": str(STORE_B), "title": "x"}, headers=advisor
    )
    assert response.status_code == 403
    async with database.session() as session:
        assert await session.scalar(select(func.count()).select_from(Note)) == 0


async def test_an_unknown_store_is_named_in_the_422(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    unknown = uuid.uuid4()
    response = await client.post(
        "/api/bookings/notes", json={"store_id": str(unknown), "title": "x"}, headers=admin
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "store_id"
    assert str(unknown) in response.json()["detail"][0]["msg"]


async def test_staff_list_only_their_stores_notes(
    client: httpx.AsyncClient, auth_headers: Callable[..., dict[str, str]], admin: dict[str, str]
) -> None:
    await _write(client, admin, STORE_A, "A one")
    await _write(client, admin, STORE_B, "B one")
    advisor = staff(auth_headers, Role.advisor, STORE_B)
    listed = await client.get("/api/bookings/notes", headers=advisor)
    assert listed.status_code == 200
    assert [note["title"] for note in listed.json()["results"]] == ["B one"]
    assert (await client.get("/api/bookings/notes", headers=admin)).json()["count"] == 2


async def test_search_treats_wildcards_as_text(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await _write(client, admin, STORE_A, "100% sure")
    await _write(client, admin, STORE_A, "plain")
    found = await client.get("/api/bookings/notes", params={"search": "%"}, headers=admin)
    assert [note["title"] for note in found.json()["results"]] == ["100% sure"]


async def test_a_branch_head_edits_and_null_is_refused(
    client: httpx.AsyncClient, auth_headers: Callable[..., dict[str, str]], admin: dict[str, str]
) -> None:
    note = await _write(client, admin, STORE_A, "Lock sticks")
    head = staff(auth_headers, Role.branch_head, STORE_A)
    edited = await client.patch(
        f"/api/bookings/notes/{note['id']}", json={"title": "Lock fixed"}, headers=head
    )
    assert edited.status_code == 200 and edited.json()["title"] == "Lock fixed"
    refused = await client.put(
        f"/api/bookings/notes/{note['id']}", json={"title": None}, headers=head
    )
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "title"]
    advisor = staff(auth_headers, Role.advisor, STORE_A)
    assert (
        await client.patch(
            f"/api/bookings/notes/{note['id']}", json={"title": "y"}, headers=advisor
        )
    ).status_code == 403
