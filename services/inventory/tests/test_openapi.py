"""OpenAPI with examples on every route: summaries, request examples and response examples."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from common.testing.openapi import undocumented


def test_every_api_route_is_documented_with_examples(app: FastAPI) -> None:
    document = app.openapi()
    assert any(path.startswith("/api/") for path in document["paths"])
    failures = undocumented(document)
    assert failures == [], "\n".join(failures)


async def test_openapi_document_is_served(client: httpx.AsyncClient) -> None:
    response = await client.get("/docs/inventory/openapi.json")

    assert response.status_code == 200, response.text
    document = response.json()
    assert document["info"]["title"] == "Shopfloor inventory"
    assert any(path.startswith("/api/") for path in document["paths"])
