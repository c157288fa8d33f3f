"""Traefik as a process in front of echo upstreams, with the rendered configuration.

The rendered dynamic configuration is used as is, except that the services
given in ``upstreams`` point at local echo servers (the others keep their
container address, which does not resolve here). The static configuration is
the rendered one on free local ports, with Traefik's API on so a test can read
back what Traefik understood. ``env`` adds variables to Traefik's environment,
which the dynamic file's templates read (``SHOPFLOOR_CORS_ORIGINS``).
"""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from caddy_harness import Gateway, free_port

from gateway.containers import dump_yaml
from gateway.traefik import dynamic_config, static_config


@dataclass(frozen=True)
class Traefik(Gateway):
    """A running Traefik: its web port (``port``) and the port of its API."""

    api_port: int = 0

    def api(self, path: str) -> Any:
        connection = http.client.HTTPConnection("127.0.0.1", self.api_port, timeout=10)
        try:
            connection.request("GET", path)
            return json.loads(connection.getresponse().read())
        finally:
            connection.close()


@contextmanager
def running_traefik(
    traefik: Path,
    workdir: Path,
    upstreams: Mapping[str, str],
    env: Mapping[str, str] | None = None,
    **options: Any,
) -> Iterator[Traefik]:
    web, api = free_port(), free_port()
    dynamic = dynamic_config(**options)
    for name, address in upstreams.items():
        dynamic["http"]["services"][name]["loadBalancer"]["servers"] = [
            {"url": f"http://{address}"}
        ]
    static = static_config()
    static["entryPoints"] = {
        "web": {"address": f"127.0.0.1:{web}"},
        "traefik": {"address": f"127.0.0.1:{api}"},
    }
    static["providers"]["file"] = {"filename": str(workdir / "dynamic.yml")}
    static["api"] = {"insecure": True, "dashboard": False}
    static["accessLog"]["filePath"] = str(workdir / "access.log")
    static["log"]["filePath"] = str(workdir / "traefik.log")
    (workdir / "dynamic.yml").write_text(dump_yaml(dynamic))
    (workdir / "traefik.yml").write_text(dump_yaml(static))
    output = workdir / "traefik.out"
    with output.open("wb") as sink:
        process = subprocess.Popen(
            [str(traefik), f"--configFile={workdir / 'traefik.yml'}"],
            stdout=sink,
            stderr=subprocess.STDOUT,
            cwd=workdir,
            env={**os.environ, **(env or {})},
        )
    gateway = Traefik(port=web, access_log=workdir / "access.log", api_port=api)
    try:
        _wait_until_routing(gateway, process, workdir, next(iter(upstreams)))
        yield gateway
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_routing(
    gateway: Traefik, process: subprocess.Popen[bytes], workdir: Path, service: str
) -> None:
    """Until the file provider's routers are loaded (the API lists ``<service>@file``)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"traefik exited with {process.returncode}:\n{_logs(workdir)}")
        try:
            routers = gateway.api("/api/http/routers")
            if any(router.get("name") == f"{service}@file" for router in routers):
                return
        except (OSError, ValueError):
            pass
        time.sleep(0.1)
    raise RuntimeError(f"traefik never loaded the dynamic configuration:\n{_logs(workdir)}")


def _logs(workdir: Path) -> str:
    return "\n".join(
        path.read_text(errors="replace")
        for path in (workdir / "traefik.out", workdir / "traefik.log")
        if path.exists()
    )
