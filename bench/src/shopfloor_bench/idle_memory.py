"""idle-memory: summed RSS of a whole idle platform started as `make up` starts it.

A platform of its own (``shopfloor_local.platform.Platform``: free ports, a
temporary data dir) is started, left idle for ``--settle`` seconds after every
service is ready, then every process of its tree is measured with psutil: the
keeper `up` becomes, supervisord, each program and everything it started
(PostgreSQL's backends, uvicorn's workers). A PostgreSQL backend is charged to
the service whose database it serves. The report gives RSS (what the issue's
target counts: shared pages are counted in every process that maps them) and
PSS (shared pages split between the processes that share them), the cost of
one service, and the projection for ``--services`` services: the fixed part
plus that many times the mean cost of one service, and the same sums by
process kind (runner, engines, the services' Pythons, their PostgreSQL backends).

The default settle (60 s) is longer than a service pool's idle release
(``DATABASE_POOL_IDLE_SECONDS``, 30 s, checked every 15 s): what start-up opened
and no longer uses is closed by then, so the figure is the platform's lasting
idle state, not its start-up's. ``--settle 10`` shows the state just after
start-up.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from shopfloor_local.platform import Platform

MIB = 1024 * 1024
DEFAULT_SETTLE_S = 60.0
START_TIMEOUT_S = 600.0  # a busy 2-core machine needs minutes to start eight services
DEFAULT_SERVICES = 8
TARGET_BYTES = 1_500_000_000  # "under 1.5 GB" (issue 11), decimal gigabytes
ENGINES = ("postgres", "nats", "gateway")
_SERVE = re.compile(r"shopfloor-([a-z][a-z0-9_-]*)$")
_BACKEND = re.compile(r"^postgres: \S+ shopfloor_([a-z0-9_]+) ")


@dataclass(frozen=True)
class Sample:
    """One process: its place in the tree and its memory."""

    pid: int
    parent: int
    cmdline: tuple[str, ...]
    rss: int
    pss: int

    @property
    def command(self) -> str:
        return " ".join(self.cmdline)


@dataclass
class Share:
    """What one program costs: its processes (a service's include its backends)."""

    name: str
    kind: str  # runner, engine, service
    processes: list[Sample] = field(default_factory=list)

    @property
    def rss(self) -> int:
        return sum(sample.rss for sample in self.processes)

    @property
    def pss(self) -> int:
        return sum(sample.pss for sample in self.processes)

    def row(self) -> dict[str, object]:
        return {
            "program": self.name,
            "kind": self.kind,
            "processes": len(self.processes),
            "rss_mib": self.rss / MIB,
            "pss_mib": self.pss / MIB,
        }


def program_of(sample: Sample) -> str:
    """The supervisord program a direct child of supervisord is, from its command line."""
    first = Path(sample.cmdline[0]).name if sample.cmdline else ""
    if first == "postgres":
        return "postgres"
    if first == "nats-server":
        return "nats"
    if first == "caddy":
        return "gateway"
    for part in sample.cmdline[:3]:
        found = _SERVE.search(part)
        if found:
            return found.group(1)
    if "service" in sample.cmdline and sample.cmdline[-2] == "service":
        return sample.cmdline[-1]  # still preparing: `shopfloor-local service <name>`
    return first or str(sample.pid)


def _descendants(root: int, samples: Sequence[Sample]) -> list[Sample]:
    children: dict[int, list[Sample]] = {}
    for sample in samples:
        children.setdefault(sample.parent, []).append(sample)
    found: list[Sample] = []
    stack = list(children.get(root, []))
    while stack:
        sample = stack.pop()
        found.append(sample)
        stack.extend(children.get(sample.pid, []))
    return found


def account(keeper: int, samples: Sequence[Sample]) -> list[Share]:
    """Charge every process of the tree below ``keeper`` to the program it belongs to."""
    by_pid = {sample.pid: sample for sample in samples}
    runner = Share("supervisor", "runner", [by_pid[keeper]] if keeper in by_pid else [])
    shares: dict[str, Share] = {}
    supervisors = [sample for sample in samples if sample.parent == keeper]
    runner.processes += supervisors
    for supervisord in supervisors:
        for child in (sample for sample in samples if sample.parent == supervisord.pid):
            name = program_of(child)
            kind = "engine" if name in ENGINES else "service"
            share = shares.setdefault(name, Share(name, kind))
            share.processes.append(child)
            for below in _descendants(child.pid, samples):
                backend = _BACKEND.match(below.command) if name == "postgres" else None
                if backend is None:
                    share.processes.append(below)
                    continue
                service = backend.group(1)
                shares.setdefault(service, Share(service, "service")).processes.append(below)
    order = {"runner": 0, "engine": 1, "service": 2}
    return [runner, *sorted(shares.values(), key=lambda s: (order[s.kind], s.name))]


def kind_of(share: Share, sample: Sample) -> str:
    """What a process is, for the per-kind sums: the runner's, an engine's, a service's
    Python (uvicorn and its workers) or a service's PostgreSQL backend."""
    if share.kind == "service":
        return "service backends" if _BACKEND.match(sample.command) else "service pythons"
    return share.name if share.kind == "engine" else "runner"


@dataclass(frozen=True)
class Projection:
    """The platform's idle cost now and with ``services`` services of the mean measured cost."""

    shares: list[Share]
    services: int
    target: int = TARGET_BYTES

    @property
    def total(self) -> int:
        return sum(share.rss for share in self.shares)

    @property
    def fixed(self) -> int:
        return sum(share.rss for share in self.shares if share.kind != "service")

    @property
    def measured_services(self) -> list[Share]:
        return [share for share in self.shares if share.kind == "service"]

    @property
    def per_service(self) -> float:
        measured = self.measured_services
        return sum(share.rss for share in measured) / len(measured) if measured else 0.0

    @property
    def projected(self) -> float:
        return self.fixed + self.services * self.per_service

    def rows(self) -> list[dict[str, object]]:
        return [share.row() for share in self.shares]

    def kinds(self) -> list[dict[str, object]]:
        """RSS and PSS summed by process kind (``kind_of``), in a fixed order."""
        sums: dict[str, list[int]] = {}
        for share in self.shares:
            for sample in share.processes:
                found = sums.setdefault(kind_of(share, sample), [0, 0, 0])
                found[0] += 1
                found[1] += sample.rss
                found[2] += sample.pss
        order = ["runner", *ENGINES, "service pythons", "service backends"]
        return [
            {
                "kind": kind,
                "processes": sums[kind][0],
                "rss_mib": sums[kind][1] / MIB,
                "pss_mib": sums[kind][2] / MIB,
            }
            for kind in order
            if kind in sums
        ]

    def summary(self) -> dict[str, object]:
        return {
            "scenario": "idle-memory",
            "processes": sum(len(share.processes) for share in self.shares),
            "services": len(self.measured_services),
            "total_rss_mib": self.total / MIB,
            "total_pss_mib": sum(share.pss for share in self.shares) / MIB,
            "fixed_rss_mib": self.fixed / MIB,
            "per_service_rss_mib": self.per_service / MIB,
            f"projected_{self.services}_services_rss_mib": self.projected / MIB,
            "target_rss_mib": self.target / MIB,
            "projected_vs_target": self.projected / self.target,
        }

    def verdict(self) -> str:
        ratio = self.projected / self.target
        word = "under" if ratio < 1 else "OVER"
        return (
            f"idle: {self.total / MIB:,.0f} MiB summed RSS with {len(self.measured_services)} "
            f"services ({self.per_service / MIB:,.0f} MiB each incl. their PostgreSQL backends, "
            f"{self.fixed / MIB:,.0f} MiB fixed); {self.services} services → "
            f"{self.projected / MIB:,.0f} MiB = x{ratio:.2f} of the {self.target / 1e9:.1f} GB "
            f"target ({word})"
        )


def sample_tree(root: int) -> list[Sample]:
    """Every living process from ``root`` down, with RSS and PSS (PSS needs /proc/<pid>/smaps)."""
    samples: list[Sample] = []
    try:
        top = psutil.Process(root)
        processes = [top, *top.children(recursive=True)]
    except psutil.NoSuchProcess:
        return samples
    for process in processes:
        try:
            with process.oneshot():
                memory = process.memory_full_info()
                samples.append(
                    Sample(
                        process.pid,
                        process.ppid(),
                        tuple(process.cmdline()),
                        memory.rss,
                        getattr(memory, "pss", memory.rss),
                    )
                )
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return samples


def measure(
    *,
    settle: float,
    services: int,
    extra_env: dict[str, str],
    progress: Callable[[str], None],
) -> Projection:
    """Start a platform, let it idle, measure its tree, stop it (nothing outlives the run)."""
    workdir = Path(tempfile.mkdtemp(prefix="sfbm-"))
    platform = Platform(data_dir=workdir / "data", extra_env=extra_env)
    try:
        progress(f"starting a platform in {workdir} (log: {platform.log})")
        platform.start()
        platform.wait_ready(timeout=START_TIMEOUT_S)
        progress(f"ready; idling {settle:.0f} s")
        time.sleep(settle)
        keeper = platform.process.pid if platform.process is not None else 0
        projection = Projection(account(keeper, sample_tree(keeper)), services)
        platform.stop()
        return projection
    finally:
        platform.kill_everything()
        shutil.rmtree(workdir, ignore_errors=True)


def env_assignments(pairs: Iterable[str]) -> dict[str, str]:
    """``NAME=value`` options as a mapping (e.g. SHOPFLOOR_WORKERS=2)."""
    found: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise ValueError(f"{pair!r} is not NAME=value")
        found[name] = value
    return found


def this_machine() -> str:
    return f"{os.cpu_count() or 0} CPUs, {psutil.virtual_memory().total / 2**30:.1f} GiB RAM"
