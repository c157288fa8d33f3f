"""The gateway on Kubernetes: Traefik's IngressRoutes and Middlewares, and its Helm chart's values.

The same routes, body cap, security headers, CORS and upstream keep-alive as the compose
Traefik (``gateway.traefik``, ``gateway.policy``, ``gateway.cors``), as Traefik's own CRDs:
one IngressRoute per service with compose's three routers as its routes (its API prefixes
behind the headers and the body limit; ``/docs/<name>`` behind the headers; both from a
listed origin behind the ``cors`` middleware), a ServersTransport whose idle timeout is
below the services' keep-alive. CRDs have no templates, so the listed origins are written
out when rendered (``origins``): none in the committed base (same origin only); a site lists
its own with a patch of those objects (``origins_patch``: ``shopfloor-gateway render k8s-cors``). Why IngressRoutes and not the Gateway API's HTTPRoutes: an HTTPRoute has no
request-body limit, and Traefik would need its Middlewares as filters anyway.
X-Request-ID: Traefik has no generator; a request without one gets its id from the service
(``common.middleware``), which answers with it; the access log keeps the header.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from gateway.k8s import sizing
from gateway.k8s.objects import NAMESPACE, PORT_NAME, metadata
from gateway.table import DEFAULT_MAX_BODY_BYTES, Route
from gateway.traefik import (
    API_MIDDLEWARES,
    BODY_LIMIT_MIDDLEWARE,
    CORS_MIDDLEWARE,
    CORS_MIDDLEWARES,
    DOCS_MIDDLEWARES,
    HEADERS_MIDDLEWARE,
    VARY_MIDDLEWARE,
    cors_middleware,
    cors_rule,
    headers_middleware,
    origins_pattern,
    path_rule,
    servers_transport,
    vary_middleware,
)

TRAEFIK_API = "traefik.io/v1alpha1"
SERVERS_TRANSPORT = "shopfloor-services"
ENTRY_POINT = "web"  # plain HTTP: TLS ends at the load balancer in front (HSTS is forced)


def _crd(kind: str, name: str, spec: dict[str, Any]) -> dict[str, Any]:
    return {
        "apiVersion": TRAEFIK_API,
        "kind": kind,
        "metadata": metadata(name, component="gateway"),
        "spec": spec,
    }


def _references(names: Sequence[str]) -> list[dict[str, str]]:
    return [{"name": name} for name in names]


def ingress_route(route: Route, origins: Sequence[str] = ()) -> dict[str, Any]:
    upstream = [
        {
            "kind": "Service",
            "name": route.service,
            "port": PORT_NAME,
            "serversTransport": SERVERS_TRANSPORT,
        }
    ]
    api_bases = tuple(prefix.rstrip("/") for prefix in route.prefixes)
    rules = (
        (path_rule(api_bases), API_MIDDLEWARES),
        (path_rule((route.docs_prefix,)), DOCS_MIDDLEWARES),
        (cors_rule(route, origins_pattern(origins)), CORS_MIDDLEWARES),
    )
    return _crd(
        "IngressRoute",
        route.service,
        {
            "entryPoints": [ENTRY_POINT],
            "routes": [
                {
                    "kind": "Rule",
                    "match": match,
                    "middlewares": _references(middlewares),
                    "services": upstream,
                }
                for match, middlewares in rules
            ],
        },
    )


def gateway_objects(
    routes: Sequence[Route],
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    origins: Sequence[str] = (),
) -> list[dict[str, Any]]:
    """The middlewares, the servers transport and one IngressRoute per service (production);
    ``origins``: the web clients' origins (``gateway.cors``) answered with CORS."""
    return [
        # Bodies over the cap are refused with 413 before reaching a service.
        _crd(
            "Middleware",
            BODY_LIMIT_MIDDLEWARE,
            {"buffering": {"maxRequestBodyBytes": max_body_bytes}},
        ),
        _crd("Middleware", HEADERS_MIDDLEWARE, headers_middleware(production=True)),
        _crd("Middleware", CORS_MIDDLEWARE, cors_middleware(origins_pattern(origins))),
        _crd("Middleware", VARY_MIDDLEWARE, vary_middleware()),
        _crd("ServersTransport", SERVERS_TRANSPORT, servers_transport()),
        *(ingress_route(route, origins) for route in routes),
    ]


def origins_patch(routes: Sequence[Route], origins: Sequence[str]) -> list[dict[str, Any]]:
    """The objects that name the listed origins, for a site overlay's ``patches``: the ``cors``
    middleware and every IngressRoute (a patch replaces an IngressRoute's routes whole)."""
    return [
        _crd("Middleware", CORS_MIDDLEWARE, cors_middleware(origins_pattern(origins))),
        *(ingress_route(route, origins) for route in routes),
    ]


def development_headers() -> dict[str, Any]:
    """The headers without HSTS: a developer's cluster on plain http must not be pinned."""
    headers: dict[str, Any] = headers_middleware(production=False)["headers"]
    return headers


def traefik_values() -> dict[str, Any]:
    """Values for Traefik's official chart (traefik/traefik): CRD provider on our namespace only."""
    return {
        "deployment": {"replicas": sizing.MIN_REPLICAS},
        "podDisruptionBudget": {"enabled": True, "maxUnavailable": 1},
        "topologySpreadConstraints": [
            {
                "maxSkew": 1,
                "topologyKey": "kubernetes.io/hostname",
                "whenUnsatisfiable": "ScheduleAnyway",
                "labelSelector": {"matchLabels": {"app.kubernetes.io/name": "traefik"}},
            }
        ],
        "resources": sizing.TRAEFIK.resources(),
        "ingressClass": {"enabled": False},
        "ingressRoute": {"dashboard": {"enabled": False}},
        "providers": {
            "kubernetesCRD": {
                "enabled": True,
                "allowCrossNamespace": False,
                "allowExternalNameServices": False,
                "namespaces": [NAMESPACE],
            },
            "kubernetesIngress": {"enabled": False},
        },
        "global": {"checkNewVersion": False, "sendAnonymousUsage": False},
        "log": {"level": "INFO", "format": "json"},
        "accessLog": {
            "enabled": True,
            "format": "json",
            "fields": {
                "headers": {
                    "defaultMode": "drop",
                    "names": {"X-Request-Id": "keep", "User-Agent": "keep"},
                }
            },
        },
        # No forwardedHeaders.trustedIPs: Traefik replaces any X-Forwarded-* a client sends.
        "ports": {
            "web": {"port": 8000, "exposedPort": 80},
            "websecure": {"expose": {"default": False}},
        },
        # Local: the client's address survives the load balancer (X-Forwarded-For, throttles).
        "service": {"spec": {"externalTrafficPolicy": "Local"}},
    }
