"""Body caps (common.bodies): 413 before an oversized body is read, per route, under real uvicorn."""

from __future__ import annotations

import select
import socket
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from common.testing.helpers import running_app
from common.testing.server import Served, serving
from tests.widgets import make_app

MiB = 1024 * 1024
JSON = {"Content-Type": "application/json"}
LIMIT = 1024
UPLOAD_LIMIT = 4096


@pytest.fixture
def capped_app(widgets_settings):  # type: ignore[no-untyped-def]
    return make_app(
        widgets_settings.model_copy(
            update={"max_body_bytes": LIMIT, "max_upload_bytes": UPLOAD_LIMIT}
        )
    )


def sign_in_body(size: int) -> bytes:
    padding = "x" * max(0, size - 40)
    body = f'{{"email": "a@b.c", "password": "{padding}"}}'.encode()
    return body


async def test_a_body_over_the_cap_is_a_413_naming_the_cap(capped_app) -> None:
    async with running_app(capped_app) as client:
        fits = await client.post(
            "/api/widgets/sign-in", content=sign_in_body(LIMIT - 10), headers=JSON
        )
        over = await client.post(
            "/api/widgets/sign-in", content=sign_in_body(LIMIT + 10), headers=JSON
        )
    assert fits.status_code == 200, fits.text
    assert over.status_code == 413
    assert over.json() == {
        "detail": "The request body is larger than this route accepts (1,024 bytes)."
    }


async def test_a_streamed_body_without_length_is_cut_at_the_cap(capped_app) -> None:
    sent: list[int] = []

    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(64):
            sent.append(256)
            yield b" " * 256

    async with running_app(capped_app) as client:
        response = await client.post("/api/widgets/sign-in", content=chunks(), headers=JSON)
    assert response.status_code == 413


async def test_a_route_declares_its_own_cap(capped_app) -> None:
    item = b'{"name": "w", "size": 1},'
    many = b"[" + item * 2000 + b'{"name": "w", "size": 1}]'  # ~52 KB
    async with running_app(capped_app) as client:
        accepted = await client.post("/api/widgets/bulk", content=many, headers=JSON)
        refused = await client.post("/api/widgets/bulk", content=many + b" " * 20_000, headers=JSON)
    assert accepted.status_code == 200 and accepted.json() == {"received": 2001}
    assert refused.status_code == 413 and "65,536 bytes" in refused.json()["detail"]


async def test_a_route_taking_files_gets_the_upload_cap(capped_app) -> None:
    url = "/api/widgets/00000000-0000-0000-0000-000000000001/photo"
    async with running_app(capped_app) as client:
        fits = await client.post(url, files={"photo": ("p.png", b"\x89PNG" + b"\x00" * 3000)})
        over = await client.post(url, files={"photo": ("p.png", b"\x00" * UPLOAD_LIMIT)})
    assert fits.status_code == 200 and fits.json() == {"bytes": 3004}
    assert over.status_code == 413 and "4,096 bytes" in over.json()["detail"]


# --- a real uvicorn: memory ---------------------------------------------------------------


@pytest.fixture(scope="module")
def served_widgets(
    widgets_db: str, nats_url: str, public_key_pem: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    """One server for the module: starting a Python process costs seconds on a busy machine."""
    env = {
        "SERVICE_NAME": "widgets",
        "DATABASE_URL": widgets_db,
        "NATS_URL": nats_url,
        "JWT_PUBLIC_KEYS": public_key_pem,
    }
    with serving(
        "tests.served_widgets:app",
        cwd=Path(__file__).parent.parent,
        env=env,
        log=tmp_path_factory.mktemp("served") / "widgets.log",
    ) as served:
        yield served


def _post_raw(served: Served, head: bytes, body_chunks: Iterator[bytes]) -> bytes:
    """Send ``head``, then chunks until the server answers; the whole reply."""
    with socket.create_connection(("127.0.0.1", served.port), timeout=30) as connection:
        connection.sendall(head)
        for chunk in body_chunks:
            if select.select([connection], [], [], 0)[0]:
                break  # the server answered before the body was complete
            try:
                connection.sendall(chunk)
            except (BrokenPipeError, ConnectionResetError):
                break
        reply = b""
        while b"\r\n\r\n" not in reply and (data := connection.recv(65536)):
            reply += data
        head_part, _, body = reply.partition(b"\r\n\r\n")
        length = next(
            int(line.split(b":", 1)[1])
            for line in head_part.split(b"\r\n")
            if line.lower().startswith(b"content-length:")
        )
        while len(body) < length and (data := connection.recv(65536)):
            body += data
        return head_part + b"\r\n\r\n" + body


def _hundred_mib(chunked: bool) -> Iterator[bytes]:
    piece = b" " * 65536
    for _ in range(100 * MiB // len(piece)):
        yield f"{len(piece):x}\r\n".encode() + piece + b"\r\n" if chunked else piece


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_hundred_mib_anonymous_body_is_refused_without_growing_memory(
    served_widgets: Served, chunked: bool
) -> None:
    warm = _post_raw(
        served_widgets,
        b"POST /api/widgets/sign-in HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
        b'Content-Length: 32\r\n\r\n{"email": "a", "password": "b"}\n',
        iter([b""]),
    )
    assert warm.startswith(b"HTTP/1.1 200"), warm
    before = served_widgets.peak_rss_bytes()
    framing = b"Transfer-Encoding: chunked" if chunked else f"Content-Length: {100 * MiB}".encode()
    head = (
        b"POST /api/widgets/sign-in HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
        + framing
        + b"\r\n\r\n"
    )
    reply = _post_raw(served_widgets, head, _hundred_mib(chunked))
    grown = served_widgets.peak_rss_bytes() - before
    assert reply.startswith(b"HTTP/1.1 413"), reply[:200]
    assert b"1,048,576 bytes" in reply
    assert grown < 8 * MiB, f"peak RSS grew by {grown / MiB:.1f} MiB"
