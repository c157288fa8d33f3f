"""A service's stream has as many copies as ``NATS_STREAM_REPLICAS`` asks: one on a single
server (the default), three on a three-node JetStream cluster — where a stream made with one
copy earlier is raised to three the next time the service starts."""

from __future__ import annotations

import asyncio
import subprocess
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import nats
import pytest

from common.config import ServiceSettings
from common.events.bus import NatsBus
from common.events.envelope import stream_name
from common.testing.engines import free_port, nats_server_binary, wait_for_port

CLUSTER_SIZE = 3


def a_service() -> str:
    return f"replicas{uuid.uuid4().hex[:8]}"


def test_one_replica_unless_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    url = "postgresql://u@127.0.0.1:5432/db"
    assert ServiceSettings(database_url=url).nats_stream_replicas == 1
    monkeypatch.setenv("NATS_STREAM_REPLICAS", "3")
    assert ServiceSettings(database_url=url).nats_stream_replicas == 3


async def test_a_single_server_stream_has_one_replica(nats_url: str) -> None:
    service = a_service()
    bus = NatsBus(nats_url, name="replicas-single")
    await bus.connect(timeout=10)
    try:
        name = await bus.ensure_stream(service)
        info = await bus.js.stream_info(name)
        assert info.config.num_replicas == 1
        await bus.js.delete_stream(name)
    finally:
        await bus.close()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[str]]:
    """Three nats-server processes routed to each other, JetStream on each: their client URLs."""
    root = tmp_path_factory.mktemp("nats-cluster")
    clients = [free_port() for _ in range(CLUSTER_SIZE)]
    routes = [free_port() for _ in range(CLUSTER_SIZE)]
    all_routes = ",".join(f"nats://127.0.0.1:{port}" for port in routes)
    processes: list[subprocess.Popen[bytes]] = []
    try:
        for node, (client, route) in enumerate(zip(clients, routes, strict=True)):
            store = Path(root) / f"n{node}"
            store.mkdir()
            command = [
                nats_server_binary(),
                "--jetstream",
                "--store_dir",
                str(store),
                "--addr",
                "127.0.0.1",
                "--port",
                str(client),
                "--server_name",
                f"n{node}",
                "--cluster_name",
                "shopfloor-test",
                "--cluster",
                f"nats://127.0.0.1:{route}",
                "--routes",
                all_routes,
            ]
            processes.append(
                subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            )
        for client in clients:
            wait_for_port("127.0.0.1", client)
        yield [f"nats://127.0.0.1:{port}" for port in clients]
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture
async def cluster_bus(cluster: list[str]) -> AsyncIterator[str]:
    """The cluster's first URL, once JetStream has elected its meta leader."""
    deadline = time.monotonic() + 30
    while True:
        connection = await nats.connect(cluster[0], connect_timeout=2)
        try:
            await connection.jetstream().account_info()
            break
        except Exception:
            assert time.monotonic() < deadline, "the JetStream cluster elected no leader"
            await asyncio.sleep(0.25)
        finally:
            await connection.close()
    yield cluster[0]


async def test_three_replicas_on_a_three_node_cluster(cluster_bus: str) -> None:
    bus = NatsBus(cluster_bus, name="replicas-cluster", stream_replicas=3)
    await bus.connect(timeout=10)
    try:
        name = await bus.ensure_stream(a_service())
        info = await bus.js.stream_info(name)
        assert info.config.num_replicas == 3
        assert info.cluster is not None and len(info.cluster.replicas or []) == 2  # + the leader
    finally:
        await bus.close()


async def test_a_one_replica_stream_is_raised_to_the_configured_three(cluster_bus: str) -> None:
    service = a_service()
    before = NatsBus(cluster_bus, name="replicas-before")
    await before.connect(timeout=10)
    try:
        await before.ensure_stream(service)
        assert (await before.js.stream_info(stream_name(service))).config.num_replicas == 1
    finally:
        await before.close()
    after = NatsBus(cluster_bus, name="replicas-after", stream_replicas=3)
    await after.connect(timeout=10)
    try:
        await after.ensure_stream(service)
        info = await after.js.stream_info(stream_name(service))
        assert info.config.num_replicas == 3
    finally:
        await after.close()
