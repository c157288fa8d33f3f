"""Calling auth and inventory as POS (``common.service_client``: a service token, timeouts,
tenacity retries — safe because every write carries an ``Idempotency-Key`` and its receiver
answers a repeat with what it made). Not configured or not answering is a 503 naming the
service, raised before POS writes anything; a refusal is a 422 with its reason."""

from __future__ import annotations

from typing import Any

import httpx

from common.config import ServiceSettings
from common.errors import DomainError, Unprocessable
from common.service_client import ServiceAuthError, ServiceClient

USERS_PATH = "/api/accounts/users"
ITEMS_PATH = "/api/inventory/items"


class Unavailable(DomainError):
    """Another service POS needs for this request is not configured or does not answer."""

    status_code = 503


class Remote:
    """Other services over HTTP; ``transport`` lets a test stand in for them and auth."""

    def __init__(
        self, settings: ServiceSettings, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self.settings = settings
        self.transport = transport

    def _client(self, service: str, doing: str) -> ServiceClient:
        settings = self.settings
        missing = [
            name
            for name, present in (
                ("SERVICE_CLIENT_ID", bool(settings.service_client_id)),
                ("SERVICE_CLIENT_SECRET", settings.service_client_secret is not None),
                ("SERVICE_URLS with auth", "auth" in settings.service_urls),
                (f"SERVICE_URLS with {service}", service in settings.service_urls),
            )
            if not present
        ]
        if missing:
            raise Unavailable(
                f"{service} is not configured for POS (missing {', '.join(missing)}): "
                f"{doing} needs {service}, so nothing was written."
            )
        return ServiceClient.from_settings(settings, transport=self.transport, timeout=5.0)

    async def post(
        self, service: str, path: str, body: dict[str, Any], *, key: str, doing: str
    ) -> dict[str, Any]:
        """``service``'s answer to the POST (200 or 201), as JSON."""
        try:
            async with self._client(service, doing) as services:
                response = await services.post(service, path, json=body, idempotency_key=key)
        except (httpx.TransportError, ServiceAuthError) as exc:
            raise Unavailable(
                f"{service} did not answer ({type(exc).__name__}): {doing} failed and nothing "
                "was written."
            ) from exc
        if response.status_code >= 500 or response.status_code in (401, 403, 429):
            raise Unavailable(
                f"{service} answered {response.status_code}: {doing} failed and nothing was "
                "written."
            )
        if response.status_code not in (200, 201):
            raise Unprocessable(
                f"{service} refused {doing} ({response.status_code}): {_detail(response)}"
            )
        found: dict[str, Any] = response.json()
        return found

    async def create_consignee_user(
        self, *, email: str, first_name: str, last_name: str, phone: str, store_id: str
    ) -> str:
        """auth's user id of the consignee (a repeat for the same email: the same user)."""
        body = {
            "email": email,
            "first_name": first_name,
            "last_name": last_name,
            "phone": phone,
            "role": "consignee",
            "store_ids": [store_id],
        }
        created = await self.post(
            "auth", USERS_PATH, body, key=f"consignee:{email.lower()}", doing="creating the user"
        )
        return str(created["id"])

    async def create_consignment_unit(
        self, unit: dict[str, Any], *, store_id: str, owner_id: str, key: str
    ) -> dict[str, Any]:
        """inventory's new unit item (``source`` consignment, the consignee its owner); a
        repeat with the same ``key`` answers the same unit."""
        body = {**unit, "store_id": store_id, "source": "consignment", "owner_id": owner_id}
        return await self.post(
            "inventory", ITEMS_PATH, body, key=key, doing="creating the unit in inventory"
        )


def _detail(response: httpx.Response) -> str:
    try:
        return str(response.json().get("detail"))[:500]
    except ValueError:
        return response.text[:200]
