"""Who may call which inventory route: every route by every kind of caller, against the seeds.

``MATRIX`` is the contract, one row per (method, route) the app serves, with the
status each caller gets. Read it next to the seeds' permission columns:

- 000 "Inventory": ``/api/stock-ledgers`` (read-only), ``/api/stock-entries``
  (drafts, post, cancel), ``/api/serials``, ``/api/price-logs`` (read-only) and
  ``/api/inventory-config`` are ``system_admin`` only.
- 002 "Products & Items" / "Item History" and 004 "Locations" under
  ``/api/inventory``: Staff, that is ``advisor`` and up (consignee stands apart and
  is refused); the item lookup by SKU is public.

Staff other than ``system_admin`` act only on the stores their token's ``stores``
claim lists: the matrix's advisor and branch head (and, so that their 403 is the
role's and not the store's, the customer and consignee) carry the test store A, and
the tests after the matrix prove that staff of store B get 403 on store A's items and
locations and never see store A's rows in their listings.

Anonymous callers of a protected route get 401 with ``WWW-Authenticate: Bearer``,
roles below the requirement 403, and a refused request changes no stored row and
queues no event. Allowed callers send a valid request and get the route's success
status (200 read/update/action, 201 create, 204 delete).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import select

from common.db import Database
from common.roles import Role
from common.testing.permissions import (
    CALLERS,
    Row,
    caller_id,
    infrastructure_rows,
    matrix_gaps,
    nats_connected,
    row_id,
    served_routes,
)
from inventory.models import Base
from tests.conftest import STORE_A, STORE_B, Shop

# fmt: off
MATRIX: list[Row] = [
    *infrastructure_rows("inventory"),  # docs and health: public
    #   method    path                                             anon cust cons  adv head admin
    # 000 stock ledger: read-only, system_admin.
    Row("GET",    "/api/stock-ledgers",                             401, 403, 403, 403, 403, 200),
    Row("GET",    "/api/stock-ledgers/{row_id}",                    401, 403, 403, 403, 403, 200),
    # 000 stock entries: system_admin (drafts, then post / cancel).
    Row("GET",    "/api/stock-entries",                             401, 403, 403, 403, 403, 200),
    Row("POST",   "/api/stock-entries",                             401, 403, 403, 403, 403, 201),
    Row("GET",    "/api/stock-entries/{entry_id}",                  401, 403, 403, 403, 403, 200),
    Row("PUT",    "/api/stock-entries/{entry_id}",                  401, 403, 403, 403, 403, 200),
    Row("PATCH",  "/api/stock-entries/{entry_id}",                  401, 403, 403, 403, 403, 200),
    Row("DELETE", "/api/stock-entries/{entry_id}",                  401, 403, 403, 403, 403, 204),
    Row("POST",   "/api/stock-entries/{entry_id}/post",             401, 403, 403, 403, 403, 200),
    Row("POST",   "/api/stock-entries/{entry_id}/cancel",           401, 403, 403, 403, 403, 200),
    # 000 serials: system_admin.
    Row("GET",    "/api/serials",                                   401, 403, 403, 403, 403, 200),
    Row("POST",   "/api/serials",                                   401, 403, 403, 403, 403, 201),
    Row("GET",    "/api/serials/{serial_id}",                       401, 403, 403, 403, 403, 200),
    Row("PUT",    "/api/serials/{serial_id}",                       401, 403, 403, 403, 403, 200),
    Row("PATCH",  "/api/serials/{serial_id}",                       401, 403, 403, 403, 403, 200),
    Row("DELETE", "/api/serials/{serial_id}",                       401, 403, 403, 403, 403, 204),
    # 000 price logs: read-only, system_admin.
    Row("GET",    "/api/price-logs",                                401, 403, 403, 403, 403, 200),
    Row("GET",    "/api/price-logs/{log_id}",                       401, 403, 403, 403, 403, 200),
    # 000 inventory configuration: system_admin.
    Row("GET",    "/api/inventory-config",                          401, 403, 403, 403, 403, 200),
    Row("PUT",    "/api/inventory-config",                          401, 403, 403, 403, 403, 200),
    # 002 Products & Items: Staff (advisor and up), own stores.
    Row("GET",    "/api/inventory/items",                           401, 403, 403, 200, 200, 200),
    Row("POST",   "/api/inventory/items",                           401, 403, 403, 201, 201, 201),
    Row("GET",    "/api/inventory/items/{item_id}",                 401, 403, 403, 200, 200, 200),
    Row("PUT",    "/api/inventory/items/{item_id}",                 401, 403, 403, 200, 200, 200),
    Row("PATCH",  "/api/inventory/items/{item_id}",                 401, 403, 403, 200, 200, 200),
    Row("DELETE", "/api/inventory/items/{item_id}",                 401, 403, 403, 204, 204, 204),
    Row("POST",   "/api/inventory/items/{item_id}/check-in",        401, 403, 403, 200, 200, 200),
    Row("POST",   "/api/inventory/items/{item_id}/ready",           401, 403, 403, 200, 200, 200),
    # 002 item lookup by SKU: PUBLIC.
    Row("GET",    "/api/inventory/items/lookup/{sku}",              200, 200, 200, 200, 200, 200),
    # 002 Item History: Staff, own stores.
    Row("GET",    "/api/inventory/item-history",                    401, 403, 403, 200, 200, 200),
    # 004 Locations: Staff, own stores.
    Row("GET",    "/api/inventory/locations",                       401, 403, 403, 200, 200, 200),
    Row("POST",   "/api/inventory/locations",                       401, 403, 403, 201, 201, 201),
    Row("GET",    "/api/inventory/locations/{location_id}",         401, 403, 403, 200, 200, 200),
    Row("PUT",    "/api/inventory/locations/{location_id}",         401, 403, 403, 200, 200, 200),
    Row("PATCH",  "/api/inventory/locations/{location_id}",         401, 403, 403, 200, 200, 200),
    Row("DELETE", "/api/inventory/locations/{location_id}",         401, 403, 403, 204, 204, 204),
    # 004 stock on hand: Staff, own stores.
    Row("GET",    "/api/inventory/stock",                           401, 403, 403, 200, 200, 200),
]
# fmt: on

ARTICLE_SKU = "PERM-ART-1"
DENIED = {"detail": "You do not have permission to perform this action."}
OTHER_STORE = {"detail": "You can only act on your own store."}
STAFF = (Role.advisor, Role.branch_head)


@pytest.fixture
def as_role(auth_headers: Callable[..., dict[str, str]]) -> Callable[[Role | None], dict[str, str]]:
    """Bearer headers per caller: everyone but the system admin is assigned store A;
    ``as_role(None)`` → anonymous."""

    def headers(role: Role | None) -> dict[str, str]:
        if role is None:
            return {}
        stores = [] if role == Role.system_admin else [str(STORE_A)]
        return auth_headers(role, user_id=f"user-{role.value}", stores=stores)

    return headers


@dataclass(frozen=True)
class StoreObjects:
    """One store's places and units, each fit for the one route that acts on it."""

    store: uuid.UUID
    floor: str  # the default location; units and stock sit here
    shelf: str  # an empty location nothing refers to: it can be deleted
    item: str  # an intake unit with price and location: update, check in
    ready_item: str  # another such unit: mark ready
    loose_item: str  # an intake unit without a location, never in stock: it can be deleted
    item_sku: str


async def store_objects(shop: Shop, store: uuid.UUID) -> StoreObjects:
    floor = await shop.location("FLOOR", store, is_default=True)
    shelf = await shop.location("SHELF", store)
    item = await shop.item(store_id=str(store), price="99.00", location_id=floor["id"])
    ready = await shop.item(
        store_id=str(store), name="Used iPad", price="199.00", location_id=floor["id"]
    )
    loose = await shop.item(store_id=str(store), name="Unsorted unit")
    return StoreObjects(
        store=store,
        floor=floor["id"],
        shelf=shelf["id"],
        item=item["id"],
        ready_item=ready["id"],
        loose_item=loose["id"],
        item_sku=item["sku"],
    )


@dataclass(frozen=True)
class Arranged:
    """What the rows' placeholders point at (store A's objects, and seed 000's)."""

    a: StoreObjects
    draft_entry: str = ""
    posted_entry: str = ""
    serial: str = ""
    ledger_row: str = ""
    price_log: str = ""


SEED_000_RECORDS = ("/api/stock-ledgers", "/api/stock-entries", "/api/serials", "/api/price-logs")


async def arrange(shop: Shop, row: Row) -> Arranged | None:
    """What ``row`` acts on, and no more (so each case stays quick): nothing for docs, health
    and the configuration; store A's places and units for the /api/inventory routes; and for
    seed 000's records also an article received into store A's floor (a posted entry, so a
    ledger row), a draft entry, a serial registered by hand and the price log of a unit."""
    if not row.path.startswith(("/api/inventory/", *SEED_000_RECORDS)):
        return None
    a = await store_objects(shop, STORE_A)
    if row.path.startswith("/api/inventory/"):
        return Arranged(a=a)
    await shop.article(ARTICLE_SKU)
    posted = await shop.receive(ARTICLE_SKU, {"id": a.floor}, "5", cost="2.00")
    draft = await shop.entry(
        "receipt", {"sku": ARTICLE_SKU, "quantity": "2", "target_location_id": a.floor}, post=False
    )
    serial = await shop.client.post(
        "/api/serials",
        json={"serial_number": "SN-LEAF-1", "sku": ARTICLE_SKU, "location_id": a.floor},
        headers=shop.admin,
    )
    assert serial.status_code == 201, serial.text
    ledger = await shop.client.get(
        "/api/stock-ledgers", params={"voucher_id": posted["id"]}, headers=shop.admin
    )
    assert ledger.status_code == 200 and ledger.json()["count"] == 1, ledger.text
    logs = await shop.client.get(
        "/api/price-logs", params={"subject_id": a.item}, headers=shop.admin
    )
    assert logs.status_code == 200 and logs.json()["count"] == 1, logs.text
    return Arranged(
        a=a,
        draft_entry=draft["id"],
        posted_entry=posted["id"],
        serial=serial.json()["id"],
        ledger_row=str(ledger.json()["results"][0]["id"]),
        price_log=str(logs.json()["results"][0]["id"]),
    )


def target(row: Row, arranged: Arranged) -> str:
    """The id, key or SKU a row's ``{placeholder}`` stands for."""
    a = arranged.a
    if row.path == "/api/inventory/items/{item_id}" and row.method == "DELETE":
        return a.loose_item
    return {
        "/api/stock-ledgers/{row_id}": arranged.ledger_row,
        "/api/stock-entries/{entry_id}": arranged.draft_entry,
        "/api/stock-entries/{entry_id}/post": arranged.draft_entry,
        "/api/stock-entries/{entry_id}/cancel": arranged.posted_entry,
        "/api/serials/{serial_id}": arranged.serial,
        "/api/price-logs/{log_id}": arranged.price_log,
        "/api/inventory/items/{item_id}": a.item,
        "/api/inventory/items/{item_id}/check-in": a.item,
        "/api/inventory/items/{item_id}/ready": a.ready_item,
        "/api/inventory/items/lookup/{sku}": a.item_sku,
        "/api/inventory/locations/{location_id}": a.shelf,
    }[row.path]


def body_for(row: Row, arranged: Arranged) -> Any:
    """A valid body (nothing in it clashes with the arranged rows), or None."""
    floor = arranged.a.floor
    bodies: dict[tuple[str, str], Any] = {
        ("POST", "/api/stock-entries"): {
            "entry_type": "receipt",
            "reference": "Permission matrix",
            "lines": [{"sku": ARTICLE_SKU, "quantity": "1", "target_location_id": floor}],
        },
        ("PUT", "/api/stock-entries/{entry_id}"): {"reference": "Delivery note 2"},
        ("PATCH", "/api/stock-entries/{entry_id}"): {"reference": "Delivery note 2"},
        ("POST", "/api/serials"): {"serial_number": "SN-NEW-1", "sku": ARTICLE_SKU},
        ("PUT", "/api/serials/{serial_id}"): {"notes": "checked"},
        ("PATCH", "/api/serials/{serial_id}"): {"status": "damaged"},
        ("POST", "/api/inventory/items"): {"name": "New unit", "store_id": str(STORE_A)},
        ("PUT", "/api/inventory/items/{item_id}"): {"price": "89.00"},
        ("PATCH", "/api/inventory/items/{item_id}"): {"condition": "fair"},
        ("POST", "/api/inventory/items/{item_id}/check-in"): {"condition": "like_new"},
        ("POST", "/api/inventory/locations"): {
            "store_id": str(STORE_A),
            "code": "NEW-BIN",
            "name": "New bin",
        },
        ("PUT", "/api/inventory/locations/{location_id}"): {"name": "Top shelf"},
        ("PATCH", "/api/inventory/locations/{location_id}"): {"description": "By the till"},
    }
    return bodies.get((row.method, row.path))


@dataclass(frozen=True)
class Case:
    url: str
    json: Any


def case_for(row: Row, arranged: Arranged | None, *, slash: bool) -> Case:
    if arranged is None:  # docs, health and the configuration: no placeholder, fixed bodies
        body = {"default_low_stock_threshold": "3"} if row.method == "PUT" else None
        return Case(row.path + "/" if slash else row.path, body)
    url = row.path
    if "{" in url:
        name = url[url.index("{") + 1 : url.index("}")]
        url = url.replace("{" + name + "}", target(row, arranged))
    return Case(url + "/" if slash else url, body_for(row, arranged))


async def snapshot(database: Database) -> dict[str, list[str]]:
    """Every row of every inventory table, and the ids of queued events (not their sent state)."""
    tables: dict[str, list[str]] = {}
    async with database.session() as session:
        for table in Base.metadata.sorted_tables:
            rows = (await session.execute(select(table))).mappings().all()
            if table.name == "event_outbox":
                tables[table.name] = sorted(str(row["id"]) for row in rows)
            else:
                tables[table.name] = sorted(repr(dict(row)) for row in rows)
    return tables


async def check(
    shop: Shop,
    app: FastAPI,
    as_role: Callable[[Role | None], dict[str, str]],
    row: Row,
    caller: Role | None,
    *,
    slash: bool = False,
) -> None:
    case = case_for(row, await arrange(shop, row), slash=slash)
    await nats_connected(app)
    before = await snapshot(shop.database)
    response = await shop.client.request(
        row.method, case.url, json=case.json, headers=as_role(caller)
    )
    expected = row.expected(caller)
    assert response.status_code == expected, (
        f"{row.method} {case.url} as {caller_id(caller)}: "
        f"{response.status_code} {response.text[:300]}"
    )
    if expected == 401:
        assert response.headers.get("www-authenticate") == "Bearer"
        assert isinstance(response.json()["detail"], str)
    if expected == 403:
        assert response.json() == DENIED
    if expected in (401, 403):
        assert await snapshot(shop.database) == before, "a refused request changed stored rows"
    elif row.method != "GET":
        assert await snapshot(shop.database) != before, "an allowed write changed nothing"


@pytest.mark.parametrize("caller", CALLERS, ids=caller_id)
@pytest.mark.parametrize("row", MATRIX, ids=row_id)
async def test_permission(
    row: Row,
    caller: Role | None,
    shop: Shop,
    app: FastAPI,
    as_role: Callable[[Role | None], dict[str, str]],
) -> None:
    await check(shop, app, as_role, row, caller)


# A sample of rows, sent with a trailing slash: one of each kind of route.
SLASHED = [
    "GET /api/stock-ledgers",
    "POST /api/stock-entries",
    "POST /api/stock-entries/{entry_id}/cancel",
    "DELETE /api/serials/{serial_id}",
    "PUT /api/inventory-config",
    "GET /api/inventory/items",
    "PATCH /api/inventory/items/{item_id}",
    "POST /api/inventory/items/{item_id}/ready",
    "GET /api/inventory/items/lookup/{sku}",
    "POST /api/inventory/locations",
    "DELETE /api/inventory/locations/{location_id}",
    "GET /api/inventory/stock",
]

SLASHED_CASES = [
    (row, caller)
    for row in MATRIX
    if row_id(row) in SLASHED
    for caller in (None, Role.consignee, Role.advisor, Role.system_admin)
]


@pytest.mark.parametrize(
    ("row", "caller"),
    SLASHED_CASES,
    ids=[f"{row_id(row)}/-{caller_id(caller)}" for row, caller in SLASHED_CASES],
)
async def test_permission_with_trailing_slash(
    row: Row,
    caller: Role | None,
    shop: Shop,
    app: FastAPI,
    as_role: Callable[[Role | None], dict[str, str]],
) -> None:
    """``/api/inventory/items/`` and ``/api/inventory/items`` are the same route, same rules."""
    await check(shop, app, as_role, row, caller, slash=True)


def test_slashed_sample_names_matrix_rows() -> None:
    assert set(SLASHED) <= {row_id(row) for row in MATRIX}


def test_every_route_has_exactly_one_permission_row(app: FastAPI) -> None:
    missing, stale, duplicated = matrix_gaps(app, MATRIX)
    assert not duplicated, "a route has two rows in the matrix"
    assert not missing, f"routes without a permission row in MATRIX: {missing}"
    assert not stale, f"rows for routes the app does not serve: {stale}"
    assert len(list(served_routes(app))) >= 42  # the walk really reached the included routers


def test_matrix_follows_the_seed_rules() -> None:
    """The table's shape, stated once more as rules, so a typo in one cell cannot slip
    through: 000 routes system_admin, /api/inventory routes Staff, the lookup public."""
    for row in MATRIX:
        statuses = tuple(row[2:])
        creates = row.method == "POST" and "{" not in row.path
        success = 201 if creates else 204 if row.method == "DELETE" else 200
        if not row.path.startswith("/api/") or row.path.startswith("/api/inventory/items/lookup/"):
            assert statuses == (200,) * 6, row
        elif row.path.startswith("/api/inventory/"):
            assert statuses == (401, 403, 403, success, success, success), row
        else:
            assert statuses == (401, 403, 403, 403, 403, success), row


# -- object level: staff act on the stores their token lists, and only those ----------------


def store_requests(objects: StoreObjects) -> list[tuple[str, str, Any]]:
    """Every store-bound read and write on one store's objects, in an order that succeeds."""
    store = str(objects.store)
    return [
        ("GET", f"/api/inventory/items/{objects.item}", None),
        ("PUT", f"/api/inventory/items/{objects.item}", {"price": "89.00"}),
        ("PATCH", f"/api/inventory/items/{objects.item}", {"condition": "fair"}),
        ("POST", f"/api/inventory/items/{objects.item}/check-in", {"condition": "like_new"}),
        ("POST", f"/api/inventory/items/{objects.ready_item}/ready", None),
        ("DELETE", f"/api/inventory/items/{objects.loose_item}", None),
        ("GET", f"/api/inventory/locations/{objects.shelf}", None),
        ("PUT", f"/api/inventory/locations/{objects.shelf}", {"name": "Top shelf"}),
        ("PATCH", f"/api/inventory/locations/{objects.shelf}", {"description": "By the till"}),
        ("DELETE", f"/api/inventory/locations/{objects.shelf}", None),
        ("POST", "/api/inventory/items", {"name": "New unit", "store_id": store}),
        (
            "POST",
            "/api/inventory/locations",
            {"store_id": store, "code": "NEW-BIN", "name": "New bin"},
        ),
    ]


def success_status(method: str, url: str) -> int:
    if method == "POST" and url in ("/api/inventory/items", "/api/inventory/locations"):
        return 201
    return 204 if method == "DELETE" else 200


@pytest.mark.parametrize("role", STAFF, ids=caller_id)
async def test_staff_of_another_store_are_refused(
    role: Role, shop: Shop, app: FastAPI, auth_headers: Callable[..., dict[str, str]]
) -> None:
    """An advisor or branch head of store B gets 403 on store A's units (read, update,
    check in, ready, delete) and locations (read, update, delete), and cannot create either
    in store A; nothing is stored and no event queued. The same requests on store B's own
    objects succeed, so the refusal is the store's, not the role's."""
    a = await store_objects(shop, STORE_A)
    b = await store_objects(shop, STORE_B)
    await nats_connected(app)
    of_b = auth_headers(role, user_id=f"{role.value}-of-b", stores=[str(STORE_B)])
    for method, url, body in store_requests(a):
        before = await snapshot(shop.database)
        response = await shop.client.request(method, url, json=body, headers=of_b)
        assert response.status_code == 403, f"{method} {url}: {response.text[:300]}"
        assert response.json() == OTHER_STORE, f"{method} {url}"
        assert await snapshot(shop.database) == before, f"{method} {url} changed stored rows"
    for method, url, body in store_requests(b):
        before = await snapshot(shop.database)
        response = await shop.client.request(method, url, json=body, headers=of_b)
        expected = success_status(method, url)
        assert response.status_code == expected, f"{method} {url}: {response.text[:300]}"
        if method != "GET":
            assert await snapshot(shop.database) != before, f"{method} {url} changed nothing"


def in_store(results: list[dict[str, Any]], field: str, ids: set[str]) -> set[str]:
    return {str(result[field]) for result in results} & ids


@pytest.mark.parametrize("role", STAFF, ids=caller_id)
async def test_staff_listings_leave_out_other_stores(
    role: Role, shop: Shop, auth_headers: Callable[..., dict[str, str]]
) -> None:
    """Items, locations, stock and item history listed by staff of store B hold store B's
    rows and none of store A's, even when asked for store A (or one of its units) by name;
    a system admin's listings hold both stores' rows."""
    a = await store_objects(shop, STORE_A)
    b = await store_objects(shop, STORE_B)
    await shop.article(ARTICLE_SKU)
    await shop.receive(ARTICLE_SKU, {"id": a.floor}, "3")
    await shop.receive(ARTICLE_SKU, {"id": b.floor}, "4")
    of_b = auth_headers(role, user_id=f"{role.value}-of-b", stores=[str(STORE_B)])
    items = {
        "a": {a.item, a.ready_item, a.loose_item},
        "b": {b.item, b.ready_item, b.loose_item},
    }
    locations = {"a": {a.floor, a.shelf}, "b": {b.floor, b.shelf}}
    # (path, field naming the row's owner, store A's owners, store B's owners)
    listings = [
        ("/api/inventory/items", "id", items["a"], items["b"]),
        ("/api/inventory/locations", "id", locations["a"], locations["b"]),
        ("/api/inventory/stock", "location_id", {a.floor}, {b.floor}),  # the shelves are empty
        ("/api/inventory/item-history", "item_id", items["a"], items["b"]),
    ]
    for path, field, owned_by_a, owned_by_b in listings:
        params = {"page_size": "100"}
        staff = await shop.client.get(path, params=params, headers=of_b)
        assert staff.status_code == 200, f"{path}: {staff.text[:300]}"
        results = staff.json()["results"]
        assert staff.json()["count"] == len(results), path  # one page holds them all
        assert not in_store(results, field, owned_by_a), f"{path} shows store A's rows"
        assert in_store(results, field, owned_by_b) == owned_by_b, f"{path} hides store B's"
        assert {str(result[field]) for result in results} <= owned_by_b, path
        admin = await shop.client.get(path, params=params, headers=shop.admin)
        assert admin.status_code == 200, admin.text
        seen = {str(result[field]) for result in admin.json()["results"]}
        assert owned_by_a | owned_by_b <= seen, f"{path}: the admin misses rows"
    for path, params in [
        ("/api/inventory/items", {"store": str(STORE_A)}),
        ("/api/inventory/locations", {"store": str(STORE_A)}),
        ("/api/inventory/stock", {"store": str(STORE_A)}),
        ("/api/inventory/stock", {"location": a.floor}),
        ("/api/inventory/items", {"location": a.floor}),
        ("/api/inventory/item-history", {"item": a.item}),
    ]:
        response = await shop.client.get(path, params=params, headers=of_b)
        assert response.status_code == 200, f"{path} {params}: {response.text[:300]}"
        assert response.json()["count"] == 0, f"{path} {params}: {response.json()}"
        assert response.json()["results"] == [], f"{path} {params}"


async def test_staff_without_stores_see_nothing_and_act_on_nothing(
    shop: Shop, auth_headers: Callable[..., dict[str, str]]
) -> None:
    """A branch head whose token lists no store at all is not a system admin in disguise."""
    a = await store_objects(shop, STORE_A)
    nobody = auth_headers(Role.branch_head, user_id="head-of-nothing", stores=[])
    for path in ("/api/inventory/items", "/api/inventory/locations", "/api/inventory/stock"):
        response = await shop.client.get(path, headers=nobody)
        assert response.status_code == 200, response.text
        assert response.json()["count"] == 0, (path, response.json())
    for url in (f"/api/inventory/items/{a.item}", f"/api/inventory/locations/{a.floor}"):
        response = await shop.client.get(url, headers=nobody)
        assert response.status_code == 403, (url, response.text)


async def test_bad_credentials_are_401(shop: Shop, mint_token: Callable[..., str]) -> None:
    """A token that does not verify, or a refresh token where an access token is due, is a
    401 on staff and admin routes (so the client knows to log in again), never a 403."""
    refresh = mint_token(role=Role.system_admin, token_type="refresh")
    for path in ("/api/inventory/items", "/api/inventory/stock", "/api/stock-entries"):
        for token in ("not-a-jwt", refresh):
            response = await shop.client.get(path, headers={"Authorization": f"Bearer {token}"})
            assert response.status_code == 401, (path, token[:10], response.text)
            assert response.headers.get("www-authenticate") == "Bearer"
