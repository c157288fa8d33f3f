"""A reusable check for issue 13's "every state change is an event": each write route a
service serves (POST, PUT, PATCH, DELETE under ``/api/``, read from its OpenAPI document)
must be listed in ``docs/events.md`` with the event(s) it publishes — or with ``none:`` and
the reason it changes no shared state (a token check, a dry run).

The list is a table between two markers in the service's section of ``docs/events.md``::

    <!-- write routes of pos -->
    | method | route | events |
    | --- | --- | --- |
    | POST | /api/pos/carts/{cart_id}/complete | `pos.sale.completed`, `pos.item.sold` |
    | POST | /api/pos/safe/audit | `pos.safe.audited` |
    | POST | /api/pos/receipts/{sale_id}/print | none: renders a receipt, changes nothing |
    <!-- end of write routes of pos -->

A service's test would run (not wired into any service yet: the services are being
rewritten, see the audit report)::

    def test_every_write_route_publishes_an_event(service_under_test):
        document = service_under_test.build_app(service_under_test.offline_settings()).openapi()
        events_md = (service_under_test.repo_root / "docs" / "events.md").read_text()
        assert write_route_gaps(document, events_md, service_under_test.package) == []
"""

from __future__ import annotations

import re
from typing import Any

WRITE_METHODS = ("post", "put", "patch", "delete")
_ROW = re.compile(r"^\|\s*([A-Z]+)\s*\|\s*`?([^|`]+?)`?\s*\|\s*(.*?)\s*\|\s*$")
_EVENT = re.compile(r"`([a-z0-9_]+(?:\.[a-z0-9_*]+){2,})`")


def _normalise(path: str) -> str:
    """``/api/pos/carts/{id}/`` and ``/api/pos/carts/{cart_id}`` are the same route."""
    return re.sub(r"\{[^}]+\}", "{}", path.rstrip("/") or "/")


def served_write_routes(document: dict[str, Any]) -> set[tuple[str, str]]:
    return {
        (method.upper(), _normalise(path))
        for path, item in document.get("paths", {}).items()
        if path.startswith("/api/")
        for method in item
        if method in WRITE_METHODS
    }


def documented_write_routes(events_md: str, service: str) -> dict[tuple[str, str], str]:
    """(method, route) → what its row says it publishes, from the service's marked table."""
    start = f"<!-- write routes of {service} -->"
    end = f"<!-- end of write routes of {service} -->"
    if start not in events_md or end not in events_md:
        return {}
    table = events_md.split(start, 1)[1].split(end, 1)[0]
    rows: dict[tuple[str, str], str] = {}
    for line in table.splitlines():
        match = _ROW.match(line.strip())
        if match and match.group(1) != "method" and not set(match.group(1)) <= {"-"}:
            rows[(match.group(1), _normalise(match.group(2).strip()))] = match.group(3)
    return rows


def write_route_gaps(document: dict[str, Any], events_md: str, service: str) -> list[str]:
    """Every problem, one line each: a write route not listed, listed with neither an event
    nor a ``none:`` reason, or listed but no longer served. Empty when all is in order."""
    served = served_write_routes(document)
    listed = documented_write_routes(events_md, service)
    problems = [
        f"{method} {path}: a write route with no row in docs/events.md ({service})"
        for method, path in sorted(served - set(listed))
    ]
    for (method, path), events in sorted(listed.items()):
        if (method, path) not in served:
            problems.append(f"{method} {path}: listed in docs/events.md but not served")
        elif not _EVENT.search(events) and not events.lower().startswith("none:"):
            problems.append(f"{method} {path}: names no event (write `none: <why>` if none)")
    return problems
