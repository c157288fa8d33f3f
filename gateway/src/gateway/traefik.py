"""Render the Traefik v3 configuration (the gateway in containers) from the route table.

Two YAML files: the static configuration (entrypoints, file provider, access
log, ping) and the file provider's dynamic configuration (one router per
service for its API prefixes, one for its docs, one load-balanced service each,
the shared middlewares, and one servers transport whose idle timeout is below
the services' keep-alive: ``gateway.policy``). The containers run in production,
so the headers include HSTS unless rendered with ``production=False``. Traefik
retries nothing (its retry middleware would resend a POST that reached a service).

CORS (``gateway.cors``): the origins are read by Traefik itself, from
``SHOPFLOOR_CORS_ORIGINS`` in its environment (the file provider runs the
dynamic file through Go's templates), so compose hands the one variable to
Traefik and to auth. A request whose Origin is listed takes a third router per
service (``<name>-cors``: the same paths and a ``HeaderRegexp`` on Origin,
longer, so it wins) with the ``cors`` middleware, which answers the preflight
and names the origin. Every other request takes the plain routers, whose
answers carry no CORS header: Traefik's CORS middleware alone would send
``Access-Control-Allow-Credentials`` and the allowed methods to any origin.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from gateway.containers import (
    GENERATED_NOTICE,
    SERVICE_CONTAINER_PORT,
    TRAEFIK_CONFIG_DIR,
    TRAEFIK_DYNAMIC_FILE,
    dump_yaml,
)
from gateway.cors import (
    ALLOW_HEADERS,
    ALLOW_METHODS,
    EXPOSE_HEADERS,
    MAX_AGE_SECONDS,
    ORIGINS_VARIABLE,
)
from gateway.policy import (
    HSTS_MAX_AGE_SECONDS,
    SECURITY_HEADERS,
    UPSTREAM_IDLE_TIMEOUT_SECONDS,
    UPSTREAM_MAX_IDLE_CONNECTIONS,
)
from gateway.table import DEFAULT_MAX_BODY_BYTES, Route, load_routes

BODY_LIMIT_MIDDLEWARE = "body-limit"
HEADERS_MIDDLEWARE = "security-headers"
CORS_MIDDLEWARE = "cors"
VARY_MIDDLEWARE = "vary-origin"
SERVERS_TRANSPORT = "services"
# Each service's three routers' middlewares (compose and Kubernetes alike): the headers
# outside the body limit, so its 413 carries them too.
API_MIDDLEWARES = (HEADERS_MIDDLEWARE, VARY_MIDDLEWARE, BODY_LIMIT_MIDDLEWARE)
DOCS_MIDDLEWARES = (HEADERS_MIDDLEWARE, VARY_MIDDLEWARE)
CORS_MIDDLEWARES = (HEADERS_MIDDLEWARE, CORS_MIDDLEWARE, BODY_LIMIT_MIDDLEWARE)

# A regular expression matching exactly the listed origins, built by Traefik's template
# engine from its environment: each origin quoted, ``|``-joined after an alternative that
# never matches (``\b\B``), so an empty list matches no Origin, not even an empty one.
ORIGIN_PATTERN = (
    r"^(?:\b\B"
    f'{{{{ range splitList "," (env "{ORIGINS_VARIABLE}") }}}}'
    "{{ with trim . }}|{{ regexQuoteMeta . }}{{ end }}{{ end }}"
    r")$"
)


def origins_pattern(origins: Sequence[str]) -> str:
    """The same expression written out for ``origins`` (Kubernetes' CRDs have no templates)."""
    return r"^(?:\b\B" + "".join(f"|{re.escape(origin)}" for origin in origins) + r")$"


_STATIC_NOTES = """\
# Traefik v3 static configuration of the Shopfloor gateway in containers.
# The web entrypoint sets no forwardedHeaders.trustedIPs: Traefik replaces any
# X-Forwarded-* header a client sends with its own values.
"""

_DYNAMIC_NOTES = """\
# Traefik v3 dynamic configuration (file provider): one router per service for its
# API prefixes and one for /docs/<name>, each service load-balanced with a health check.
# Idle upstream connections close after 60 s, before the services' uvicorn keep-alive
# (75 s) would close them under a request. Security headers on every answer (HSTS when
# rendered for production, as the committed deploy/ files are).
# X-Request-ID: Traefik has no generator, so a request without one gets its id from
# the service (common.middleware), which returns it in the X-Request-ID response header.
"""


def path_rule(bases: Sequence[str]) -> str:
    """``Path(`/x`) || PathPrefix(`/x/`) || ...``: each base exactly, or anything under it."""
    return " || ".join(f"Path(`{base}`) || PathPrefix(`{base}/`)" for base in bases)


def static_config() -> dict[str, Any]:
    """The static configuration as data."""
    return {
        "global": {"checkNewVersion": False, "sendAnonymousUsage": False},
        "entryPoints": {
            "web": {"address": ":80"},
            "traefik": {"address": ":8080"},
        },
        "providers": {
            "file": {"filename": f"{TRAEFIK_CONFIG_DIR}/{TRAEFIK_DYNAMIC_FILE}", "watch": True}
        },
        "ping": {"entryPoint": "traefik"},
        "accessLog": {
            "format": "json",
            "fields": {"headers": {"names": {"X-Request-Id": "keep", "User-Agent": "keep"}}},
        },
        "log": {"level": "INFO", "format": "json"},
    }


def headers_middleware(*, production: bool) -> dict[str, Any]:
    """``gateway.policy``'s security headers as Traefik's headers middleware."""
    headers: dict[str, Any] = {
        "contentTypeNosniff": True,  # X-Content-Type-Options: nosniff
        "frameDeny": True,  # X-Frame-Options: DENY
        "referrerPolicy": SECURITY_HEADERS["Referrer-Policy"],
        "contentSecurityPolicy": SECURITY_HEADERS["Content-Security-Policy"],
    }
    if production:
        # Forced: TLS usually ends at a load balancer in front of Traefik's plain-HTTP entrypoint.
        headers |= {
            "stsSeconds": HSTS_MAX_AGE_SECONDS,
            "stsIncludeSubdomains": True,
            "forceSTSHeader": True,
        }
    return {"headers": headers}


def cors_middleware(pattern: str = ORIGIN_PATTERN) -> dict[str, Any]:
    """``gateway.cors`` as Traefik's headers middleware (only the ``-cors`` routers use it)."""
    return {
        "headers": {
            "accessControlAllowOriginListRegex": [pattern],
            "accessControlAllowCredentials": True,
            "accessControlAllowMethods": list(ALLOW_METHODS),
            "accessControlAllowHeaders": list(ALLOW_HEADERS),
            "accessControlExposeHeaders": list(EXPOSE_HEADERS),
            "accessControlMaxAge": MAX_AGE_SECONDS,
            "addVaryHeader": True,
        }
    }


def cors_rule(route: Route, pattern: str = ORIGIN_PATTERN) -> str:
    """Every path of the service (API and docs), from a listed origin."""
    return f"({path_rule(route.bases)}) && HeaderRegexp(`Origin`, `{pattern}`)"


def vary_middleware() -> dict[str, Any]:
    """Vary: Origin on the plain routers' answers too (whether an answer carries the CORS
    headers depends on Origin). Being a CORS option, it makes Traefik answer a preflight from
    an unlisted origin itself: 200 without any CORS header, which the browser refuses."""
    return {"headers": {"addVaryHeader": True}}


def servers_transport() -> dict[str, Any]:
    """Upstream connections: idle ones close before the services' uvicorn closes them."""
    return {
        "maxIdleConnsPerHost": UPSTREAM_MAX_IDLE_CONNECTIONS,
        "forwardingTimeouts": {
            "dialTimeout": "5s",
            "idleConnTimeout": f"{UPSTREAM_IDLE_TIMEOUT_SECONDS}s",
        },
    }


def dynamic_config(
    routes: Sequence[Route] | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    *,
    production: bool = True,
) -> dict[str, Any]:
    """The file provider's dynamic configuration as data."""
    table = tuple(routes if routes is not None else load_routes())
    routers: dict[str, Any] = {}
    services: dict[str, Any] = {}
    for route in table:
        api_bases = tuple(prefix.rstrip("/") for prefix in route.prefixes)
        routers[route.service] = {
            "rule": path_rule(api_bases),
            "entryPoints": ["web"],
            "service": route.service,
            "middlewares": list(API_MIDDLEWARES),
        }
        routers[f"{route.service}-docs"] = {
            "rule": path_rule((route.docs_prefix,)),
            "entryPoints": ["web"],
            "service": route.service,
            "middlewares": list(DOCS_MIDDLEWARES),
        }
        routers[f"{route.service}-cors"] = {
            "rule": cors_rule(route),
            "entryPoints": ["web"],
            "service": route.service,
            "middlewares": list(CORS_MIDDLEWARES),
        }
        services[route.service] = {
            "loadBalancer": {
                "servers": [{"url": f"http://{route.service}:{SERVICE_CONTAINER_PORT}"}],
                "passHostHeader": True,
                "serversTransport": SERVERS_TRANSPORT,
                "healthCheck": {"path": "/healthz", "interval": "10s", "timeout": "3s"},
            }
        }
    middlewares = {
        # Bodies over the cap are refused with 413 before reaching a service.
        BODY_LIMIT_MIDDLEWARE: {"buffering": {"maxRequestBodyBytes": max_body_bytes}},
        HEADERS_MIDDLEWARE: headers_middleware(production=production),
        CORS_MIDDLEWARE: cors_middleware(),
        VARY_MIDDLEWARE: vary_middleware(),
    }
    return {
        "http": {
            "routers": routers,
            "services": services,
            "middlewares": middlewares,
            "serversTransports": {SERVERS_TRANSPORT: servers_transport()},
        }
    }


def render_traefik_static() -> str:
    """``traefik.yml``."""
    return GENERATED_NOTICE + _STATIC_NOTES + dump_yaml(static_config())


def render_traefik_dynamic(
    routes: Sequence[Route] | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    *,
    production: bool = True,
) -> str:
    """``dynamic.yml``."""
    config = dynamic_config(routes, max_body_bytes, production=production)
    return GENERATED_NOTICE + _DYNAMIC_NOTES + dump_yaml(config)
