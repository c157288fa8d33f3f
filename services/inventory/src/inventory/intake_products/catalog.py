"""Creating a product in catalog, as inventory (a service token with ``products:create``).

Catalog owns products; a product first seen on a manifest is created there through its
HTTP API with ``common.service_client`` (timeouts, retries only because every call carries
an ``Idempotency-Key``: catalog answers a repeat with the product it created). Catalog not
configured or not answering is a 503 naming catalog, raised before inventory writes
anything; catalog refusing the product is a 422 with its reason.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol

import httpx

from common.config import ServiceSettings
from common.errors import Unprocessable
from common.service_client import ServiceAuthError, ServiceClient
from inventory.errors import Unavailable

PRODUCTS_PATH = "/api/products"


@dataclass(frozen=True)
class NewProduct:
    name: str
    base_price: Decimal
    currency: str = "USD"
    description: str = ""
    brand: str = ""
    model: str = ""


@dataclass(frozen=True)
class CreatedProduct:
    """Catalog's answer, as the read-model keeps it."""

    product_id: uuid.UUID
    slug: str
    name: str
    base_price: Decimal
    currency: str
    status: str
    brand: str | None
    category: str | None
    updated_at: datetime


class Catalog(Protocol):
    async def create_product(self, product: NewProduct, *, key: str) -> CreatedProduct: ...


class HttpCatalog:
    """Catalog over HTTP; ``transport`` lets a test stand in for catalog and auth."""

    def __init__(
        self, settings: ServiceSettings, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self.settings = settings
        self.transport = transport

    def _client(self) -> ServiceClient:
        settings = self.settings
        missing = [
            name
            for name, present in (
                ("SERVICE_CLIENT_ID", bool(settings.service_client_id)),
                ("SERVICE_CLIENT_SECRET", settings.service_client_secret is not None),
                ("SERVICE_URLS with auth", "auth" in settings.service_urls),
                ("SERVICE_URLS with catalog", "catalog" in settings.service_urls),
            )
            if not present
        ]
        if missing:
            raise Unavailable(
                "Catalog is not configured for inventory (missing "
                f"{', '.join(missing)}): a new product is created in catalog, so nothing was written."
            )
        return ServiceClient.from_settings(settings, transport=self.transport, timeout=5.0)

    async def create_product(self, product: NewProduct, *, key: str) -> CreatedProduct:
        body: dict[str, Any] = {
            "name": product.name,
            "description": product.description,
            "base_price": f"{product.base_price:.2f}",
            "currency": product.currency,
            "status": "active",
            "attributes": {
                name: value
                for name, value in (("brand", product.brand), ("model", product.model))
                if value
            },
        }
        try:
            async with self._client() as services:
                response = await services.post(
                    "catalog", PRODUCTS_PATH, json=body, idempotency_key=key
                )
        except (httpx.TransportError, ServiceAuthError) as exc:
            raise Unavailable(
                f"Catalog did not answer ({type(exc).__name__}); the product was not created "
                "and nothing was written."
            ) from exc
        if response.status_code >= 500 or response.status_code in (401, 403, 429):
            raise Unavailable(
                f"Catalog answered {response.status_code} to the product creation; nothing was "
                "written."
            )
        if response.status_code not in (200, 201):
            raise Unprocessable(
                f"Catalog refused the product ({response.status_code}): {_detail(response)}"
            )
        found = response.json()
        brand = found.get("brand")
        return CreatedProduct(
            product_id=uuid.UUID(found["id"]),
            slug=str(found["slug"]),
            name=str(found["name"]),
            base_price=Decimal(str(found["base_price"])),
            currency=str(found.get("currency") or "USD"),
            status=str(found.get("status") or "active"),
            brand=str(brand["name"]) if isinstance(brand, dict) else None,
            category=found.get("category"),
            updated_at=datetime.fromisoformat(str(found["updated_at"]).replace("Z", "+00:00")),
        )


def _detail(response: httpx.Response) -> str:
    try:
        return str(response.json().get("detail"))[:500]
    except ValueError:
        return response.text[:200]
