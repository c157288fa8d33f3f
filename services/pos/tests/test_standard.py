"""The tests every service runs (migrations, OpenAPI examples, event docs against the
contracts, import layers), and that the OpenAPI document is served."""

from __future__ import annotations

import httpx

from common.testing.standard import *  # noqa: F403


async def test_openapi_document_is_served(client: httpx.AsyncClient) -> None:
    response = await client.get("/docs/pos/openapi.json")

    assert response.status_code == 200, response.text
    document = response.json()
    assert document["info"]["title"] == "Shopfloor POS"
    assert any(path.startswith("/api/") for path in document["paths"])
