"""Catalog through the gateway: an admin builds the taxonomy; an anonymous client finds the product."""

from __future__ import annotations

import httpx


async def test_admin_builds_catalog_and_anonymous_finds_it(platform, admin_headers) -> None:
    async with httpx.AsyncClient(base_url=platform.gateway, timeout=10) as client:
        headers = admin_headers
        department = await client.post(
            "/api/departments/", json={"name": "E2E Phones"}, headers=headers
        )
        assert department.status_code == 201, department.text
        category = await client.post(
            "/api/categories",
            json={"name": "E2E Smartphones", "department": department.json()["slug"]},
            headers=headers,
        )
        subcategory = await client.post(
            "/api/subcategories",
            json={"name": "E2E Refurbished", "category": category.json()["slug"]},
            headers=headers,
        )
        product = await client.post(
            "/api/products",
            json={
                "name": "E2E Pixel Ünique",
                "subcategory": subcategory.json()["slug"],
                "base_price": "249.00",
            },
            headers=headers,
        )
        assert product.status_code == 201, product.text
        variant = await client.post(
            "/api/variants/",
            json={"product": product.json()["slug"], "name": "E2E 64GB", "sku": "E2E-PX-64"},
            headers=headers,
        )
        assert variant.status_code == 201, variant.text

        by_filter = (
            await client.get(
                "/api/products", params={"category": category.json()["slug"], "max_price": "250"}
            )
        ).json()
        by_search = (await client.get("/api/products/", params={"search": "unique"})).json()
        by_sku = (await client.get("/api/products", params={"search": "px-64"})).json()
        for found in (by_filter, by_search, by_sku):
            assert [row["slug"] for row in found["results"]] == [product.json()["slug"]]
        detail = await client.get(f"/api/products/{product.json()['slug']}/")
        assert (
            detail.status_code == 200 and detail.json()["department"] == department.json()["slug"]
        )
