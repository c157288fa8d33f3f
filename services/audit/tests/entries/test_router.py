"""The log through the API: filters (each narrowing to what it names), pages, one entry,
the 004 list and the action counts; a branch head sees only their stores' rows; every kind
of bad input is a 4xx naming its parameter."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from fastapi import FastAPI
from starlette.types import Message

from audit.models import AuditEntry
from common.db import Database
from common.events.envelope import Envelope
from common.roles import Role
from tests.conftest import STORE_A, STORE_B, record, sale_event

pytestmark = pytest.mark.usefixtures("stores")
DAY = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def event(
    subject: str, actor: str | None = None, at: datetime | None = None, **data: object
) -> Envelope:
    return Envelope(
        type=subject, source=subject.split(".")[0], actor=actor, time=at or DAY, data=data
    )


async def arrange(database: Database) -> dict[str, AuditEntry]:
    """Five rows: two sales (A, B), a product change, a void in A a day later, a login."""
    envelopes = {
        "sale_a": sale_event(STORE_A, actor="cashier-a"),
        "sale_b": sale_event(STORE_B, actor="cashier-b"),
        "product": event("catalog.product.updated", "admin-1", product_id="p-7", name="Pixel 9"),
        "void_a": event(
            "pos.sale.voided",
            "head-a",
            DAY + timedelta(days=1),
            sale_id="v-1",
            store_id=str(STORE_A),
            reason="mistyped 100% price",
        ),
        "login": event(
            "auth.session.started", "admin-1", user_id="admin-1", email="boss@shop.example"
        ),
    }
    envelopes["sale_a"] = envelopes["sale_a"].model_copy(update={"time": DAY})
    envelopes["sale_b"] = envelopes["sale_b"].model_copy(update={"time": DAY})
    rows = await record(database, list(envelopes.values()))
    by_id = {row.event_id: row for row in rows}
    return {name: by_id[envelope.id] for name, envelope in envelopes.items()}


async def asgi_get(app: FastAPI, path: str, query: str, headers: dict[str, str]) -> tuple[int, Any]:
    """A GET straight into the app (httpx refuses URLs as long as a 100,000-character search)."""
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(key.lower().encode(), value.encode()) for key, value in headers.items()],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
        "state": {},
    }
    await app(scope, receive, send)
    status = next(message["status"] for message in sent if message["type"] == "http.response.start")
    body = b"".join(
        message.get("body", b"") for message in sent if message["type"] == "http.response.body"
    )
    return status, json.loads(body)


async def ids(
    client: httpx.AsyncClient, headers: dict[str, str], path: str = "/api/logs/", **params: str
) -> list[int]:
    response = await client.get(path, params=params, headers=headers)
    assert response.status_code == 200, response.text
    return [row["id"] for row in response.json()["results"]]


async def test_each_filter_narrows_to_what_it_names(
    client: httpx.AsyncClient, database: Database, admin: dict[str, str]
) -> None:
    rows = await arrange(database)
    r = {name: row.id for name, row in rows.items()}
    assert await ids(client, admin) == [
        r["void_a"],
        r["login"],
        r["product"],
        r["sale_b"],
        r["sale_a"],
    ]
    assert await ids(client, admin, action="pos.sale.completed") == [r["sale_b"], r["sale_a"]]
    assert await ids(client, admin, actor="admin-1") == [r["login"], r["product"]]
    assert await ids(client, admin, entity="product", entity_id="p-7") == [r["product"]]
    assert await ids(client, admin, store=str(STORE_A)) == [r["void_a"], r["sale_a"]]
    assert await ids(client, admin, source="catalog") == [r["product"]]
    assert await ids(client, admin, date_from="2026-11-21") == [r["void_a"]]
    assert await ids(client, admin, date_to="2026-11-20") == [
        r["login"],
        r["product"],
        r["sale_b"],
        r["sale_a"],
    ]
    assert await ids(client, admin, search="100%") == [r["void_a"]]  # a wildcard is text
    assert await ids(client, admin, search="pixel") == [r["product"]]
    assert await ids(client, admin, flagged="true") == []
    assert (await ids(client, admin, ordering="occurred_at"))[0] == r["sale_a"]


async def test_the_004_list_is_the_same_rows_and_shape(
    client: httpx.AsyncClient, database: Database, admin: dict[str, str]
) -> None:
    await arrange(database)
    logs = (await client.get("/api/logs/", params={"page_size": 2}, headers=admin)).json()
    audit = (await client.get("/api/audit/", params={"page_size": 2}, headers=admin)).json()
    assert logs["results"] == audit["results"] and logs["count"] == audit["count"] == 5
    assert set(audit) == {"count", "next", "previous", "results"}
    assert audit["next"] is not None and "page=2" in audit["next"]


async def test_an_entry_shows_its_masked_payload_and_chain(
    client: httpx.AsyncClient, database: Database, admin: dict[str, str]
) -> None:
    rows = await arrange(database)
    login = rows["login"]
    answer = await client.get(f"/api/logs/{login.id}/", headers=admin)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["payload"] == {"user_id": "admin-1", "email": "b***@shop.example"}
    assert (body["action"], body["entity_type"], body["entity_id"], body["actor"]) == (
        "auth.session.started",
        "session",
        "admin-1",
        "admin-1",
    )
    assert (body["hash"], body["position"], body["flagged"]) == (login.hash, login.position, False)
    assert body["month"] == f"{login.recorded_at:%Y-%m}"
    assert (await client.get("/api/logs/987654321", headers=admin)).status_code == 404


async def test_a_branch_head_reads_their_own_stores_rows_only(
    client: httpx.AsyncClient, database: Database, auth_headers: Callable[..., dict[str, str]]
) -> None:
    rows = await arrange(database)
    head = auth_headers(Role.branch_head, user_id="head-a", stores=[str(STORE_A)])
    assert await ids(client, head) == [rows["void_a"].id, rows["sale_a"].id]
    assert await ids(client, head, path="/api/audit", action="pos.sale.completed") == [
        rows["sale_a"].id
    ]
    refused = await client.get("/api/logs/", params={"store": str(STORE_B)}, headers=head)
    assert refused.status_code == 403 and str(STORE_B) in refused.json()["detail"]
    for other in ("sale_b", "product", "login"):  # another store's, or no store's
        assert (await client.get(f"/api/logs/{rows[other].id}", headers=head)).status_code == 403
    assert (await client.get(f"/api/logs/{rows['sale_a'].id}", headers=head)).status_code == 200
    actions = (await client.get("/api/audit/actions", headers=head)).json()
    assert {(a["action"], a["count"]) for a in actions} == {
        ("pos.sale.completed", 1),
        ("pos.sale.voided", 1),
    }


async def test_actions_list_every_action_seen_with_counts(
    client: httpx.AsyncClient, database: Database, admin: dict[str, str]
) -> None:
    await arrange(database)
    actions = (await client.get("/api/audit/actions", headers=admin)).json()
    assert [(a["action"], a["source"], a["entity_type"], a["count"]) for a in actions] == [
        ("auth.session.started", "auth", "session", 1),
        ("catalog.product.updated", "catalog", "product", 1),
        ("pos.sale.completed", "pos", "sale", 2),
        ("pos.sale.voided", "pos", "sale", 1),
    ]


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"action": "pos.sale.exploded"}, "action"),
        ({"entity": "spaceship"}, "entity"),
        ({"source": "mars"}, "source"),
        ({"store": str(uuid.UUID(int=7))}, "store"),
        ({"store": "not-a-store"}, "store"),
        ({"date_from": "2026-12-02", "date_to": "2026-12-01"}, "date_from"),
        ({"date_from": "yesterday"}, "date_from"),
        ({"date_to": "0.5"}, "date_to"),  # a number is not a date (lax parsing took it)
        ({"date_from": "1700000000"}, "date_from"),
        ({"flagged": "1"}, "flagged"),  # true or false only
        ({"page_size": 10**9}, "page_size"),
        ({"page": 0}, "page"),
        ({"search": "x" * 100_000}, "search"),
        ({"search": "x" * 201}, "search"),
        ({"flagged": "maybe"}, "flagged"),
        ({"ordering": "-hash"}, "ordering"),
    ],
)
async def test_bad_input_is_a_4xx_naming_the_parameter(
    app: FastAPI,
    client: httpx.AsyncClient,
    database: Database,
    admin: dict[str, str],
    params: dict[str, object],
    parameter: str,
) -> None:
    await arrange(database)
    paging = parameter in ("page", "page_size", "ordering")  # the export has no pages
    for path in ("/api/logs/", "/api/audit/", *(() if paging else ("/api/logs/export/",))):
        status, body = await asgi_get(app, path, urlencode(params), admin)
        assert status == 422, (path, body)
        assert {tuple(error["loc"][:2]) for error in body["detail"]} == {("query", parameter)}


async def test_an_entry_id_beyond_bigint_is_a_422_not_a_500(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    answer = await client.get("/api/logs/18446744073709551615", headers=admin)
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"][0]["loc"] == ["path", "entry_id"]


async def test_an_unknown_value_error_lists_what_the_log_has_seen(
    client: httpx.AsyncClient, database: Database, admin: dict[str, str]
) -> None:
    await arrange(database)
    answer = await client.get("/api/logs/", params={"source": "mars"}, headers=admin)
    assert "auth, catalog, pos" in answer.json()["detail"][0]["msg"]


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"action": "pos.sale.completed"},
        {"entity": "sale"},
        {"store": str(STORE_A)},
        {"action": "pos.sale.voided", "store": str(STORE_A)},
    ],
)
async def test_counts_from_the_totals_are_the_counts_of_the_rows(
    client: httpx.AsyncClient,
    database: Database,
    admin: dict[str, str],
    auth_headers: Callable[..., dict[str, str]],
    params: dict[str, str],
) -> None:
    """Without dates, actors or text, the count comes from action_counts: it must be what
    counting the rows gives (a date_from before everything makes the list count rows)."""
    await arrange(database)
    await record(database, [sale_event(STORE_B) for _ in range(3)])
    head = auth_headers(Role.branch_head, user_id="head-a", stores=[str(STORE_A)])
    for headers in (admin, head):
        if "store" in params and headers is head and params["store"] != str(STORE_A):
            continue
        totals = await client.get("/api/logs/", params=params, headers=headers)
        rows = await client.get(
            "/api/logs/", params={**params, "date_from": "2000-01-01"}, headers=headers
        )
        assert totals.status_code == rows.status_code == 200, totals.text
        assert totals.json()["count"] == rows.json()["count"] == len(rows.json()["results"])
