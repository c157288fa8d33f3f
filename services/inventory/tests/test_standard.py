"""The tests every service runs (migrations, OpenAPI examples, event docs, import layers),
and what inventory's own document promises on top."""

from __future__ import annotations

import httpx

from common.testing.standard import *  # noqa: F403


async def test_openapi_document_is_served(client: httpx.AsyncClient) -> None:
    response = await client.get("/docs/inventory/openapi.json")

    assert response.status_code == 200, response.text
    document = response.json()
    assert document["info"]["title"] == "Shopfloor inventory"
    assert any(path.startswith("/api/") for path in document["paths"])
