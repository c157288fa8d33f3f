"""How much CPU and memory each pod asks for and may use, and the measurement behind each number.

Every figure comes from ``bench/README.md`` (2-CPU development VM, shared):

- idle-memory: a service's uvicorn idles at 117-140 MiB RSS in one process (POS highest:
  172 MiB with its two PostgreSQL backends, fpdf alone +21-24 MiB); NATS 19 MiB; PostgreSQL
  65 MiB for the postmaster and its background processes, 12-17 MiB per idle backend.
- pos: two registers (~3 checkouts/s, ~36 requests/s) keep the one POS process CPU-bound
  (~28 ms of CPU per request); a uvicorn worker is one event loop and never uses more than
  one core, so a CPU limit above 1 would buy nothing.
- pos (catch-up): inventory's consumer drains 25 units/s, ~26-31 ms of handler per unit,
  i.e. ~0.7 of a core while it catches up.
- inventory: an authenticated list costs ~13 ms against ~4 ms for ``/healthz``.
- events-relay: one NATS takes 4,450-5,860 events/s from one relay.

No benchmark here measures memory under load: the memory limits are headroom over the idle
figures (about 3.5x), and the body caps (1 MiB JSON, 10 MiB uploads; ``gateway.policy``)
bound what one request can add. Measure with ``kubectl top pod`` under real traffic and
adjust here, then ``shopfloor-gateway render deploy``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Sizing:
    cpu_request: str
    cpu_limit: str | None
    memory_request: str
    memory_limit: str
    source: str  # which measurement each number comes from (an annotation on the object)

    def resources(self) -> dict[str, Any]:
        limits: dict[str, str] = {"memory": self.memory_limit}
        if self.cpu_limit is not None:
            limits["cpu"] = self.cpu_limit
        return {
            "requests": {"cpu": self.cpu_request, "memory": self.memory_request},
            "limits": limits,
        }


_SERVICE_MEMORY = (
    "memory request 160Mi: idle uvicorn 117-140 MiB RSS (bench idle-memory); limit 512Mi: "
    "headroom, memory under load is not benchmarked"
)
_ONE_CORE = "cpu limit 1: one uvicorn process is one event loop (bench pos: CPU-bound at one core)"

DEFAULT_SERVICE = Sizing(
    cpu_request="250m",
    cpu_limit="1",
    memory_request="160Mi",
    memory_limit="512Mi",
    source=(
        "cpu request 250m: ~13 ms of CPU per authenticated request (bench inventory), "
        f"~19 requests/s; {_ONE_CORE}; {_SERVICE_MEMORY}"
    ),
)

SERVICES: dict[str, Sizing] = {
    "pos": Sizing(
        cpu_request="500m",
        cpu_limit="1",
        memory_request="192Mi",
        memory_limit="512Mi",
        source=(
            "cpu request 500m: two registers (36 requests/s) saturate one POS process, so half "
            f"a core is one register (bench pos); {_ONE_CORE}; memory request 192Mi: POS idles "
            "highest, 172 MiB with two backends, fpdf +21-24 MiB (bench idle-memory); limit "
            "512Mi: headroom, memory under load is not benchmarked"
        ),
    ),
    "inventory": Sizing(
        cpu_request="500m",
        cpu_limit="1",
        memory_request="160Mi",
        memory_limit="512Mi",
        source=(
            "cpu request 500m: catching up, its consumer drains 25 units/s at 26-31 ms each, "
            f"~0.7 core (bench pos, catch-up); {_ONE_CORE}; {_SERVICE_MEMORY}"
        ),
    ),
}

# PostgreSQL has no CPU limit: throttling a database's backends only queues every service.
DATABASE = Sizing(
    cpu_request="250m",
    cpu_limit=None,
    memory_request="512Mi",
    memory_limit="2Gi",
    source=(
        "memory request 512Mi: 128 MiB shared_buffers + 65 MiB postmaster and background "
        "processes + ~20 backends at 12-17 MiB (bench idle-memory); limit 2Gi: max_connections "
        "backends at ~12 MiB each"
    ),
)

NATS = Sizing(
    cpu_request="100m",
    cpu_limit=None,
    memory_request="128Mi",
    memory_limit="512Mi",
    source=(
        "NATS idles at 19 MiB RSS (bench idle-memory) and takes 4,450-5,860 events/s from one "
        "relay (bench events-relay); the JetStream file store's cache is the headroom"
    ),
)

TRAEFIK = Sizing(
    cpu_request="100m",
    cpu_limit=None,
    memory_request="128Mi",
    memory_limit="512Mi",
    source=(
        "not benchmarked here (the local gateway, Caddy, idles at 94 MiB RSS: bench "
        "idle-memory); the chart sets GOMEMLIMIT to 90 % of the limit"
    ),
)

# Replicas: two at least in production, so a drain or a crash never leaves a service empty.
MIN_REPLICAS = 2
MAX_REPLICAS = 6
CPU_TARGET_PERCENT = 70


def for_service(name: str) -> Sizing:
    return SERVICES.get(name, DEFAULT_SERVICE)
