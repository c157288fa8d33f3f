"""Routing helpers: one router served at several prefixes, and PUT + PATCH on one endpoint.

Seeds sometimes name the same resource twice (``/api/users`` and ``/api/accounts/users/``;
seed 002's ``/api/inventory/orders`` and seed 004's ``/api/inventory/purchase-orders``).
Write the router once, without a prefix, and mount it at each; operation ids stay unique
because each mount prefixes them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from fastapi import APIRouter
from fastapi.routing import APIRoute


def _operation_prefix(prefix: str) -> str:
    return re.sub(r"[^0-9A-Za-z]+", "_", prefix.strip("/")).strip("_")


def mounted_at(router: APIRouter, prefixes: Sequence[str]) -> list[APIRouter]:
    """``router`` served under every prefix; pass the result to ``create_app(routers=...)``.

    Operation ids are ``<prefix>__<endpoint name>_<method>``; an explicit ``operation_id``
    on one of the router's routes would repeat at every prefix, so it is refused.
    """
    explicit = [
        route.path for route in router.routes if isinstance(route, APIRoute) and route.operation_id
    ]
    if explicit:
        raise ValueError(
            f"routes mounted at several prefixes cannot set operation_id: {', '.join(explicit)}"
        )
    mounts: list[APIRouter] = []
    for prefix in prefixes:
        tag = _operation_prefix(prefix)

        def unique_id(route: APIRoute, tag: str = tag) -> str:
            return f"{tag}__{route.name}_{'_'.join(sorted(route.methods or ()))}".lower()

        mount = APIRouter()
        mount.include_router(
            router, prefix=prefix.rstrip("/"), generate_unique_id_function=unique_id
        )
        mounts.append(mount)
    return mounts


def put_and_patch(router: APIRouter, path: str, endpoint: Callable[..., Any], **route: Any) -> None:
    """Serve ``endpoint`` as both PUT and PATCH (the seeds list both; both update partially:
    a field left out is unchanged). ``route`` takes ``add_api_route``'s keyword arguments;
    the two operation ids differ by their method."""
    for method in ("PUT", "PATCH"):
        router.add_api_route(path, endpoint, methods=[method], **route)
