"""The AI proxy and intake's AI steps against a local server speaking the Messages API (the
official SDK making real HTTP calls): chat, models, the max_tokens cap, the per-user rate
limit, provider failures, formula suggestions checked by the parser, and the cleanup job —
queued by the request, run by the worker batch by batch, its progress, its undo."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from common.roles import Role
from inventory.manifests.models import ManifestRow
from tests.ai.stub import API_KEY, Stub, messages_api
from tests.conftest import STORE_A, Shop
from tests.intake.helpers import CLEAN_MAPPINGS, approved_order, known_products, ok, step, upload

CHAT = {"messages": [{"role": "user", "content": "hi"}], "max_tokens": 100, "system": "Be brief."}


@pytest.fixture
async def stub() -> AsyncIterator[Stub]:
    async with messages_api() as running:
        yield running


@pytest.fixture
def settings_overrides(tmp_path: Path, stub: Stub) -> dict[str, Any]:
    return {
        "attachments_dir": tmp_path / "attachments",
        "ai_api_key": API_KEY,
        "ai_base_url": stub.url,
        "ai_chat_rate": "3/minute",
        "ai_max_tokens": 512,
        "intake_job_poll_seconds": 0.5,
    }


@pytest.fixture
def advisor(auth_headers: Callable[..., dict[str, str]]) -> dict[str, str]:
    return auth_headers(Role.advisor, user_id="advisor-ai", stores=[str(STORE_A)])


async def test_a_chat_goes_to_the_provider_and_back(
    client: httpx.AsyncClient, stub: Stub, advisor: dict[str, str]
) -> None:
    answer = await ok(await client.post("/api/ai/chat", json=CHAT, headers=advisor))
    assert answer["content"] == "echo: hi" and answer["model"] == "claude-sonnet-4-5"
    assert answer["usage"] == {"input_tokens": 11, "output_tokens": 7}
    [sent] = stub.requests
    assert (sent["system"], sent["max_tokens"], sent["messages"]) == (
        "Be brief.",
        100,
        CHAT["messages"],
    )
    chosen = await ok(
        await client.post("/api/ai/chat", json={**CHAT, "model": "claude-stub-1"}, headers=advisor)
    )
    assert chosen["model"] == "claude-stub-1"


async def test_max_tokens_over_the_cap_is_refused_naming_it(
    client: httpx.AsyncClient, stub: Stub, advisor: dict[str, str]
) -> None:
    response = await client.post("/api/ai/chat", json={**CHAT, "max_tokens": 513}, headers=advisor)
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "max_tokens"
    assert "At most 512" in response.json()["detail"][0]["msg"]
    first_assistant = {**CHAT, "messages": [{"role": "assistant", "content": "hello"}]}
    assert (
        await client.post("/api/ai/chat", json=first_assistant, headers=advisor)
    ).status_code == 422
    assert stub.requests == []


async def test_each_user_has_a_rate_limit(
    client: httpx.AsyncClient, stub: Stub, auth_headers: Callable[..., dict[str, str]]
) -> None:
    one = auth_headers(Role.advisor, user_id="rate-1", stores=[str(STORE_A)])
    other = auth_headers(Role.advisor, user_id="rate-2", stores=[str(STORE_A)])
    for _ in range(3):
        assert (await client.post("/api/ai/chat", json=CHAT, headers=one)).status_code == 200
    refused = await client.post("/api/ai/chat", json=CHAT, headers=one)
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
    assert (await client.post("/api/ai/chat", json=CHAT, headers=other)).status_code == 200
    assert len(stub.requests) == 4


async def test_models_list_display_names_the_default_and_the_cap(
    client: httpx.AsyncClient, advisor: dict[str, str]
) -> None:
    models = (await client.get("/api/ai/models", headers=advisor)).json()
    assert [(model["id"], model["default"], model["max_tokens"]) for model in models] == [
        ("claude-stub-1", False, 512),
        ("claude-sonnet-4-5", True, 512),
    ]
    assert models[1]["display_name"] == "Claude Sonnet 4.5"


async def test_a_failing_provider_is_a_502_saying_so(
    client: httpx.AsyncClient, stub: Stub, advisor: dict[str, str]
) -> None:
    stub.fail_with = 500
    response = await client.post("/api/ai/chat", json=CHAT, headers=advisor)
    assert response.status_code == 502
    assert response.json()["detail"] == "The AI provider answered 500: stub is down"


async def test_suggested_formulas_come_from_the_ai_when_they_parse(shop: Shop, stub: Stub) -> None:
    order = await approved_order(shop)
    await ok(await upload(shop.client, shop.admin, order["id"]))
    suggested = await ok(await step(shop.client, shop.admin, order["id"], "suggest-formulas"))
    assert suggested["source"] == "ai"
    assert suggested["mappings"]["title"] == "[Item Description] | title"  # the AI's
    assert suggested["mappings"]["brand"] == "[Brand] | trim"  # its [No Such Column] dropped
    headers_only = await ok(
        await step(shop.client, shop.admin, order["id"], "suggest-formulas", {"use_ai": False})
    )
    assert (
        headers_only["source"] == "headers"
        and headers_only["mappings"]["title"] == "[Item Description] | trim"
    )
    assert len(stub.requests) == 1


async def eventually(check: Callable[[], Any], timeout: float = 20.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        found = await check()
        if found or time.monotonic() > deadline:
            return found
        await asyncio.sleep(0.1)


async def test_cleanup_runs_as_a_job_with_progress_and_undoes_with_matching(
    shop: Shop, stub: Stub
) -> None:
    client, admin = shop.client, shop.admin
    await known_products(shop)
    order = await approved_order(shop)
    order_id = order["id"]
    await ok(await upload(client, admin, order_id))
    early = await step(client, admin, order_id, "ai-cleanup-rows")
    assert early.status_code == 409 and "process-manifest must come first" in early.json()["detail"]
    await ok(await step(client, admin, order_id, "process-manifest", {"mappings": CLEAN_MAPPINGS}))

    queued = await ok(
        await step(client, admin, order_id, "ai-cleanup-rows", {"batch_size": 2}), 202
    )
    assert (queued["total"], queued["batch_size"]) == (6, 2)
    again = await ok(await step(client, admin, order_id, "ai-cleanup-rows", {"batch_size": 2}), 202)
    assert again["id"] == queued["id"]  # one active job per order

    async def finished() -> dict[str, Any] | None:
        status = await ok(await step(client, admin, order_id, "ai-cleanup-status", method="GET"))
        return status if status["status"] == "done" else None

    status = await eventually(finished)
    assert status is not None, "the cleanup job did not finish"
    assert (status["cleaned_rows"], status["total_rows"], status["job"]["done"]) == (6, 6, 6)
    cleanup_calls = [
        request for request in stub.requests if "clean up product rows" in request["system"]
    ]
    assert len(cleanup_calls) == 3  # three batches of two
    async with shop.database.session() as session:
        rows = list(
            (await session.execute(select(ManifestRow).order_by(ManifestRow.row_no))).scalars()
        )
    assert rows[0].ai_title == "APPLE IPHONE 13 128GB MIDNIGHT" and rows[0].ai_specs == {
        "cleaned": "yes"
    }

    await ok(await step(client, admin, order_id, "match-products"))
    after_match = await step(client, admin, order_id, "ai-cleanup-rows")
    assert (
        after_match.status_code == 409
        and "undo-product-matching must come first" in after_match.json()["detail"]
    )

    cancelled = await ok(await step(client, admin, order_id, "cancel-ai-cleanup"))
    assert cancelled == {"cleared": 6}
    async with shop.database.session() as session:
        rows = list((await session.execute(select(ManifestRow))).scalars())
    assert all(row.ai_title is None and row.ai_cleaned_at is None for row in rows)
    assert all(row.match_status is None and row.matched_product_id is None for row in rows)
    results = await step(client, admin, order_id, "match-results", method="GET")
    assert (
        results.status_code == 409 and "match-products must come first" in results.json()["detail"]
    )


async def test_a_failing_provider_fails_the_job_keeping_the_reason(shop: Shop, stub: Stub) -> None:
    order = await approved_order(shop)
    await ok(await upload(shop.client, shop.admin, order["id"]))
    await ok(
        await step(
            shop.client, shop.admin, order["id"], "process-manifest", {"mappings": CLEAN_MAPPINGS}
        )
    )
    stub.fail_with = 400
    await ok(await step(shop.client, shop.admin, order["id"], "ai-cleanup-rows"), 202)

    async def failed() -> dict[str, Any] | None:
        status = await ok(
            await step(shop.client, shop.admin, order["id"], "ai-cleanup-status", method="GET")
        )
        return status if status["status"] == "failed" else None

    status = await eventually(failed)
    assert status is not None and "answered 400: stub is down" in status["job"]["error"]
    assert status["cleaned_rows"] == 0
