"""Which web pages may use the refresh cookie: the gateway's own origin and SHOPFLOOR_CORS_ORIGINS.

The routes that read the refresh cookie (``/api/auth/refresh``, and
``/api/auth/logout`` when no token is in the body) act on whatever the browser
attached, so they first ask where the request came from (CSRF):

1. ``Origin``, which every current browser sends on a POST: it must be the
   gateway's own (its host and port are the request's ``Host``, which a page
   cannot choose) or one of ``SHOPFLOOR_CORS_ORIGINS``;
2. a page under ``Referrer-Policy: no-referrer`` (what the gateway sends) posts
   ``Origin: null`` even to its own origin: then ``Sec-Fetch-Site: same-origin``,
   a header pages cannot set, counts as the gateway's own;
3. otherwise the ``Referer``'s origin, under the same rule as ``Origin``;
4. no evidence at all: refused. A program outside a browser has no cookie to
   protect and sends its refresh token in the body (``/api/token/refresh``).

The scheme is not compared for the gateway's own origin: behind a TLS proxy
the service sees plain HTTP, and in production HSTS keeps pages on HTTPS.

Origins are written as browsers send them; the rule is ``gateway.cors``'s, which
renders the same variable into the gateway (the service cannot import it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from fastapi import Request

ORIGINS_VARIABLE = "SHOPFLOOR_CORS_ORIGINS"

_ORIGIN = re.compile(
    r"^(?P<scheme>https?)://(?:[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?|\[[0-9a-f:.]+\])"
    r"(?::(?P<port>[1-9][0-9]{0,4}))?$"
)
_DEFAULT_PORTS = {"http": "80", "https": "443"}


def parse_origins(text: str) -> frozenset[str]:
    """The origins of a ``SHOPFLOOR_CORS_ORIGINS`` value; ``ValueError`` names each bad one."""
    origins = {part.strip() for part in text.split(",") if part.strip()}
    problems = sorted(origin for origin in origins if not _is_origin(origin))
    if problems:
        raise ValueError(
            f"{ORIGINS_VARIABLE}: {', '.join(repr(origin) for origin in problems)} "
            "are not origins: write scheme://host[:port] in lower case, without a path, "
            "a trailing slash or the default port (e.g. https://shop.example)"
        )
    return frozenset(origins)


def _is_origin(origin: str) -> bool:
    found = _ORIGIN.match(origin)
    if found is None:
        return False
    port = found.group("port")
    return port is None or (int(port) <= 65535 and port != _DEFAULT_PORTS[found.group("scheme")])


def from_allowed_page(request: Request, listed: Iterable[str]) -> bool:
    """Whether the request comes from a page of the gateway's own origin or a listed one."""
    origin = request.headers.get("origin")
    if origin is not None and origin != "null":
        return _allowed(origin, request, listed)
    if request.headers.get("sec-fetch-site") == "same-origin":
        return True
    referer = request.headers.get("referer")
    if referer:
        parts = urlsplit(referer)
        return bool(parts.scheme and parts.netloc) and _allowed(
            f"{parts.scheme}://{parts.netloc}", request, listed
        )
    return False


def _allowed(origin: str, request: Request, listed: Iterable[str]) -> bool:
    if origin in listed:
        return True
    host = request.headers.get("host")
    return host is not None and urlsplit(origin).netloc.lower() == host.lower()
