"""Calling auth and inventory as POS (``common.service_client``: a service token, timeouts,
tenacity retries — safe because every write carries an ``Idempotency-Key`` and its receiver
answers a repeat with what it made). Not configured or not answering is a 503 naming the
service, raised before POS writes anything; a refusal is a 422 with its reason. Reading a
user needs the ``users:read`` scope, creating one ``users:create``, making an existing one a
consignee (``PUT …/consignee``, idempotent) ``consignees:enroll``, creating a unit
``items:create``."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx

from common.config import ServiceSettings
from common.errors import DomainError, Unprocessable, field_error
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
        response = await self._call("POST", service, path, body=body, key=key, doing=doing)
        if response.status_code not in (200, 201):
            raise Unprocessable(
                f"{service} refused {doing} ({response.status_code}): {_detail(response)}"
            )
        return _json(response)

    async def _call(
        self,
        method: str,
        service: str,
        path: str,
        *,
        doing: str,
        body: dict[str, Any] | None = None,
        key: str | None = None,
    ) -> httpx.Response:
        """``service``'s answer; 503 naming it when it cannot be asked or does not answer."""
        try:
            async with self._client(service, doing) as services:
                response = await services.request(
                    method, service, path, json=body, idempotency_key=key
                )
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
        return response

    async def existing_user(self, user_id: str) -> dict[str, Any]:
        """auth's user ``user_id`` (``users:read``); 422 naming ``user_id`` when auth has
        no such user."""
        response = await self._call(
            "GET", "auth", f"{USERS_PATH}/{quote(user_id, safe='')}", doing="checking the user"
        )
        # auth's ids are UUIDs: another id is a 422 there, and no user all the same
        if response.status_code in (404, 422):
            raise field_error("user_id", f"auth has no user {user_id}")
        if response.status_code != 200:
            raise Unprocessable(
                f"auth refused checking the user ({response.status_code}): {_detail(response)}"
            )
        return _json(response)

    async def enroll_consignee(self, user_id: str, *, store_id: str) -> dict[str, Any]:
        """auth's user ``user_id`` as a consignee of the store (``consignees:enroll``): the
        role the portal needs. A repeat answers the same; staff or a deactivated user (auth:
        409) and an unknown one are a 422 naming ``user_id`` with auth's reason."""
        response = await self._call(
            "PUT",
            "auth",
            f"{USERS_PATH}/{quote(user_id, safe='')}/consignee",
            body={"store_id": store_id},
            doing="making the user a consignee",
        )
        if response.status_code in (404, 422):
            raise field_error("user_id", f"auth has no user {user_id}")
        if response.status_code != 200:
            raise field_error(
                "user_id", f"auth refused making user {user_id} a consignee: {_detail(response)}"
            )
        return _json(response)

    async def create_consignee_user(
        self, *, email: str, first_name: str, last_name: str, phone: str, store_id: str
    ) -> dict[str, Any]:
        """auth's new consignee user (a repeat for the same email: the same user)."""
        body = {
            "email": email,
            "first_name": first_name,
            "last_name": last_name,
            "phone": phone,
            "role": "consignee",
            "store_ids": [store_id],
        }
        return await self.post(
            "auth", USERS_PATH, body, key=f"consignee:{email.lower()}", doing="creating the user"
        )

    async def create_consignment_unit(
        self, unit: dict[str, Any], *, store_id: str, owner_id: str, key: str
    ) -> dict[str, Any]:
        """inventory's new unit item (``source`` consignment, the consignee its owner); a
        repeat with the same ``key`` answers the same unit."""
        body = {**unit, "store_id": store_id, "source": "consignment", "owner_id": owner_id}
        return await self.post(
            "inventory", ITEMS_PATH, body, key=key, doing="creating the unit in inventory"
        )


def _json(response: httpx.Response) -> dict[str, Any]:
    found: dict[str, Any] = response.json()
    return found


def _detail(response: httpx.Response) -> str:
    try:
        return str(response.json().get("detail"))[:500]
    except ValueError:
        return response.text[:200]
