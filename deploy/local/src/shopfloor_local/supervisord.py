"""supervisord's configuration for one platform: a `Program` per process, rendered to a file.

supervisord (the ``supervisor`` package) restarts a process that exits
unexpectedly and leaves the others running: a process that dies after
``startsecs`` is started again at once; one that dies sooner is retried after
1, 2, 3 ... seconds (BACKOFF), ``startretries`` times, then given up (FATAL,
logged). Every program's output goes to supervisord's stdout, which is `up`'s.
Stopping is in reverse priority order: services first, PostgreSQL last.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path

from shopfloor_local.settings import Settings

START_RETRIES = 10
STOP_WAIT_SECONDS = 10


@dataclass(frozen=True)
class Program:
    """One process supervisord runs, and what to do when it exits or must stop."""

    name: str
    command: list[str]
    priority: int
    autorestart: bool = True
    startsecs: int = 2
    stopsignal: str = "TERM"
    stopwaitsecs: int = STOP_WAIT_SECONDS
    stopasgroup: bool = True  # the signal goes to the program's whole process group
    user: str | None = None


def _value(text: str) -> str:
    # supervisord expands %(name)s in values: a literal % is written %%.
    return text.replace("%", "%%")


def _flag(value: bool) -> str:
    return "true" if value else "false"


def supervisor_dir(settings: Settings) -> Path:
    return settings.data_dir / "supervisor"


def render(settings: Settings, programs: list[Program], *, run_as_root: bool) -> str:
    """The whole configuration file: supervisord in the foreground, then one section each."""
    directory = supervisor_dir(settings)
    lines = [
        "; written by `shopfloor-local up` at every start; edits are overwritten",
        "[supervisord]",
        "nodaemon=true",
        f"logfile={_value(str(directory / 'supervisord.log'))}",
        "logfile_maxbytes=5MB",
        "logfile_backups=2",
        "loglevel=info",
        f"pidfile={_value(str(directory / 'supervisord.pid'))}",
        f"childlogdir={_value(str(directory))}",
    ]
    if run_as_root:
        lines.append("user=root")  # said explicitly: supervisord warns otherwise
    for program in programs:
        lines += [
            "",
            f"[program:{program.name}]",
            f"command={_value(shlex.join(program.command))}",
            f"priority={program.priority}",
            "autostart=true",
            f"autorestart={_flag(program.autorestart)}",
            f"startsecs={program.startsecs}",
            f"startretries={START_RETRIES}",
            "exitcodes=0",
            f"stopsignal={program.stopsignal}",
            f"stopwaitsecs={program.stopwaitsecs}",
            f"stopasgroup={_flag(program.stopasgroup)}",
            "killasgroup=true",
            "redirect_stderr=true",
            "stdout_logfile=/dev/stdout",
            "stdout_logfile_maxbytes=0",
        ]
        if program.user is not None:
            lines.append(f"user={program.user}")
    return "\n".join(lines) + "\n"


def write_config(settings: Settings, programs: list[Program], *, run_as_root: bool) -> Path:
    directory = supervisor_dir(settings)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "supervisord.conf"
    path.write_text(render(settings, programs, run_as_root=run_as_root), encoding="utf-8")
    return path
