"""The write-route check (``tests/write_routes.py``) on a small document: it finds a route
with no row, a row with no event, a stale row, and passes a complete list."""

from __future__ import annotations

from typing import Any

from tests.write_routes import write_route_gaps

DOCUMENT: dict[str, Any] = {
    "paths": {
        "/api/pos/carts": {"get": {}, "post": {}},
        "/api/pos/carts/{cart_id}/complete": {"post": {}},
        "/api/pos/safe/audit": {"post": {}},
        "/api/pos/goals/{goal_id}": {"get": {}, "patch": {}, "delete": {}},
        "/healthz": {"get": {}},
    }
}

COMPLETE = """
## pos
<!-- write routes of pos -->
| method | route | events |
| --- | --- | --- |
| POST | /api/pos/carts | `pos.cart.created` |
| POST | `/api/pos/carts/{id}/complete/` | `pos.sale.completed`, `pos.item.sold` |
| POST | /api/pos/safe/audit | none: a count that does not match is refused, nothing is kept |
| PATCH | /api/pos/goals/{goal_id} | `pos.goal.updated` |
| DELETE | /api/pos/goals/{goal_id} | `pos.goal.deleted` |
<!-- end of write routes of pos -->
"""


def test_a_complete_list_passes() -> None:
    assert write_route_gaps(DOCUMENT, COMPLETE, "pos") == []


def test_every_gap_is_named() -> None:
    broken = (
        COMPLETE.replace("| DELETE | /api/pos/goals/{goal_id} | `pos.goal.deleted` |\n", "")
        .replace("`pos.goal.updated`", "updates the goal")
        .replace("<!-- end", "| PUT | /api/pos/registers/{id} | `pos.register.updated` |\n<!-- end")
    )
    assert write_route_gaps(DOCUMENT, broken, "pos") == [
        "DELETE /api/pos/goals/{}: a write route with no row in docs/events.md (pos)",
        "PATCH /api/pos/goals/{}: names no event (write `none: <why>` if none)",
        "PUT /api/pos/registers/{}: listed in docs/events.md but not served",
    ]


def test_a_service_without_its_table_has_every_write_route_missing() -> None:
    assert len(write_route_gaps(DOCUMENT, "## pos\n", "pos")) == 5
