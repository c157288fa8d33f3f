"""Arranging the intake pipeline through the API: an approved order of store A, a manifest
uploaded to it, catalog products as catalog's events would have stored them."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx

from common.db import Database
from inventory.intake_products.models import CatalogProduct
from tests.conftest import Shop
from tests.procurement import act, order, vendor

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CLEAN = (FIXTURES / "clean_manifest.csv").read_bytes()
MESSY = (FIXTURES / "messy_latin1.csv").read_bytes()
ORDERS = "/api/inventory/orders"
FREIGHT = {"description": "Manifest lot", "quantity": "1", "unit_cost": "500.00"}
CLEAN_MAPPINGS = {
    "title": "[Item Description] | trim",
    "brand": "[Brand] | trim",
    "model": "[Model] | trim",
    "upc": "[UPC]",
    "vendor_sku": "[Vendor SKU] | trim",
    "quantity": "[Qty] | integer",
    "unit_cost": "[Unit Cost] | money",
    "retail_price": "[Retail] | money",
    "condition": "[Condition]",
    "category": "[Category] | trim",
    "spec.storage": 'regex_extract([Item Description], "(\\d+) ?GB", 1)',
}
MESSY_MAPPINGS = {
    "title": "[Déscription] | trim",
    "brand": "[marque] | title",
    "vendor_sku": "[Ref. fournisseur]",
    "quantity": "[Qte.] | integer",
    "unit_cost": "[Cout unitaire (EUR)] | money",
    "retail_price": "[Prix public] | money",
    "condition": '[État] | lookup("Neuf=new; Bon état=good; Usagé=fair", "good")',
}


async def approved_order(shop: Shop, code: str = "LOTS-CO") -> dict[str, Any]:
    """Store A's order for a manifest lot, approved (no approval template exists)."""
    supplier = await vendor(shop.client, shop.admin, code)
    made = await order(shop.client, shop.admin, supplier["id"], [FREIGHT])
    submitted = await act(shop.client, shop.admin, made["id"], "submit")
    assert submitted.status_code == 200 and submitted.json()["status"] == "approved", submitted.text
    return dict(submitted.json())


async def upload(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    order_id: str,
    data: bytes = CLEAN,
    name: str = "lot-4471.csv",
) -> httpx.Response:
    return await client.post(
        f"{ORDERS}/{order_id}/upload-manifest",
        files={"file": (name, data, "text/csv")},
        headers=headers,
    )


async def step(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    order_id: str,
    name: str,
    body: Any = None,
    method: str = "POST",
    params: dict[str, Any] | None = None,
) -> httpx.Response:
    return await client.request(
        method, f"{ORDERS}/{order_id}/{name}", json=body, params=params, headers=headers
    )


async def ok(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    return dict(response.json())


async def catalog_product(
    database: Database, name: str, *, brand: str | None = None, price: str = "100.00"
) -> uuid.UUID:
    """A product of catalog's, as ``catalog.product.created`` would have stored it."""
    product_id = uuid.uuid4()
    async with database.session() as session:
        session.add(
            CatalogProduct(
                id=product_id,
                slug=name.lower().replace(" ", "-"),
                name=name,
                brand=brand,
                base_price=Decimal(price),
                synced_at=datetime.now(UTC),
            )
        )
        await session.commit()
    return product_id


async def known_products(shop: Shop) -> dict[str, uuid.UUID]:
    """The clean manifest's products: the iPhone by UPC (metadata), the Galaxy by the
    vendor's item number (a ref, added per vendor by the caller), the headphones and the
    Switch by name only; and two near misses a careless matcher would take."""
    products = {
        "iphone": await catalog_product(shop.database, "Apple iPhone 13 128GB", brand="Apple"),
        "iphone_256": await catalog_product(shop.database, "Apple iPhone 13 256GB", brand="Apple"),
        "galaxy": await catalog_product(shop.database, "Samsung Galaxy S21 128GB", brand="Samsung"),
        "sony": await catalog_product(shop.database, "Sony WH-1000XM4 Headphones", brand="Sony"),
        "switch": await catalog_product(shop.database, "Nintendo Switch OLED", brand="Nintendo"),
        "switch_lite": await catalog_product(
            shop.database, "Nintendo Switch Lite", brand="Nintendo"
        ),
    }
    for key, body in (
        ("iphone", {"brand": "Apple", "model": "A2482", "upcs": ["194252707722"]}),
        ("galaxy", {"brand": "Samsung", "model": "SM-G991U"}),
    ):
        response = await shop.client.post(
            "/api/inventory/products",
            json={"catalog_product_id": str(products[key]), **body},
            headers=shop.admin,
        )
        assert response.status_code == 201, response.text
    return products


async def job_ended(shop: Shop, order_id: str, timeout: float = 120.0) -> dict[str, Any]:
    """The order's job-status once its latest job (a large manifest's step) has ended."""
    deadline = time.monotonic() + timeout
    while True:
        status = await ok(await step(shop.client, shop.admin, order_id, "job-status", method="GET"))
        if status["status"] in ("done", "failed", "cancelled"):
            return status
        assert time.monotonic() < deadline, f"the job did not end in {timeout} s: {status}"
        await asyncio.sleep(0.1)
