"""The write-route check (``common.testing.write_routes``) on a small document: it finds a
route with no row, a row with no event, an event the service does not publish, a stale row,
a missing table, and passes a complete list."""

from __future__ import annotations

from typing import Any

from common.testing.write_routes import known_gaps, write_route_gaps

DOCUMENT: dict[str, Any] = {
    "paths": {
        "/api/pos/carts": {"get": {}, "post": {}},
        "/api/pos/carts/{cart_id}/complete": {"post": {}},
        "/api/pos/supplemental/audit": {"post": {}},
        "/api/pos/revenue-goals/{goal_id}": {"get": {}, "patch": {}, "delete": {}},
        "/healthz": {"get": {}},
        "/docs/pos/openapi.json": {"get": {}},
    }
}
PUBLISHED = ["pos.sale.completed", "pos.item.sold", "pos.goal.updated", "pos.goal.deleted"]

COMPLETE = """
## pos
<!-- write routes of pos -->
| method | route | events |
| --- | --- | --- |
| POST | /api/pos/carts | none: a cart is the cashier's scratch pad until it completes |
| POST | `/api/pos/carts/{id}/complete/` | `pos.sale.completed`, `pos.item.sold` (one a line) |
| POST | /api/pos/supplemental/audit | gap: records a count of the safe, not announced yet |
| PATCH | /api/pos/revenue-goals/{goal_id} | `pos.goal.updated` |
| DELETE | /api/pos/revenue-goals/{goal_id} | `pos.goal.deleted` |
<!-- end of write routes of pos -->
"""


def test_a_complete_list_passes() -> None:
    assert write_route_gaps(DOCUMENT, COMPLETE, "pos", PUBLISHED) == []


def test_every_gap_is_named() -> None:
    broken = (
        COMPLETE.replace("| DELETE | /api/pos/revenue-goals/{goal_id} | `pos.goal.deleted` |\n", "")
        .replace("`pos.goal.updated`", "updates the goal")
        .replace("`pos.item.sold`", "`pos.items.sold`")
        .replace("none: a cart is the cashier's scratch pad until it completes", "none:  ")
        .replace("<!-- end", "| PUT | /api/pos/registers/{id} | `pos.sale.completed` |\n<!-- end")
    )
    assert write_route_gaps(DOCUMENT, broken, "pos", PUBLISHED) == [
        "DELETE /api/pos/revenue-goals/{}: a write route with no row in docs/events.md (pos)",
        "PATCH /api/pos/revenue-goals/{}: names no event"
        " (write `none: <why>` if it changes no shared state)",
        "POST /api/pos/carts: `none:` without a reason",
        "POST /api/pos/carts/{}/complete: names `pos.items.sold` which it does not publish",
        "PUT /api/pos/registers/{}: listed in docs/events.md but not served",
    ]


def test_another_services_table_is_not_read() -> None:
    other = COMPLETE.replace("of pos -->", "of catalog -->")
    gaps = write_route_gaps(DOCUMENT, other, "pos", PUBLISHED)
    assert gaps[0] == (
        "docs/events.md has no table between `<!-- write routes of pos -->`"
        " and `<!-- end of write routes of pos -->`"
    )
    assert len(gaps) == 1 + 5


def test_a_service_without_write_routes_needs_only_its_empty_table() -> None:
    reads_only: dict[str, Any] = {"paths": {"/api/logs": {"get": {}}}}
    table = "<!-- write routes of audit -->\n| method | route | events |\n| --- | --- | --- |\n"
    table += "<!-- end of write routes of audit -->\n"
    assert write_route_gaps(reads_only, table, "audit", []) == []
    assert len(write_route_gaps(reads_only, "", "audit", [])) == 1


def test_known_gaps_are_listed() -> None:
    assert known_gaps(COMPLETE, "pos") == ["POST /api/pos/supplemental/audit"]
