"""`shopfloor-local up`: the platform starts, answers, stops without orphans and keeps its data."""

from __future__ import annotations

import signal
import socket
from collections.abc import Callable
from pathlib import Path

import httpx
import psycopg

from shopfloor_local.platform import Platform, http_ok, port_free


def nats_answers(port: int) -> bool:
    """A NATS server greets every client with an INFO line."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        return sock.recv(4096).startswith(b"INFO ")


def assert_stopped_cleanly(platform: Platform, returncode: int, expected: int) -> None:
    assert returncode == expected, platform.output()[-4000:]
    assert platform.leftovers() == []
    for port in (platform.gateway_port, platform.pg_port, platform.nats_port):
        assert port_free(port), f"port {port} still taken after stop"


def test_up_serves_stops_on_sigint_and_keeps_data(make_platform: Callable[..., Platform]) -> None:
    platform = make_platform()
    platform.start()
    platform.wait_ready()

    assert httpx.get(f"{platform.gateway_url}/healthz", trust_env=False).json() == {"status": "ok"}
    with psycopg.connect(platform.pg_url, autocommit=True) as connection:
        connection.execute("CREATE TABLE kept (note text)")
        connection.execute("INSERT INTO kept VALUES ('from the first run')")
    assert nats_answers(platform.nats_port)
    assert httpx.get(
        f"http://127.0.0.1:{platform.nats_monitor_port}/healthz", trust_env=False
    ).is_success
    key = platform.data_dir / "keys" / "jwt-ed25519.pem"
    assert key.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    assert key.stat().st_mode & 0o777 == 0o600
    status = platform.run("status")
    assert status.returncode == 0, status.stdout + status.stderr
    assert "gateway" in status.stdout

    assert_stopped_cleanly(platform, platform.stop(signal.SIGINT), expected=130)

    first_key = key.read_bytes()
    platform.start()
    platform.wait_ready()
    with psycopg.connect(platform.pg_url) as connection:
        rows = connection.execute("SELECT note FROM kept").fetchall()
    assert rows == [("from the first run",)]
    assert key.read_bytes() == first_key
    assert_stopped_cleanly(platform, platform.stop(signal.SIGINT), expected=130)
    assert platform.run("status").returncode == 1


def test_two_platforms_run_side_by_side(make_platform: Callable[..., Platform]) -> None:
    first, second = make_platform("first"), make_platform("second")
    first.start()
    second.start()
    first.wait_ready()
    second.wait_ready()

    for platform in (first, second):
        with psycopg.connect(platform.pg_url) as connection:
            directory = connection.execute("SHOW data_directory").fetchone()
        assert directory is not None and str(platform.data_dir) in directory[0]
        assert nats_answers(platform.nats_port)

    assert_stopped_cleanly(first, first.stop(signal.SIGTERM), expected=143)
    assert httpx.get(f"{second.gateway_url}/healthz", trust_env=False).is_success
    assert_stopped_cleanly(second, second.stop(signal.SIGINT), expected=130)


def test_outside_development_refuses_without_admin(make_platform: Callable[..., Platform]) -> None:
    platform = make_platform(SHOPFLOOR_ENV="production")

    result = platform.run("up")

    assert result.returncode != 0
    assert "SHOPFLOOR_ADMIN_EMAIL" in result.stderr
    assert "SHOPFLOOR_ADMIN_PASSWORD" in result.stderr
    assert not platform.data_dir.exists()


def test_a_busy_port_is_refused_before_anything_starts(
    make_platform: Callable[..., Platform],
) -> None:
    platform = make_platform()
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", platform.gateway_port))
        squatter.listen()

        result = platform.run("up")

    assert result.returncode != 0
    assert f"SHOPFLOOR_GATEWAY_PORT={platform.gateway_port}" in result.stderr
    assert platform.leftovers() == []


def test_external_servers_replace_the_embedded_ones(
    make_platform: Callable[..., Platform], workdir: Path
) -> None:
    empty_checkout = workdir / "repo"  # no services/: engines and gateway only, fast
    empty_checkout.mkdir()
    host = make_platform("host", SHOPFLOOR_ROOT=str(empty_checkout))
    host.start()
    host.wait_ready()
    assert "spawned: 'postgres'" in host.output() and "spawned: 'nats'" in host.output()
    guest = make_platform(
        "guest",
        SHOPFLOOR_ROOT=str(empty_checkout),
        SHOPFLOOR_DATABASE_URL=host.pg_url,
        NATS_URL=f"nats://127.0.0.1:{host.nats_port}",
    )

    guest.start()
    guest.wait_ready()

    assert "spawned: 'postgres'" not in guest.output()
    assert "spawned: 'nats'" not in guest.output()
    assert not (guest.data_dir / "postgres").exists()
    assert not (guest.data_dir / "nats").exists()
    status = guest.run("status")
    assert status.returncode == 0, status.stdout
    assert f"127.0.0.1:{host.pg_port}" in status.stdout
    assert_stopped_cleanly(guest, guest.stop(signal.SIGINT), expected=130)
    assert http_ok(f"{host.gateway_url}/healthz")
    assert_stopped_cleanly(host, host.stop(signal.SIGINT), expected=130)
