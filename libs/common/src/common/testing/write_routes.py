"""The check behind "every state change is an event" (issue 13): each write route a service
serves (POST, PUT, PATCH, DELETE under ``/api/``, read from its OpenAPI document) is listed
in ``docs/events.md`` with the event(s) it publishes, each one a subject the service's
contracts really publish — or with ``none:`` and the reason it changes no shared state (a
token check, a dry run, a preview), or with ``gap:`` and what it changes that nothing
announces yet (a known debt, in plain sight in the catalog).

The list is a table between two markers in the service's section of ``docs/events.md``::

    <!-- write routes of pos -->
    | method | route | events |
    | --- | --- | --- |
    | POST | /api/pos/carts/{cart_id}/complete | `pos.sale.completed`, `pos.item.sold` |
    | POST | /api/token/verify | none: checks a token, changes nothing |
    <!-- end of write routes of pos -->

``common.testing.standard.test_every_write_route_publishes_an_event`` runs it for every
service.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

WRITE_METHODS = ("post", "put", "patch", "delete")
REASONS = ("none:", "gap:")
_ROW = re.compile(r"^\|\s*([A-Z]+)\s*\|\s*`?([^|`]+?)`?\s*\|\s*(.*?)\s*\|\s*$")
_SUBJECT = re.compile(r"`([a-z0-9_]+(?:\.[a-z0-9_]+){2,})`")


def _normalise(path: str) -> str:
    """``/api/pos/carts/{id}/`` and ``/api/pos/carts/{cart_id}`` are the same route."""
    return re.sub(r"\{[^}]+\}", "{}", path.rstrip("/") or "/")


def served_write_routes(document: dict[str, Any]) -> set[tuple[str, str]]:
    """(method, route) of every write operation under ``/api/`` in an OpenAPI document."""
    return {
        (method.upper(), _normalise(path))
        for path, item in document.get("paths", {}).items()
        if path.startswith("/api/")
        for method in item
        if method in WRITE_METHODS
    }


def markers(service: str) -> tuple[str, str]:
    return f"<!-- write routes of {service} -->", f"<!-- end of write routes of {service} -->"


def documented_write_routes(events_md: str, service: str) -> dict[tuple[str, str], str]:
    """(method, route) → what its row says it publishes, from the service's marked table."""
    start, end = markers(service)
    if start not in events_md or end not in events_md:
        return {}
    table = events_md.split(start, 1)[1].split(end, 1)[0]
    rows: dict[tuple[str, str], str] = {}
    for line in table.splitlines():
        match = _ROW.match(line.strip())
        if match and match.group(1) != "method" and not set(match.group(1)) <= {"-"}:
            rows[(match.group(1), _normalise(match.group(2).strip()))] = match.group(3)
    return rows


def _row_problem(says: str, published: set[str]) -> str | None:
    for reason in REASONS:
        if says.lower().startswith(reason):
            if not says[len(reason) :].strip():
                return f"`{reason}` without a reason"
            return None
    subjects = _SUBJECT.findall(says)
    if not subjects:
        return "names no event (write `none: <why>` if it changes no shared state)"
    unknown = sorted(set(subjects) - published)
    if unknown:
        return "names " + ", ".join(f"`{s}`" for s in unknown) + " which it does not publish"
    return None


def write_route_gaps(
    document: dict[str, Any], events_md: str, service: str, published: Iterable[str]
) -> list[str]:
    """Every problem, one line each: a write route not listed; a row naming no event and no
    reason, or an event the service's contracts do not publish (a typo, a removed event);
    a row for a route no longer served. Empty when all is in order."""
    subjects = set(published)
    served = served_write_routes(document)
    listed = documented_write_routes(events_md, service)
    start, end = markers(service)
    problems = (
        []
        if start in events_md and end in events_md
        else [f"docs/events.md has no table between `{start}` and `{end}`"]
    )
    problems += [
        f"{method} {path}: a write route with no row in docs/events.md ({service})"
        for method, path in sorted(served - set(listed))
    ]
    for (method, path), says in sorted(listed.items()):
        if (method, path) not in served:
            problems.append(f"{method} {path}: listed in docs/events.md but not served")
        elif (problem := _row_problem(says, subjects)) is not None:
            problems.append(f"{method} {path}: {problem}")
    return problems


def known_gaps(events_md: str, service: str) -> list[str]:
    """The rows marked ``gap:`` (a state change nothing announces yet), as ``METHOD route``."""
    return [
        f"{method} {path}"
        for (method, path), says in sorted(documented_write_routes(events_md, service).items())
        if says.lower().startswith("gap:")
    ]
