"""auth and inventory as POS's consignment calls them, stood in for at the HTTP transport
(``app.state.service_transport``): these tests are about what POS sends and what it does
with the answer; each service's own side of the same requests is tested in that service,
and the whole flow for real in tests/e2e (test_consignment_flow.py)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

AUTH = "http://auth.test"
INVENTORY = "http://inventory.test"
SERVICES: dict[str, Any] = {
    "service_client_id": "pos",
    "service_client_secret": "pos-secret",
    "service_urls": {"auth": AUTH, "inventory": INVENTORY},
}
TOKEN = httpx.Response(200, json={"access_token": "t", "expires_in": 300})
USERS = "/api/accounts/users"


@dataclass
class StandInAuth:
    """Answers service tokens, user reads (every id is a user but ``unknown`` ones), making a
    user a consignee (``staff`` ones keep their role: 409) and creations (one user per
    email, a repeat: the same user, 200), as auth does."""

    requests: list[httpx.Request] = field(default_factory=list)
    by_email: dict[str, str] = field(default_factory=dict)
    unknown: set[str] = field(default_factory=set)
    deactivated: set[str] = field(default_factory=set)
    staff: set[str] = field(default_factory=set)

    def user(self, user_id: str) -> dict[str, Any]:
        return {
            "id": user_id,
            "email": f"{user_id}@example.com",
            "first_name": "Ada",
            "last_name": user_id,
            "phone": "+1 555 0100",
            "role": "consignee",
            "is_active": user_id not in self.deactivated,
        }

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/token/service":
            return TOKEN
        self.requests.append(request)
        if request.method == "GET" and request.url.path.startswith(f"{USERS}/"):
            user_id = request.url.path.rsplit("/", 1)[-1]
            if user_id in self.unknown:
                return httpx.Response(404, json={"detail": f"User {user_id} not found."})
            return httpx.Response(200, json=self.user(user_id))
        if request.method == "PUT" and request.url.path.endswith("/consignee"):
            user_id = request.url.path.rsplit("/", 2)[-2]
            if user_id in self.staff:
                return httpx.Response(
                    409, json={"detail": f"User {user_id} is a branch_head: a user has one role."}
                )
            store_ids = [json.loads(request.content)["store_id"]]
            return httpx.Response(200, json={**self.user(user_id), "store_ids": store_ids})
        body = json.loads(request.content)
        known = body["email"].lower() in self.by_email
        user_id = self.by_email.setdefault(body["email"].lower(), f"auth-{len(self.by_email) + 1}")
        return httpx.Response(200 if known else 201, json={**body, "id": user_id})

    def reads(self) -> list[httpx.Request]:
        return [r for r in self.requests if r.method == "GET"]

    def enrollments(self) -> list[httpx.Request]:
        return [r for r in self.requests if r.method == "PUT"]


class StandInInventory:
    """Answers as inventory does (a repeat of a key: the same unit, 200; the key with
    another unit: 422); the first ``failures`` creation attempts get a 503, as from a
    restarting inventory."""

    def __init__(self, failures: int = 0) -> None:
        self.failures = failures
        self.creations: list[httpx.Request] = []
        self.units: dict[str, dict[str, Any]] = {}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.creations.append(request)
        if self.failures:
            self.failures -= 1
            return httpx.Response(503, json={"detail": "restarting"})
        key = request.headers["Idempotency-Key"]
        known = key in self.units
        body = json.loads(request.content)
        if known and body["name"] != self.units[key]["name"]:
            return httpx.Response(
                422,
                json={"detail": "This Idempotency-Key was used for another unit; use a new key."},
            )
        unit = self.units.setdefault(
            key, {"id": f"9e1c6e80-9a1b-4c2d-8e3f-4a5b6c7d8e{len(self.units):02d}", **body}
        )
        return httpx.Response(200 if known else 201, json={**unit, "sku": "ITM-000777"})


@dataclass
class StandIns:
    """The transport's router: each service's stand-in by host."""

    auth: StandInAuth = field(default_factory=StandInAuth)
    inventory: Callable[[httpx.Request], httpx.Response] | None = None

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.host == "inventory.test" and request.url.path != "/api/token/service":
            if self.inventory is None:
                raise httpx.ConnectError("no inventory stood in", request=request)
            return self.inventory(request)
        return self.auth(request)
