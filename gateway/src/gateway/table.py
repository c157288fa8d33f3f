"""The route table: which service owns which path prefixes, and where it listens locally.

``routes.toml`` (next to this file) is the one source; this module loads and checks
it. The Caddy, Traefik and deployment renderers all read the table from here.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

DEFAULT_SERVICE_PORT_BASE = 8100
# The request body cap of both gateways (Caddy locally, Traefik in containers).
DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024

_SERVICE_NAME = re.compile(r"^[a-z][a-z0-9]*$")
_PREFIX = re.compile(r"^/api/[a-z0-9-]+/?$")


@dataclass(frozen=True)
class Route:
    """One service and the path prefixes it owns; ``index`` is its 1-based table position."""

    service: str
    prefixes: tuple[str, ...]
    index: int

    @property
    def docs_prefix(self) -> str:
        """Where the service serves its Swagger UI and OpenAPI document (no rewriting)."""
        return f"/docs/{self.service}"

    @property
    def all_prefixes(self) -> tuple[str, ...]:
        """The API prefixes followed by the docs prefix."""
        return (*self.prefixes, self.docs_prefix)

    @property
    def bases(self) -> tuple[str, ...]:
        """Every prefix without a trailing slash: a request matches ``base`` or ``base/...``."""
        return tuple(prefix.rstrip("/") for prefix in self.all_prefixes)

    def matches(self, path: str) -> bool:
        """The routing rule both gateways implement: ``base`` exactly, or under ``base/``."""
        return any(path == base or path.startswith(base + "/") for base in self.bases)


def parse_routes(text: str) -> tuple[Route, ...]:
    """Parse and check a route table in the ``routes.toml`` format."""
    entries = tomllib.loads(text).get("service", [])
    if not entries:
        raise ValueError("the route table lists no [[service]]")
    routes = tuple(
        Route(service=entry["name"], prefixes=tuple(entry["prefixes"]), index=position)
        for position, entry in enumerate(entries, start=1)
    )
    _check(routes)
    return routes


def _check(routes: tuple[Route, ...]) -> None:
    owner: dict[str, str] = {}
    for route in routes:
        if not _SERVICE_NAME.match(route.service):
            raise ValueError(f"service name {route.service!r} must match {_SERVICE_NAME.pattern}")
        if route.service in owner.values():
            raise ValueError(f"service {route.service!r} is listed twice")
        if not route.prefixes:
            raise ValueError(f"service {route.service!r} owns no prefix")
        for prefix in route.prefixes:
            if not _PREFIX.match(prefix):
                raise ValueError(
                    f"prefix {prefix!r} of {route.service!r} must look like /api/<segment>[/]"
                )
        for base in route.bases:
            if base in owner:
                raise ValueError(
                    f"{base!r} is claimed by both {owner[base]!r} and {route.service!r}"
                )
            owner[base] = route.service


@cache
def load_routes() -> tuple[Route, ...]:
    """The route table shipped with this package, in table order."""
    text = resources.files("gateway").joinpath("routes.toml").read_text(encoding="utf-8")
    return parse_routes(text)


def service_names() -> tuple[str, ...]:
    """Every service of the table, in table order."""
    return tuple(route.service for route in load_routes())


def route_for(service: str) -> Route:
    """The table entry of ``service``; a clear error for a name the table does not know."""
    for route in load_routes():
        if route.service == service:
            return route
    raise ValueError(
        f"unknown service {service!r}; the route table has {', '.join(service_names())}"
    )


def local_port(service: str, base: int = DEFAULT_SERVICE_PORT_BASE) -> int:
    """The port ``service`` listens on under the local runner: ``base`` + its table position."""
    return base + route_for(service).index
