"""Who calls whom as itself: the service credentials and SERVICE_URLS every deployment renders.

A service asking another to act (consignment: a user in auth, a unit in inventory; intake:
a product in catalog) calls it with a service token from auth (``common.service_client``).
This table is the one place that says which services do, with which scopes, and whom they
reach; compose (``gateway.compose``), Kubernetes (``gateway.k8s``) and the local runner
(``shopfloor_local``) all render it:

- auth's ``SERVICE_CLIENTS``: each caller's argon2 ``secret_hash`` and exactly its scopes;
- each caller's ``SERVICE_CLIENT_ID`` (its name) and ``SERVICE_CLIENT_SECRET``;
- every service's ``SERVICE_URLS``: each service of the platform by name, straight to the
  service (never through the gateway: it is not a public client, and catalog's
  ``/api/core/system/version/`` asks each one for its own ``/healthz``).

The scopes are the ones the receiving routes declare with ``common.security.require_scopes``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Caller:
    """A service with a credential at auth: the services it asks and the scopes it needs."""

    name: str
    calls: tuple[str, ...]
    scopes: tuple[str, ...]

    @property
    def secret_variable(self) -> str:
        """The deployment variable holding its secret (compose), e.g. ``POS_SERVICE_SECRET``."""
        return f"{self.name.upper()}_SERVICE_SECRET"

    @property
    def hash_variable(self) -> str:
        """The variable holding its secret's argon2 hash, for auth: ``POS_SERVICE_SECRET_HASH``."""
        return f"{self.secret_variable}_HASH"

    @property
    def secret_name(self) -> str:
        """Its Kubernetes Secret (keys ``secret`` and ``secret-hash``)."""
        return f"{self.name}-service-credential"


CALLERS: tuple[Caller, ...] = (
    # services/pos/src/pos/consignment/remote.py: consignee users (new ones created, existing
    # ones read and given the consignee role), consigned units.
    Caller(
        "pos",
        calls=("auth", "inventory"),
        scopes=("users:create", "users:read", "consignees:enroll", "items:create"),
    ),
    # services/inventory/src/inventory/intake_products/catalog.py: a product new to catalog.
    Caller("inventory", calls=("auth", "catalog"), scopes=("products:create",)),
)
# Services that ask every other one for its public /healthz (no credential needed).
PROBES_EVERY_SERVICE = ("catalog",)
AUTH = "auth"


def callers(services: Iterable[str]) -> tuple[Caller, ...]:
    """The callers among ``services`` (a deployment without POS has no POS credential)."""
    present = set(services)
    return tuple(caller for caller in CALLERS if caller.name in present and AUTH in present)


def caller(name: str) -> Caller | None:
    return next((found for found in CALLERS if found.name == name), None)


def service_clients(services: Iterable[str], secret_hash: Callable[[Caller], str]) -> str:
    """auth's ``SERVICE_CLIENTS`` (JSON): each caller's ``secret_hash(caller)`` and scopes."""
    return json.dumps(
        {
            found.name: {"secret_hash": secret_hash(found), "scopes": list(found.scopes)}
            for found in callers(services)
        },
        separators=(", ", ": "),
    )


def service_urls(services: Iterable[str], url: Callable[[str], str]) -> str:
    """``SERVICE_URLS`` (JSON): every service by name, at ``url(name)``."""
    return json.dumps({name: url(name) for name in services}, separators=(", ", ": "))


def reaches(name: str, services: Iterable[str]) -> tuple[str, ...]:
    """The other services ``name`` opens connections to (its network policy's egress)."""
    others = [service for service in services if service != name]
    if name in PROBES_EVERY_SERVICE:
        return tuple(others)
    found = caller(name)
    wanted = set(found.calls) if found else set()
    return tuple(service for service in others if service in wanted)
