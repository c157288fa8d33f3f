"""The local gateway for real: Caddy runs the rendered config in front of echo upstreams.

Two gateways run side by side (their admin API is off): one with every service
up, one with auth up, catalog's upstream down and the rest not running.
"""

from __future__ import annotations

import json
import re
import time

import pytest
from caddy_harness import EchoUpstreams, Gateway, Reply, StartGateway, free_port

from gateway.policy import HSTS, SECURITY_HEADERS
from gateway.table import load_routes, service_names

BODY_CAP = 4096
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


@pytest.fixture(scope="module")
def gateway(start_gateway: StartGateway, echo_upstreams: EchoUpstreams) -> Gateway:
    """Every service of the table up, each behind its own echo server."""
    upstreams = {name: echo_upstreams.start(name) for name in service_names()}
    return start_gateway(upstreams, max_body_bytes=BODY_CAP)


@pytest.fixture(scope="module")
def degraded(start_gateway: StartGateway, echo_upstreams: EchoUpstreams) -> Gateway:
    """auth up, catalog configured but its upstream down, the other services not running."""
    upstreams = {"auth": echo_upstreams.start("auth"), "catalog": f"127.0.0.1:{free_port()}"}
    return start_gateway(upstreams)


def every_table_path() -> list[tuple[str, str]]:
    paths = []
    for route in load_routes():
        for base in route.bases:
            for path in (base, base + "/", base + "/42/items?page=2"):
                paths.append((route.service, path))
    return paths


@pytest.mark.parametrize(("service", "path"), every_table_path())
def test_every_prefix_reaches_its_service_unchanged(
    gateway: Gateway, service: str, path: str
) -> None:
    reply = gateway.request(path)
    assert reply.status == 200, reply.body
    echoed = reply.json()
    assert echoed["service"] == service
    assert echoed["path"] == path


@pytest.mark.parametrize("path", ["/api/usersfoo", "/api/authx/1", "/docs/authx", "/api/nothing"])
def test_a_longer_name_is_not_captured_by_a_prefix(gateway: Gateway, path: str) -> None:
    reply = gateway.request(path)
    assert reply.status == 404
    assert reply.json() == {"detail": f"no route for {path}"}


def test_an_unknown_path_is_a_json_404(gateway: Gateway) -> None:
    reply = gateway.request("/nowhere/at/all")
    assert reply.status == 404
    assert reply.headers["Content-Type"] == "application/json"
    assert reply.json() == {"detail": "no route for /nowhere/at/all"}


@pytest.mark.parametrize("path", ["/a%22b", "/a%5Cb", "/a%0Ab"])
def test_a_404_stays_valid_json_whatever_the_path(gateway: Gateway, path: str) -> None:
    reply = gateway.request(path)
    assert reply.status == 404
    assert reply.json()["detail"].startswith("no route for ")


def test_a_request_id_is_set_when_absent(gateway: Gateway) -> None:
    first = gateway.request("/api/users").json()["headers"]["x-request-id"]
    second = gateway.request("/api/users").json()["headers"]["x-request-id"]
    assert UUID.match(first)
    assert UUID.match(second)
    assert first != second


def test_the_clients_request_id_is_kept(gateway: Gateway) -> None:
    reply = gateway.request("/api/stores/1", headers={"X-Request-ID": "client-id-123"})
    assert reply.json()["headers"]["x-request-id"] == "client-id-123"


def test_a_malformed_request_id_is_replaced(gateway: Gateway) -> None:
    reply = gateway.request("/api/stores", headers={"X-Request-ID": "not valid!"})
    assert UUID.match(reply.json()["headers"]["x-request-id"])


def test_forwarded_headers_come_from_the_gateway_not_the_client(gateway: Gateway) -> None:
    reply = gateway.request(
        "/api/pos/sales",
        headers={"X-Forwarded-For": "6.6.6.6", "X-Forwarded-Proto": "https", "Host": "shop.test"},
    )
    headers = reply.json()["headers"]
    assert headers["x-forwarded-for"] == "127.0.0.1"
    assert headers["x-forwarded-proto"] == "http"
    assert headers["x-forwarded-host"] == "shop.test"
    assert headers["host"] == "shop.test"


def test_a_body_up_to_the_cap_is_forwarded(gateway: Gateway) -> None:
    reply = gateway.request("/api/products", method="POST", body=b"x" * BODY_CAP)
    assert reply.status == 200
    assert reply.json()["body_length"] == BODY_CAP


def test_a_body_over_the_cap_is_a_json_413(gateway: Gateway) -> None:
    reply = gateway.request("/api/products", method="POST", body=b"x" * (BODY_CAP + 1))
    assert reply.status == 413
    assert reply.headers["Content-Type"] == "application/json"
    assert reply.json() == {"detail": "request body too large"}


def test_the_gateway_answers_its_own_health(gateway: Gateway) -> None:
    reply = gateway.request("/healthz")
    assert reply.status == 200
    assert reply.json() == {"status": "ok"}


def test_a_gateway_answer_carries_the_request_id(gateway: Gateway) -> None:
    reply = gateway.request("/nowhere", headers={"X-Request-ID": "trace-me"})
    assert reply.headers["X-Request-ID"] == "trace-me"


def test_the_access_log_is_json_with_the_request_id(gateway: Gateway) -> None:
    gateway.request("/api/units", headers={"X-Request-ID": "logged-id"})
    deadline = time.monotonic() + 5
    entries: list[dict[str, object]] = []
    while time.monotonic() < deadline:
        lines = gateway.access_log.read_text().splitlines()
        entries = [json.loads(line) for line in lines]
        if any(entry.get("request_id") == "logged-id" for entry in entries):
            break
        time.sleep(0.05)
    logged = [entry for entry in entries if entry.get("request_id") == "logged-id"]
    assert logged, entries[-3:]
    assert logged[0]["status"] == 200


@pytest.mark.parametrize("path", ["/", "/docs", "/docs/"])
def test_the_service_page_links_every_services_docs(degraded: Gateway, path: str) -> None:
    reply = degraded.request(path)
    assert reply.status == 200
    assert reply.headers["Content-Type"].startswith("text/html")
    page = reply.body.decode()
    for name in service_names():
        assert f'<a href="/docs/{name}">{name}</a>' in page
    assert '<a href="/docs/auth">auth</a> (running)' in page
    assert '<a href="/docs/pos">pos</a> (not running)' in page


@pytest.mark.parametrize("path", ["/api/bookings", "/api/hr/shifts", "/docs/audit"])
def test_a_service_that_is_not_running_is_a_json_503(degraded: Gateway, path: str) -> None:
    service = next(route.service for route in load_routes() if route.matches(path))
    reply = degraded.request(path)
    assert reply.status == 503
    assert reply.headers["Content-Type"] == "application/json"
    assert reply.json() == {"detail": f"service {service} is not available"}


def test_an_upstream_that_is_down_is_a_json_502(degraded: Gateway) -> None:
    reply = degraded.request("/api/stores/7")
    assert reply.status == 502
    assert reply.json() == {"detail": "service catalog is unreachable"}


def test_a_running_service_still_answers_beside_the_others(degraded: Gateway) -> None:
    reply = degraded.request("/api/token/refresh", method="POST", body=b"{}")
    assert reply.status == 200
    assert reply.json()["service"] == "auth"


@pytest.fixture(scope="module")
def production(start_gateway: StartGateway, echo_upstreams: EchoUpstreams) -> Gateway:
    return start_gateway({"auth": echo_upstreams.start("auth")}, production=True)


def _answers(gateway: Gateway) -> dict[str, Reply]:
    """One answer of each kind: proxied, the gateway's own, and each error handler's."""
    return {
        "proxied": gateway.request("/api/users"),
        "health": gateway.request("/healthz"),
        "page": gateway.request("/"),
        "not-found": gateway.request("/nowhere"),
        "not-running": gateway.request("/api/bookings"),
        "too-large": gateway.request("/api/users", method="POST", body=b"x" * (BODY_CAP + 1)),
    }


def test_every_answer_carries_the_security_headers(gateway: Gateway) -> None:
    for kind, reply in _answers(gateway).items():
        for name, value in SECURITY_HEADERS.items():
            assert reply.headers[name] == value, (kind, name)
        assert "Strict-Transport-Security" not in reply.headers, kind  # not in development


def test_an_upstream_cannot_weaken_the_headers(gateway: Gateway) -> None:
    """The headers are set when the answer is written, over what the upstream sent."""
    reply = gateway.request(
        "/api/users",
        headers={"X-Echo-Header": "X-Frame-Options: ALLOWALL"},
    )
    assert reply.json()["service"] == "auth"
    assert reply.headers.get_all("X-Frame-Options") == ["DENY"]
    other = gateway.request("/api/users", headers={"X-Echo-Header": "X-Service-Says: hello"})
    assert other.headers["X-Service-Says"] == "hello"  # the upstream's own headers pass


def test_an_unreachable_upstream_answer_carries_the_headers_too(degraded: Gateway) -> None:
    reply = degraded.request("/api/stores/7")
    assert reply.status == 502
    assert reply.headers["Content-Security-Policy"] == "frame-ancestors 'none'"


def test_production_adds_hsts(production: Gateway) -> None:
    for path in ("/api/users", "/healthz", "/nowhere"):
        reply = production.request(path)
        assert reply.headers["Strict-Transport-Security"] == HSTS, path
        assert reply.headers["X-Content-Type-Options"] == "nosniff"
