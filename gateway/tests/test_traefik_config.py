"""The Traefik configuration: a router and a service per table entry, rules equal to the table."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from gateway.cors import ORIGINS_VARIABLE
from gateway.policy import HSTS_MAX_AGE_SECONDS, UPSTREAM_IDLE_TIMEOUT_SECONDS
from gateway.table import DEFAULT_MAX_BODY_BYTES, Route, load_routes
from gateway.traefik import (
    ORIGIN_PATTERN,
    cors_rule,
    dynamic_config,
    path_rule,
    render_traefik_dynamic,
    render_traefik_static,
    static_config,
)

_MATCHER = re.compile(r"^(Path|PathPrefix)\(`([^`]*)`\)$")
_FROM_LISTED_ORIGIN = f" && HeaderRegexp(`Origin`, `{ORIGIN_PATTERN}`)"


def rule_matches(rule: str, path: str) -> bool:
    """Evaluate a rule made only of Path/PathPrefix joined by ||, as Traefik would; a CORS
    router's rule (those paths, from a listed origin) is evaluated for a listed origin."""
    if rule.endswith(_FROM_LISTED_ORIGIN):
        rule = rule.removesuffix(_FROM_LISTED_ORIGIN)
        assert rule.startswith("(") and rule.endswith(")"), rule
        rule = rule[1:-1]
    for term in rule.split(" || "):
        found = _MATCHER.match(term)
        assert found, f"unexpected rule term {term!r}"
        kind, argument = found.groups()
        if (kind == "Path" and path == argument) or (
            kind == "PathPrefix" and path.startswith(argument)
        ):
            return True
    return False


@pytest.fixture(scope="module")
def dynamic() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(render_traefik_dynamic())
    return loaded


def samples(route: Route) -> list[str]:
    return [
        path
        for base in route.bases
        for path in (base, base + "/", base + "/1/x", base + "x", base + "-x/")
    ]


def test_every_service_has_an_api_router_a_docs_router_and_a_service(
    dynamic: dict[str, Any],
) -> None:
    routers = dynamic["http"]["routers"]
    services = dynamic["http"]["services"]
    for route in load_routes():
        assert routers[route.service]["service"] == route.service
        assert routers[f"{route.service}-docs"]["service"] == route.service
        assert routers[f"{route.service}-cors"]["service"] == route.service
        assert routers[route.service]["entryPoints"] == ["web"]
        balancer = services[route.service]["loadBalancer"]
        assert balancer["servers"] == [{"url": f"http://{route.service}:8000"}]
        assert balancer["healthCheck"]["path"] == "/healthz"
    assert len(routers) == 3 * len(load_routes())
    assert len(services) == len(load_routes())


def test_every_prefix_appears_in_its_services_rule(dynamic: dict[str, Any]) -> None:
    routers = dynamic["http"]["routers"]
    for route in load_routes():
        rule = routers[route.service]["rule"]
        for prefix in route.prefixes:
            base = prefix.rstrip("/")
            assert f"Path(`{base}`)" in rule
            assert f"PathPrefix(`{base}/`)" in rule
        assert f"PathPrefix(`{route.docs_prefix}/`)" in routers[f"{route.service}-docs"]["rule"]


def test_the_rules_route_exactly_as_the_table_does(dynamic: dict[str, Any]) -> None:
    routers = dynamic["http"]["routers"]
    all_samples = [path for route in load_routes() for path in samples(route)]
    for path in all_samples:
        expected = [route.service for route in load_routes() if route.matches(path)]
        routed = sorted(
            {router["service"] for router in routers.values() if rule_matches(router["rule"], path)}
        )
        assert routed == expected, path


def test_a_cors_router_covers_its_services_paths_and_outranks_the_plain_ones(
    dynamic: dict[str, Any],
) -> None:
    """Traefik's default priority is the rule's length: the CORS rule holds every path term
    of the plain routers and more, so a listed origin's request always takes it."""
    routers = dynamic["http"]["routers"]
    for route in load_routes():
        cors = routers[f"{route.service}-cors"]
        assert (
            cors["rule"] == cors_rule(route) == f"({path_rule(route.bases)}){_FROM_LISTED_ORIGIN}"
        )
        for plain in (routers[route.service], routers[f"{route.service}-docs"]):
            assert len(cors["rule"]) > len(plain["rule"])
            assert "priority" not in plain and "priority" not in cors
        assert cors["middlewares"] == ["security-headers", "cors", "body-limit"]
        assert "cors" not in routers[route.service]["middlewares"]


def test_the_origins_come_from_traefiks_environment(dynamic: dict[str, Any]) -> None:
    cors = dynamic["http"]["middlewares"]["cors"]["headers"]
    assert cors["accessControlAllowOriginListRegex"] == [ORIGIN_PATTERN]
    assert f'(env "{ORIGINS_VARIABLE}")' in ORIGIN_PATTERN
    assert cors["accessControlAllowCredentials"] is True and cors["addVaryHeader"] is True
    assert "accessControlAllowOriginList" not in cors  # never "*"


def test_the_api_routers_cap_bodies_and_every_router_sets_headers(dynamic: dict[str, Any]) -> None:
    middlewares = dynamic["http"]["middlewares"]
    assert middlewares["body-limit"]["buffering"]["maxRequestBodyBytes"] == DEFAULT_MAX_BODY_BYTES
    assert "headers" in middlewares["security-headers"]
    for name, router in dynamic["http"]["routers"].items():
        for middleware in router["middlewares"]:
            assert middleware in middlewares, f"{name} uses undefined {middleware}"
        assert "security-headers" in router["middlewares"]
        if not name.endswith("-docs"):
            assert "body-limit" in router["middlewares"]


def test_the_body_cap_is_a_parameter() -> None:
    config = dynamic_config(max_body_bytes=1234)
    assert config["http"]["middlewares"]["body-limit"]["buffering"]["maxRequestBodyBytes"] == 1234


def test_the_static_config_reads_the_dynamic_file_and_logs_json() -> None:
    static = yaml.safe_load(render_traefik_static())
    assert static == static_config()
    assert static["entryPoints"]["web"]["address"] == ":80"
    assert "forwardedHeaders" not in static["entryPoints"]["web"]
    assert static["providers"]["file"]["filename"] == "/etc/traefik/dynamic.yml"
    assert static["accessLog"]["format"] == "json"
    assert static["ping"]["entryPoint"] in static["entryPoints"]


def test_the_dynamic_file_explains_request_ids() -> None:
    assert "X-Request-ID" in render_traefik_dynamic().split("http:")[0]


def test_path_rule_keeps_exact_and_sub_paths_apart() -> None:
    assert path_rule(("/api/users",)) == "Path(`/api/users`) || PathPrefix(`/api/users/`)"


def test_every_service_uses_a_transport_idling_less_than_the_services_keep_alive(
    dynamic: dict[str, Any],
) -> None:
    from common.cli import KEEP_ALIVE_SECONDS

    transports = dynamic["http"]["serversTransports"]
    for route in load_routes():
        name = dynamic["http"]["services"][route.service]["loadBalancer"]["serversTransport"]
        idle = transports[name]["forwardingTimeouts"]["idleConnTimeout"]
        assert idle == f"{UPSTREAM_IDLE_TIMEOUT_SECONDS}s"
    assert UPSTREAM_IDLE_TIMEOUT_SECONDS < KEEP_ALIVE_SECONDS


def test_the_headers_middleware_forbids_framing_and_sniffing(dynamic: dict[str, Any]) -> None:
    headers = dynamic["http"]["middlewares"]["security-headers"]["headers"]
    assert headers["contentTypeNosniff"] is True and headers["frameDeny"] is True
    assert headers["referrerPolicy"] == "no-referrer"
    assert headers["contentSecurityPolicy"] == "frame-ancestors 'none'"
    assert headers["stsSeconds"] == HSTS_MAX_AGE_SECONDS  # deploy/ is production
    assert headers["stsIncludeSubdomains"] is True and headers["forceSTSHeader"] is True


def test_hsts_can_be_left_out_outside_production() -> None:
    headers = dynamic_config(production=False)["http"]["middlewares"]["security-headers"]
    assert not {"stsSeconds", "forceSTSHeader"} & set(headers["headers"])
