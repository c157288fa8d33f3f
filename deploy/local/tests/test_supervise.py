"""`up` under supervisord: a killed service comes back by itself while the others keep
answering, SHOPFLOOR_WORKERS_<NAME> gives a service its workers, Ctrl-C still leaves nothing.

Two real services run (catalog and inventory, from a checkout that has only their
folders), so the test is about the real `service` → `serve` path, not a stand-in. The
killed one runs two uvicorn workers: they outlive their SIGKILLed master and hold its
port, and the restarted service must end them before it serves.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from pathlib import Path

import httpx
import psutil

from gateway.table import route_for
from shopfloor_local.platform import Platform, http_ok, wait_until

KILLED, KEPT = "inventory", "catalog"
BACK_TIMEOUT = 240.0  # prestart and two workers importing the app, on a loaded 2-CPU box


def checkout_with(root: Path, *names: str) -> Path:
    for name in names:
        (root / "services" / name).mkdir(parents=True)
        (root / "services" / name / "pyproject.toml").write_text(
            f'[project]\nname = "shopfloor-{name}"\n'
        )
    return root


def serving(platform: Platform, name: str) -> psutil.Process | None:
    """The service's uvicorn process (the master when it has workers)."""
    assert platform.process is not None
    for child in psutil.Process(platform.process.pid).children(recursive=True):
        try:
            cmdline = child.cmdline()
        except psutil.NoSuchProcess:
            continue
        if any(part.endswith(f"shopfloor-{name}") for part in cmdline[:2]) and "serve" in cmdline:
            return child
    return None


def workers(master: psutil.Process) -> list[psutil.Process]:
    """uvicorn's worker processes under its master (not multiprocessing's resource tracker)."""
    return [child for child in master.children() if "spawn_main" in " ".join(child.cmdline())]


def alive(process: psutil.Process) -> bool:
    try:
        return process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def direct(platform: Platform, name: str) -> str:
    return f"http://127.0.0.1:{platform.service_port_base + route_for(name).index}"


def test_a_killed_service_is_restarted_and_the_others_keep_answering(
    make_platform: Callable[..., Platform], workdir: Path
) -> None:
    platform = make_platform(
        SHOPFLOOR_ROOT=str(checkout_with(workdir / "repo", KILLED, KEPT)),
        SHOPFLOOR_WORKERS_INVENTORY="2",
    )
    platform.start()
    platform.wait_ready()
    victim, kept = serving(platform, KILLED), serving(platform, KEPT)
    assert victim is not None and kept is not None, platform.output()[-3000:]
    assert victim.cmdline()[-2:] == ["--workers", "2"]
    orphans = workers(victim)
    assert len(orphans) == 2, "SHOPFLOOR_WORKERS_INVENTORY=2: two uvicorn worker processes"
    assert kept.cmdline()[-2:] == ["--workers", "1"] and workers(kept) == []

    os.kill(victim.pid, signal.SIGKILL)
    answered: list[bool] = []

    def back() -> bool:
        platform.remember_children()
        answered.append(http_ok(f"{direct(platform, KEPT)}/healthz"))
        successor = serving(platform, KILLED)
        return (
            successor is not None
            and successor.pid != victim.pid
            and http_ok(f"{direct(platform, KILLED)}/healthz")
        )

    try:
        wait_until(back, BACK_TIMEOUT, f"{KILLED} back after SIGKILL")
    except AssertionError as exc:
        lines = [line for line in platform.output().splitlines() if "uvicorn.access" not in line]
        raise AssertionError("\n".join([str(exc), *lines[-60:]])) from None
    assert answered and all(answered), f"{KEPT} stopped answering while {KILLED} was down"
    still = serving(platform, KEPT)
    assert still is not None and still.pid == kept.pid, f"{KEPT} was restarted too"
    assert http_ok(f"{platform.gateway_url}/healthz")
    assert f"exited: {KILLED} (terminated by SIGKILL; not expected)" in platform.output()
    assert not any(alive(orphan) for orphan in orphans), platform.output()[-3000:]
    port = platform.service_port_base + route_for(KILLED).index
    assert f"left on port {port} by a killed {KILLED}" in platform.output()
    successor = serving(platform, KILLED)
    assert successor is not None and len(workers(successor)) == 2
    stores = httpx.get(f"{platform.gateway_url}/api/stores", trust_env=False, timeout=10)
    assert stores.status_code == 200, stores.text  # the kept catalog, through Caddy

    assert platform.stop(signal.SIGINT) == 130, platform.output()[-3000:]
    assert platform.leftovers() == []
