"""Without AI_API_KEY there is no AI: its routes and steps answer 503 "AI is not configured",
and the pipeline works without it (suggest-formulas falls back to the header names)."""

from __future__ import annotations

import httpx
from sqlalchemy import func, select

from inventory.intake_products.models import CatalogProduct, ProductProfile
from tests.conftest import Shop
from tests.intake.helpers import CLEAN_MAPPINGS, approved_order, ok, step, upload

NOT_CONFIGURED = "AI is not configured (set AI_API_KEY, and AI_BASE_URL for another endpoint)."


async def test_the_ai_routes_answer_503(client: httpx.AsyncClient, admin: dict[str, str]) -> None:
    chat = {"messages": [{"role": "user", "content": "hi"}], "max_tokens": 10}
    for response in (
        await client.post("/api/ai/chat", json=chat, headers=admin),
        await client.get("/api/ai/models", headers=admin),
    ):
        assert response.status_code == 503
        assert response.json() == {"detail": NOT_CONFIGURED}


async def test_the_pipeline_works_without_ai(shop: Shop) -> None:
    order = await approved_order(shop)
    await ok(await upload(shop.client, shop.admin, order["id"]))
    suggested = await ok(await step(shop.client, shop.admin, order["id"], "suggest-formulas"))
    assert suggested["source"] == "headers"
    assert suggested["mappings"]["unit_cost"] == "[Unit Cost] | money"
    assert suggested["mappings"]["quantity"] == "[Qty] | integer"
    assert suggested["unmapped"] == ["description"]
    await ok(
        await step(
            shop.client, shop.admin, order["id"], "process-manifest", {"mappings": CLEAN_MAPPINGS}
        )
    )
    cleanup = await step(shop.client, shop.admin, order["id"], "ai-cleanup-rows")
    assert cleanup.status_code == 503 and cleanup.json() == {"detail": NOT_CONFIGURED}
    assert (await ok(await step(shop.client, shop.admin, order["id"], "match-products")))[
        "rows"
    ] == 6


async def test_without_catalog_a_new_product_is_503_and_nothing_is_written(shop: Shop) -> None:
    response = await shop.client.post(
        "/api/inventory/products",
        json={"name": "Apple iPhone 14 128GB", "base_price": "529.00"},
        headers=shop.admin,
    )
    assert response.status_code == 503
    assert response.json()["detail"].startswith("Catalog is not configured for inventory")
    async with shop.database.session() as session:
        written = [
            await session.scalar(select(func.count()).select_from(table))
            for table in (CatalogProduct, ProductProfile)
        ]
    assert written == [0, 0]
