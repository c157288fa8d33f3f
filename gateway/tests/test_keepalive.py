"""A 500 never costs another client a 502: Caddy in front of a real uvicorn service.

Before: uvicorn closed the connection after an exception escaped the app, the
gateway had pooled it, and the next request on it (another client's POST, which
Go's transport does not retry) failed with 502. Now the app answers the 500 itself
(common.middleware.UnhandledErrorMiddleware) and the connection stays usable;
the gateway's idle timeout is also shorter than uvicorn's keep-alive.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from caddy_harness import Gateway, Reply, StartGateway

from common.testing.server import Served, serving

ROUNDS = 200
TESTS_DIR = Path(__file__).parent
NOTES_DDL = "CREATE TABLE notes (id serial PRIMARY KEY, body varchar(100) NOT NULL)"


@dataclass(frozen=True)
class FaultyService:
    served: Served
    database_url: str


@pytest.fixture(scope="module")
def faulty_service(
    fresh_database: Callable[[str], str],
    nats_url: str,
    public_key_pem: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[FaultyService]:
    database_url = fresh_database("faulty")
    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute(NOTES_DDL)
    env = {"DATABASE_URL": database_url, "NATS_URL": nats_url, "JWT_PUBLIC_KEYS": public_key_pem}
    log = tmp_path_factory.mktemp("faulty") / "service.log"
    with serving("faulty_service:app", cwd=TESTS_DIR, env=env, log=log) as served:
        yield FaultyService(served, database_url)


def _run(target, count: int) -> list[Reply]:  # type: ignore[no-untyped-def]
    replies: list[Reply] = []
    for index in range(count):
        replies.append(target(index))
    return replies


def test_interleaved_500s_and_posts_give_no_502(
    start_gateway: StartGateway, faulty_service: FaultyService
) -> None:
    gateway: Gateway = start_gateway({"auth": f"127.0.0.1:{faulty_service.served.port}"})
    results: dict[str, list[Reply]] = {}

    def faults(index: int) -> Reply:
        return gateway.request("/api/users/fault", headers={"X-Request-ID": f"fault-{index}"})

    def posts(index: int) -> Reply:
        return gateway.request(
            "/api/users",
            method="POST",
            body=json.dumps({"body": f"note {index}"}).encode(),
            headers={"Content-Type": "application/json"},
        )

    threads = [
        threading.Thread(target=lambda: results.__setitem__("faults", _run(faults, ROUNDS))),
        threading.Thread(target=lambda: results.__setitem__("posts", _run(posts, ROUNDS))),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)

    post_statuses = [reply.status for reply in results["posts"]]
    assert post_statuses.count(502) == 0, post_statuses
    assert post_statuses == [201] * ROUNDS
    for index, reply in enumerate(results["faults"]):
        assert reply.status == 500, (index, reply.body)
        assert reply.headers["X-Request-ID"] == f"fault-{index}"
        assert reply.json() == {"detail": "Internal server error", "request_id": f"fault-{index}"}

    with psycopg.connect(faulty_service.database_url) as connection:
        stored = connection.execute("SELECT count(*) FROM notes").fetchone()
    assert stored == (ROUNDS,)

    logged = {}
    for line in faulty_service.served.log_lines():
        entry = json.loads(line)
        if entry.get("level") == "error" and "unhandled" in entry["message"]:
            logged[entry["request_id"]] = entry
    assert set(logged) == {f"fault-{index}" for index in range(ROUNDS)}
    assert "RuntimeError: fault injected by the test" in logged["fault-0"]["exc_info"]
