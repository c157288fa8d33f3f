"""The rendered Traefik configuration, run by a real Traefik in front of an echo upstream."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from caddy_harness import EchoUpstreams
from traefik_harness import Traefik, running_traefik

from gateway.policy import HSTS, SECURITY_HEADERS
from gateway.traefik import SERVERS_TRANSPORT

BODY_CAP = 4096


@pytest.fixture(scope="module")
def traefik(
    traefik_binary: Path, echo_upstreams: EchoUpstreams, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Traefik]:
    upstreams = {"auth": echo_upstreams.start("auth"), "pos": echo_upstreams.start("pos")}
    with running_traefik(
        traefik_binary, tmp_path_factory.mktemp("traefik"), upstreams, max_body_bytes=BODY_CAP
    ) as gateway:
        yield gateway


@pytest.mark.parametrize(("path", "service"), [("/api/users/7", "auth"), ("/api/pos/sales", "pos")])
def test_a_request_reaches_its_service_with_the_security_headers(
    traefik: Traefik, path: str, service: str
) -> None:
    reply = traefik.request(path, headers={"X-Echo-Header": "X-Frame-Options: ALLOWALL"})
    assert reply.status == 200, reply.body
    assert reply.json()["service"] == service and reply.json()["path"] == path
    for name, value in SECURITY_HEADERS.items():
        assert reply.headers.get_all(name) == [value], name
    assert reply.headers["Strict-Transport-Security"] == HSTS


def test_a_body_over_the_cap_is_refused(traefik: Traefik) -> None:
    fits = traefik.request("/api/users", method="POST", body=b"x" * BODY_CAP)
    over = traefik.request("/api/users", method="POST", body=b"x" * (BODY_CAP + 1))
    assert fits.status == 200 and fits.json()["body_length"] == BODY_CAP
    assert over.status == 413


def test_traefik_serves_through_the_transport_with_the_idle_timeout(traefik: Traefik) -> None:
    """Traefik refuses a whole dynamic file with a malformed timeout, and a router whose
    service names an unknown transport answers 404: routing proves both were taken."""
    service = traefik.api("/api/http/services/auth@file")
    assert service["loadBalancer"]["serversTransport"] == f"{SERVERS_TRANSPORT}@file"
    assert traefik.request("/api/users").status == 200
