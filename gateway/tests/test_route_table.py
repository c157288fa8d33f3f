"""The route table: every prefix of DESIGN.md, owned once, ports unique, the matching rule."""

from __future__ import annotations

import pytest

from gateway.table import (
    DEFAULT_SERVICE_PORT_BASE,
    load_routes,
    local_port,
    parse_routes,
    route_for,
    service_names,
)

# DESIGN.md, "Services and who owns which routes", in table order.
DESIGN_ROUTES = {
    "auth": ["/api/auth/", "/api/token/", "/api/users", "/api/accounts/"],
    "catalog": [
        "/api/stores",
        "/api/spares",
        "/api/departments",
        "/api/categories",
        "/api/subcategories",
        "/api/products",
        "/api/variants",
        "/api/units",
        "/api/qualities",
        "/api/brands/",
        "/api/core/",
    ],
    "bookings": [
        "/api/bookings",
        "/api/issues",
        "/api/otherissues",
        "/api/questions",
        "/api/responses",
        "/api/marketing/",
    ],
    "attendance": ["/api/attendance/", "/api/hr/"],
    "inventory": [
        "/api/stock-ledgers/",
        "/api/stock-entries/",
        "/api/serials/",
        "/api/price-logs/",
        "/api/inventory-config/",
        "/api/inventory/",
        "/api/approvals/",
        "/api/ai/",
    ],
    "pos": ["/api/pos/", "/api/consignment/"],
    "invoicing": ["/api/invoices/", "/api/payments/", "/api/reports/"],
    "audit": ["/api/logs/", "/api/audit/"],
}


def test_the_table_is_the_design_table_in_order() -> None:
    assert service_names() == tuple(DESIGN_ROUTES)
    for route in load_routes():
        assert list(route.prefixes) == DESIGN_ROUTES[route.service]
        assert route.docs_prefix == f"/docs/{route.service}"
        assert route.all_prefixes[-1] == route.docs_prefix


def test_no_two_services_share_a_prefix() -> None:
    seen: dict[str, str] = {}
    for route in load_routes():
        for base in route.bases:
            assert base not in seen, f"{base} owned by {seen.get(base)} and {route.service}"
            seen[base] = route.service


def test_local_ports_follow_the_table_order_and_are_unique() -> None:
    ports = [local_port(name) for name in service_names()]
    assert ports == [DEFAULT_SERVICE_PORT_BASE + i for i in range(1, 9)]
    assert local_port("auth", 9000) == 9001
    assert local_port("audit", 9000) == 9008
    assert len(set(ports)) == len(ports)


def test_an_unknown_service_is_named_in_the_error() -> None:
    with pytest.raises(ValueError, match="unknown service 'nope'"):
        local_port("nope")


@pytest.mark.parametrize(
    ("path", "owner"),
    [
        ("/api/users", "auth"),
        ("/api/users/", "auth"),
        ("/api/users/123", "auth"),
        ("/api/auth", "auth"),
        ("/api/auth/login", "auth"),
        ("/api/inventory/items", "inventory"),
        ("/api/inventory-config/", "inventory"),
        ("/docs/pos", "pos"),
        ("/docs/pos/openapi.json", "pos"),
        ("/api/usersfoo", None),
        ("/api/authx", None),
        ("/docs", None),
        ("/docs/posx", None),
        ("/", None),
    ],
)
def test_a_prefix_matches_itself_and_below_but_not_a_longer_name(
    path: str, owner: str | None
) -> None:
    owners = [route.service for route in load_routes() if route.matches(path)]
    assert owners == ([owner] if owner else [])


def test_a_prefix_claimed_twice_is_refused() -> None:
    text = """
[[service]]
name = "one"
prefixes = ["/api/things/"]
[[service]]
name = "two"
prefixes = ["/api/things"]
"""
    with pytest.raises(ValueError, match="claimed by both 'one' and 'two'"):
        parse_routes(text)


@pytest.mark.parametrize("prefix", ["/api/a/b", "api/x", "/other/x", "/api/X"])
def test_a_malformed_prefix_is_refused(prefix: str) -> None:
    with pytest.raises(ValueError, match="must look like"):
        parse_routes(f'[[service]]\nname = "one"\nprefixes = ["{prefix}"]\n')


def test_route_for_returns_the_entry() -> None:
    assert route_for("pos").index == 6
