"""The CORS policy (gateway.cors) run by a real Caddy and a real Traefik, the same assertions on both.

Each gateway runs twice: with two listed origins, and with none (the default,
same origin only). Traefik reads the origins from its environment, as in compose.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from caddy_harness import EchoUpstreams, Gateway, Reply, StartGateway
from traefik_harness import running_traefik

from gateway.cors import (
    ALLOW_HEADERS,
    ALLOW_METHODS,
    EXPOSE_HEADERS,
    MAX_AGE_SECONDS,
    ORIGINS_VARIABLE,
)
from gateway.policy import SECURITY_HEADERS
from gateway.table import load_routes, service_names

LISTED = ("http://127.0.0.1:5173", "https://shop.example")
UNLISTED = ("http://127.0.0.1:5174", "https://shop.example.evil", "null", "https://SHOP.example")
BODY_CAP = 4096
GATEWAYS = ("caddy", "traefik")


@pytest.fixture(scope="module")
def upstreams(echo_upstreams: EchoUpstreams) -> dict[str, str]:
    return {name: echo_upstreams.start(name) for name in service_names()}


@pytest.fixture(scope="module")
def traefik_gateways(
    traefik_binary: Path, upstreams: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Gateway]]:
    """Traefik with the origins listed (spaces around them, as an operator may write them),
    and with the variable empty."""
    listed_env = {ORIGINS_VARIABLE: " , ".join(LISTED)}
    with (
        running_traefik(
            traefik_binary,
            tmp_path_factory.mktemp("traefik-cors"),
            upstreams,
            env=listed_env,
            max_body_bytes=BODY_CAP,
            production=False,
        ) as listed,
        running_traefik(
            traefik_binary,
            tmp_path_factory.mktemp("traefik-same-origin"),
            upstreams,
            env={ORIGINS_VARIABLE: ""},
            production=False,
        ) as none,
    ):
        yield {"listed": listed, "none": none}


@pytest.fixture(scope="module")
def caddy_gateways(start_gateway: StartGateway, upstreams: dict[str, str]) -> dict[str, Gateway]:
    return {
        "listed": start_gateway(upstreams, cors_origins=LISTED, max_body_bytes=BODY_CAP),
        "none": start_gateway(upstreams),
    }


@pytest.fixture(params=GATEWAYS)
def gateways(request: pytest.FixtureRequest) -> dict[str, Gateway]:
    gateways: dict[str, Gateway] = request.getfixturevalue(f"{request.param}_gateways")
    return gateways


def cors_headers(reply: Reply) -> dict[str, str]:
    return {
        name.lower(): value
        for name, value in reply.headers.items()
        if name.lower().startswith("access-control-")
    }


def varies_by_origin(reply: Reply) -> bool:
    values = ",".join(reply.headers.get_all("Vary") or [])
    return "origin" in {value.strip().lower() for value in values.split(",")}


def preflight(gateway: Gateway, path: str, origin: str, method: str = "DELETE") -> Reply:
    return gateway.request(
        path,
        method="OPTIONS",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": "authorization,content-type,idempotency-key,x-request-id",
        },
    )


def every_table_path() -> list[str]:
    return [path for route in load_routes() for base in route.bases for path in (base, base + "/7")]


def assert_allowed(reply: Reply, origin: str) -> None:
    headers = cors_headers(reply)
    assert headers["access-control-allow-origin"] == origin, reply.headers
    assert headers["access-control-allow-credentials"] == "true"


@pytest.mark.parametrize("path", every_table_path())
def test_the_gateway_answers_a_listed_origins_preflight_on_every_path(
    gateways: dict[str, Gateway], path: str
) -> None:
    reply = preflight(gateways["listed"], path, LISTED[1])
    assert reply.status in (200, 204), reply.body
    assert reply.body == b"", "the preflight reached the service"
    assert_allowed(reply, LISTED[1])
    headers = cors_headers(reply)
    methods = {method.strip() for method in headers["access-control-allow-methods"].split(",")}
    assert methods == set(ALLOW_METHODS)
    allowed = {name.strip().lower() for name in headers["access-control-allow-headers"].split(",")}
    assert allowed == {name.lower() for name in ALLOW_HEADERS}
    assert headers["access-control-max-age"] == str(MAX_AGE_SECONDS)
    for name, value in SECURITY_HEADERS.items():
        assert reply.headers.get_all(name) == [value], name


@pytest.mark.parametrize("method", ALLOW_METHODS)
def test_every_method_is_allowed_for_each_listed_origin(
    gateways: dict[str, Gateway], method: str
) -> None:
    for origin in LISTED:
        reply = preflight(gateways["listed"], "/api/users/7", origin, method)
        assert_allowed(reply, origin)
        assert method in cors_headers(reply)["access-control-allow-methods"]


def test_a_listed_origins_request_reaches_the_service_and_may_be_read(
    gateways: dict[str, Gateway],
) -> None:
    reply = gateways["listed"].request(
        "/api/auth/me", headers={"Origin": LISTED[0], "Authorization": "Bearer x"}
    )
    assert reply.status == 200 and reply.json()["service"] == "auth"
    assert reply.json()["headers"]["origin"] == LISTED[0]
    assert_allowed(reply, LISTED[0])
    exposed = {name.strip() for name in reply.headers["Access-Control-Expose-Headers"].split(",")}
    assert exposed == set(EXPOSE_HEADERS)
    assert varies_by_origin(reply)


@pytest.mark.parametrize("origin", UNLISTED)
def test_an_unlisted_origin_gets_no_cors_header(gateways: dict[str, Gateway], origin: str) -> None:
    gateway = gateways["listed"]
    reply = gateway.request("/api/pos/sales", headers={"Origin": origin})
    assert reply.status == 200 and reply.json()["service"] == "pos"
    assert cors_headers(reply) == {}
    assert varies_by_origin(reply)
    assert cors_headers(preflight(gateway, "/api/pos/sales", origin)) == {}


@pytest.mark.parametrize("origin", LISTED)
def test_with_no_origin_listed_every_origin_is_refused(
    gateways: dict[str, Gateway], origin: str
) -> None:
    gateway = gateways["none"]
    reply = gateway.request("/api/pos/sales", headers={"Origin": origin})
    assert reply.status == 200 and cors_headers(reply) == {}
    assert varies_by_origin(reply)
    assert cors_headers(preflight(gateway, "/api/pos/sales", origin)) == {}


def test_a_request_without_origin_gets_no_cors_header(gateways: dict[str, Gateway]) -> None:
    reply = gateways["listed"].request("/api/pos/sales")
    assert reply.status == 200 and cors_headers(reply) == {}


def test_a_refused_body_still_names_the_listed_origin(gateways: dict[str, Gateway]) -> None:
    """The page can read the 413 (else the browser reports a CORS failure instead)."""
    reply = gateways["listed"].request(
        "/api/users", method="POST", headers={"Origin": LISTED[0]}, body=b"x" * (BODY_CAP + 1)
    )
    assert reply.status == 413
    assert_allowed(reply, LISTED[0])
    for name, value in SECURITY_HEADERS.items():
        assert reply.headers.get_all(name) == [value], name
