"""A harness for running the local gateway in tests: echo upstreams, Caddy as a process, a client.

An echo upstream answers every request with JSON naming its service and echoing
the path, headers and body length it received, so a test sees exactly what the
gateway forwarded. A request header ``X-Echo-Header: Name: value`` makes it
answer with that header too (what a service might send).
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from gateway.caddy import render_caddyfile


@dataclass(frozen=True)
class Reply:
    """A response as the client saw it."""

    status: int
    headers: Message
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass(frozen=True)
class Gateway:
    """A running Caddy: its port, its access log, and a client for it."""

    port: int
    access_log: Path

    def request(
        self,
        path: str,
        *,
        method: str = "GET",
        headers: Mapping[str, str] | None = None,
        body: bytes | None = None,
    ) -> Reply:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request(method, path, body=body, headers=dict(headers or {}))
            response = connection.getresponse()
            return Reply(response.status, response.headers, response.read())
        finally:
            connection.close()


StartGateway = Callable[..., Gateway]


def free_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class _QuietServer(ThreadingHTTPServer):
    """Does not print a traceback when the gateway drops a connection (e.g. after a 413)."""

    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass


class EchoUpstreams:
    """Echo servers, one per service, each on its own ephemeral port."""

    def __init__(self) -> None:
        self._servers: list[_QuietServer] = []

    def start(self, service: str) -> str:
        """Start an echo server for ``service``; returns its ``127.0.0.1:port``."""
        server = _QuietServer(("127.0.0.1", 0), _echo_handler(service))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self._servers.append(server)
        return f"127.0.0.1:{server.server_address[1]}"

    def stop(self) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()
        self._servers.clear()


def _echo_handler(service: str) -> type[BaseHTTPRequestHandler]:
    class Echo(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _echo(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            received = self.rfile.read(length) if length else b""
            payload = json.dumps(
                {
                    "service": service,
                    "path": self.path,
                    "headers": {key.lower(): value for key, value in self.headers.items()},
                    "body_length": len(received),
                }
            ).encode()
            self.send_response(200)
            for wanted in self.headers.get_all("X-Echo-Header") or []:
                name, _, value = wanted.partition(":")
                self.send_header(name.strip(), value.strip())
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = _echo

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Echo


@contextmanager
def running_caddy(
    caddy: Path, workdir: Path, upstreams: Mapping[str, str], **options: Any
) -> Iterator[Gateway]:
    """Render a Caddyfile, run Caddy on a free port until it answers, stop it on exit."""
    port = free_port()
    access_log = workdir / "access.log"
    caddyfile = workdir / "Caddyfile"
    caddyfile.write_text(
        render_caddyfile(port=port, upstreams=upstreams, access_log=access_log, **options)
    )
    # Caddy keeps a little state in its data and config dirs: keep it out of $HOME.
    env = {**os.environ, "XDG_DATA_HOME": str(workdir), "XDG_CONFIG_HOME": str(workdir)}
    output = workdir / "caddy.out"
    with output.open("wb") as sink:
        process = subprocess.Popen(
            [str(caddy), "run", "--adapter", "caddyfile", "--config", str(caddyfile)],
            stdout=sink,
            stderr=subprocess.STDOUT,
            env=env,
        )
    try:
        gateway = Gateway(port=port, access_log=access_log)
        _wait_until_answering(gateway, process, output)
        yield gateway
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_answering(gateway: Gateway, process: subprocess.Popen[bytes], output: Path) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"caddy exited with {process.returncode}:\n{output.read_text()}")
        try:
            if gateway.request("/healthz").status == 200:
                return
        except OSError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"caddy did not answer on port {gateway.port}:\n{output.read_text()}")
