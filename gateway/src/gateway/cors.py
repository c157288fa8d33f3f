"""Which web pages of another origin may call Shopfloor (CORS): the policy both gateways render.

Same origin only by default. ``SHOPFLOOR_CORS_ORIGINS`` lists, comma-separated,
the origins of web clients served elsewhere (``https://shop.example``); for a
listed origin the gateways answer the preflight of every table path (the
methods and request headers below, cached ``MAX_AGE_SECONDS``) and add
``Access-Control-Allow-Origin`` (that origin, never ``*``) with
``Access-Control-Allow-Credentials: true`` to every answer. A request from any
other origin gets no CORS header at all, so the browser keeps its answer from
the page. Every routed answer carries ``Vary: Origin``: whether it carries the
CORS headers depends on the request's Origin.

An origin is written the way a browser sends it (``scheme://host[:port]``, lower
case, no default port, no path), because the gateways compare it byte for byte;
anything else is refused here, when the configuration is read. Auth reads the
same variable (the refresh cookie's CSRF check, ``auth.origins``) and
applies the same rule.
"""

from __future__ import annotations

import re

ORIGINS_VARIABLE = "SHOPFLOOR_CORS_ORIGINS"

# Every method a route of the table serves (the services' OpenAPI documents agree:
# tests/e2e/tests/test_browser.py checks them).
ALLOW_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
# The request headers Shopfloor's clients send.
ALLOW_HEADERS = ("Authorization", "Content-Type", "Idempotency-Key", "X-Request-ID")
# Response headers a page may read besides the CORS-safelisted ones.
EXPOSE_HEADERS = ("X-Request-ID", "Retry-After", "Content-Disposition")
MAX_AGE_SECONDS = 600

_ORIGIN = re.compile(
    r"^(?P<scheme>https?)://(?P<host>[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?|\[[0-9a-f:.]+\])"
    r"(?::(?P<port>[1-9][0-9]{0,4}))?$"
)
_DEFAULT_PORTS = {"http": "80", "https": "443"}


def origin_problem(origin: str) -> str | None:
    """Why ``origin`` is not an origin as a browser sends it; ``None`` when it is."""
    found = _ORIGIN.match(origin)
    if found is None:
        return (
            f"{origin!r} is not an origin: write scheme://host[:port] in lower case, "
            "without a path or a trailing slash (e.g. https://shop.example)"
        )
    port = found.group("port")
    if port is not None and (int(port) > 65535 or _DEFAULT_PORTS[found.group("scheme")] == port):
        return f"{origin!r}: leave out the default port and use a port in 1-65535"
    return None


def parse_origins(text: str) -> tuple[str, ...]:
    """The origins of a ``SHOPFLOOR_CORS_ORIGINS`` value, in order, without repeats.

    Raises ``ValueError`` naming every malformed entry (``*`` included: credentials
    are never allowed for any origin at all).
    """
    origins = tuple(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))
    problems = [problem for origin in origins if (problem := origin_problem(origin))]
    if problems:
        raise ValueError(f"{ORIGINS_VARIABLE}: {'; '.join(problems)}")
    return origins
