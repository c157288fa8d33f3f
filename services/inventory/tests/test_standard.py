"""The tests every service runs (migrations, OpenAPI examples, event docs, import layers,
schemathesis), and what inventory's own document promises on top.

Inventory runs as in production: its AI provider and the services it calls (auth for a
service token, catalog for a new product) are configured — here a stand-in served in a
thread (``tests.ai.stub``), since the fuzzer blocks the test's event loop."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from common.testing.standard import *  # noqa: F403
from tests.ai.stub import API_KEY, Stub, services_in_a_thread


@pytest.fixture(scope="module")
def services() -> Iterator[Stub]:
    with services_in_a_thread() as running:
        yield running


@pytest.fixture
def settings_overrides(tmp_path: Path, services: Stub) -> dict[str, Any]:
    return {
        "attachments_dir": tmp_path / "attachments",
        "ai_api_key": API_KEY,
        "ai_base_url": services.url,
        "service_client_id": "inventory",
        "service_client_secret": "stub-secret-not-a-secret",
        "service_urls": {"auth": services.url, "catalog": services.url},
    }


async def test_openapi_document_is_served(client: httpx.AsyncClient) -> None:
    response = await client.get("/docs/inventory/openapi.json")

    assert response.status_code == 200, response.text
    document = response.json()
    assert document["info"]["title"] == "Shopfloor inventory"
    assert any(path.startswith("/api/") for path in document["paths"])
