"""Arranging vendors, templates and purchase orders through the API."""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import STORE_A


async def vendor(
    client: httpx.AsyncClient, headers: dict[str, str], code: str = "PARTS-CO"
) -> dict[str, Any]:
    response = await client.post(
        "/api/inventory/vendors", json={"code": code, "name": f"{code} Wholesale"}, headers=headers
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


async def order(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    vendor_id: str,
    lines: list[dict[str, Any]],
    **extra: Any,
) -> dict[str, Any]:
    body = {"vendor_id": vendor_id, "store_id": str(STORE_A), "lines": lines, **extra}
    response = await client.post("/api/inventory/purchase-orders", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def template(
    client: httpx.AsyncClient, admin: dict[str, str], signers: list[dict[str, Any]], **extra: Any
) -> dict[str, Any]:
    body = {"name": "Purchase orders", "object_type": "purchase_order", "signers": signers, **extra}
    response = await client.post("/api/approvals/templates", json=body, headers=admin)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def act(
    client: httpx.AsyncClient, headers: dict[str, str], order_id: str, action: str, **body: Any
) -> httpx.Response:
    return await client.post(
        f"/api/inventory/purchase-orders/{order_id}/{action}", json=body or None, headers=headers
    )
