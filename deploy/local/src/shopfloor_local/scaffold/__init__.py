"""`shopfloor-new-service NAME --prefix /api/x/`: a complete, passing service in the one shape.

It renders ``template/`` (a working service whose example domain is store notes, with its
tests, permission matrix, event contracts and handlers) into ``services/NAME``, generates
its first migration from the models against a scratch PostgreSQL, and adds the service to
the workspace (root ``pyproject.toml``, ``uv.lock``), the route table, the rendered deploy
files and the docs (README's service table, ``docs/events.md``, ``docs/asyncapi.yaml``).
"""

from __future__ import annotations

import keyword
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

TEMPLATE = Path(__file__).parent / "template"
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9]{1,30}$")
PREFIX_PATTERN = re.compile(r"^/api/[a-z0-9][a-z0-9/-]*/$")


class ScaffoldError(Exception):
    """The request cannot be scaffolded; the message says why and what to do."""


@dataclass(frozen=True)
class NewService:
    name: str
    prefix: str
    description: str

    @property
    def camel(self) -> str:
        return self.name.capitalize()

    def validate(self, root: Path) -> None:
        if not NAME_PATTERN.match(self.name) or keyword.iskeyword(self.name):
            raise ScaffoldError(
                f"service name {self.name!r}: lower-case letters and digits, starting with a letter"
            )
        if not PREFIX_PATTERN.match(self.prefix):
            raise ScaffoldError(
                f"prefix {self.prefix!r}: like /api/invoices/ (leading /api/, trailing /)"
            )
        if (root / "services" / self.name).exists():
            raise ScaffoldError(f"services/{self.name} exists already")

    def render(self, text: str) -> str:
        return (
            text.replace("__Service__", self.camel)
            .replace("__service__", self.name)
            .replace("__prefix__", self.prefix)
            .replace("__description__", self.description)
        )


def render_tree(service: NewService, root: Path) -> list[Path]:
    """Copy the template into ``root`` with every name and token replaced."""
    written: list[Path] = []
    for source in sorted(TEMPLATE.rglob("*.tmpl")):
        relative = service.render(str(source.relative_to(TEMPLATE)))[: -len(".tmpl")]
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(service.render(source.read_text(encoding="utf-8")), encoding="utf-8")
        written.append(target)
    (root / "services" / service.name / "migrations" / "versions").mkdir(
        parents=True, exist_ok=True
    )
    return written


def add_to_workspace(service: NewService, root: Path) -> None:
    """``[tool.uv.sources]`` and ruff's first-party list of the root pyproject.toml."""
    path = root / "pyproject.toml"
    text = path.read_text(encoding="utf-8")
    source = f"shopfloor-{service.name} = {{ workspace = true }}"
    if source not in text:
        text = text.replace("[tool.uv.sources]\n", f"[tool.uv.sources]\n{source}\n", 1)
    first_party = re.search(r"known-first-party = \[(.*?)\]", text)
    if first_party and f'"{service.name}"' not in first_party.group(1):
        names = first_party.group(1).rstrip() + f', "{service.name}"'
        text = text[: first_party.start(1)] + names + text[first_party.end(1) :]
    path.write_text(text, encoding="utf-8")


def add_route(service: NewService, root: Path) -> None:
    """The service's entry in the route table (kept as is when the table already has it)."""
    path = root / "gateway" / "src" / "gateway" / "routes.toml"
    text = path.read_text(encoding="utf-8")
    if re.search(rf'^name = "{service.name}"$', text, flags=re.MULTILINE):
        if f'"{service.prefix}"' not in text and f'"{service.prefix.rstrip("/")}"' not in text:
            raise ScaffoldError(
                f"the route table has {service.name} without {service.prefix}: edit routes.toml"
            )
        return
    text = text.rstrip("\n") + (
        f'\n\n[[service]]\nname = "{service.name}"\nprefixes = ["{service.prefix}"]\n'
    )
    path.write_text(text, encoding="utf-8")


def _python_path(root: Path) -> str:
    """The sources of ``root`` ahead of what the environment has installed (the scaffold may
    run on a checkout other than the installed one, and a new service is not installed yet)."""
    paths = [str(path) for path in sorted((root / "services").glob("*/src"))]
    paths += [str(root / "gateway" / "src"), str(root / "deploy" / "local" / "src")]
    return os.pathsep.join([*paths, os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)


def _python(root: Path, *args: str) -> None:
    done = subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        cwd=root,
        env={**os.environ, "PYTHONPATH": _python_path(root)},
        timeout=300,
    )
    if done.returncode != 0:
        raise ScaffoldError(f"{' '.join(args[:3])} failed:\n{done.stdout}\n{done.stderr}")


def generate_first_migration(service: NewService, root: Path) -> Path:
    """``alembic revision --autogenerate`` against a scratch PostgreSQL: 0001 = the models."""
    from common.testing.engines import PostgresServer, free_port

    migrations = root / "services" / service.name / "migrations"
    with tempfile.TemporaryDirectory(prefix="shopfloor-scaffold-") as scratch:
        server = PostgresServer(Path(scratch) / "pg", free_port())
        server.start()
        try:
            script = (
                "import sys\n"
                "from alembic import command\n"
                "from common.migrations import alembic_config\n"
                "command.revision(alembic_config(__import__('pathlib').Path(sys.argv[1]), sys.argv[2]),"
                " message=f'initial {sys.argv[3]} schema', autogenerate=True, rev_id='0001')\n"
            )
            _python(root, "-c", script, str(migrations), server.url(), service.name)
        finally:
            server.stop()
    created = sorted((migrations / "versions").glob("0001_*.py"))
    if not created:
        raise ScaffoldError("alembic wrote no migration")
    return created[0]


def tidy(directory: Path) -> None:
    """Imports sorted and code formatted by the repository's own ruff settings (the order
    of imports depends on the service's name)."""
    for args in (["check", "--fix", "--quiet", "--exit-zero"], ["format", "--quiet"]):
        subprocess.run([sys.executable, "-m", "ruff", *args, str(directory)], check=False)


def add_to_docs(service: NewService, root: Path) -> None:
    """README's service table, a section in docs/events.md (its tables come from `docs`)."""
    readme = root / "README.md"
    text = readme.read_text(encoding="utf-8")
    row = f"| {service.name} | `{service.prefix}` | scaffolded: store notes (example domain) |"
    lines = text.splitlines()
    header = next(
        (index for index, line in enumerate(lines) if line.startswith("| service | path prefixes")),
        None,
    )
    if header is None:
        raise ScaffoldError("README.md has no service table ('| service | path prefixes | ...')")
    end = header
    while end + 1 < len(lines) and lines[end + 1].startswith("|"):
        end += 1
    rows = range(header + 2, end + 1)
    existing = [index for index in rows if lines[index].startswith(f"| {service.name} |")]
    if existing:
        lines[existing[0]] = row
    else:
        lines.insert(end + 1, row)
    readme.write_text("\n".join(lines) + "\n", encoding="utf-8")
    events = root / "docs" / "events.md"
    text = events.read_text(encoding="utf-8")
    if f"\n## {service.name}\n" not in text:
        text = text.rstrip("\n") + (
            f"\n\n## {service.name}\n\n{service.description}\n\n{write_routes_table(service)}\n"
        )
        events.write_text(text, encoding="utf-8")


def write_routes_table(service: NewService) -> str:
    """The example domain's write routes and their events, the table the standard test
    ``test_every_write_route_publishes_an_event`` reads (keep it true as the domain grows)."""
    notes = f"{service.prefix}notes"
    rows = [
        ("POST", notes, "note.created"),
        ("PUT", f"{notes}/{{note_id}}", "note.updated"),
        ("PATCH", f"{notes}/{{note_id}}", "note.updated"),
        ("DELETE", f"{notes}/{{note_id}}", "note.deleted"),
    ]
    lines = [
        f"<!-- write routes of {service.name} -->",
        "| method | route | events |",
        "| --- | --- | --- |",
        *(f"| {method} | {route} | `{service.name}.{event}` |" for method, route, event in rows),
        f"<!-- end of write routes of {service.name} -->",
    ]
    return "\n".join(lines) + "\n"


def sync_workspace(root: Path) -> None:
    uv = subprocess.run(
        ["sh", str(root / "deploy" / "local" / "ensure-uv.sh")],
        check=True,
        capture_output=True,
        text=True,
        cwd=root,
    ).stdout.strip()
    subprocess.run([uv, "lock"], check=True, cwd=root)
    subprocess.run([uv, "sync", "--all-packages", "--all-extras", "--frozen"], check=True, cwd=root)


def scaffold(service: NewService, root: Path, *, sync: bool = True) -> list[Path]:
    """Everything, in order; returns the files of the new service."""
    service.validate(root)
    written = render_tree(service, root)
    add_to_workspace(service, root)
    add_route(service, root)
    if sync:
        sync_workspace(root)
    written.append(generate_first_migration(service, root))
    tidy(root / "services" / service.name)
    _python(
        root, "-c", "from gateway.cli import app; app()", "render", "deploy", "--root", str(root)
    )
    add_to_docs(service, root)
    _python(root, "-c", "from shopfloor_local.cli import app; app()", "docs", "--root", str(root))
    return written
