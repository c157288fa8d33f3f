"""Who may call which catalog route: every route by every kind of caller, against seed 000.

``MATRIX`` is the contract, one row per (method, route) the app serves, with the
status each caller gets. Read it next to seed 000's permission columns:

- "Store" and "Spares": list and retrieve are public read; create, update
  (PUT/PATCH) and delete are ``system_admin``.
- "Catalog & Taxonomy": departments, categories, subcategories, products and
  variants are public read; units and qualities are *authenticated* read;
  every write is ``system_admin``.
- The ``/api/brands/`` rows (under "Marketing & Lead Capture"): public read,
  ``system_admin`` writes.
- Seed 002 "Core" (``/api/core/``): ``locations/`` is Staff (``advisor`` and up);
  ``settings/`` and ``files/`` are Manager+ (``branch_head`` and up) for reads and
  writes alike; the three ``system/`` routes need a login (any role).

Anonymous callers of a protected route get 401 with ``WWW-Authenticate: Bearer``,
any role below ``system_admin`` (consignee included) 403, and a refused request
changes no stored row and queues no event. Allowed callers send a valid request
and get the route's success status (200 read/update, 201 create, 204 delete).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from catalog.models import (
    AppSetting,
    Base,
    Brand,
    Category,
    Department,
    Product,
    Quality,
    Spare,
    Store,
    StoredFile,
    Subcategory,
    Unit,
    Variant,
)
from common.db import Database
from common.roles import Role
from common.testing.permissions import (
    CALLERS,
    Row,
    caller_id,
    infrastructure_rows,
    nats_connected,
    row_id,
    served_routes,
)
from common.uploads import DiskStorage, Storage

# fmt: off
MATRIX: list[Row] = [
    *infrastructure_rows("catalog"),  # docs and health: public
    #   method    path                                  anon cust cons  adv head admin
    # 000 Store: public read, system_admin writes (delete is a soft delete).
    Row("GET",    "/api/stores",                         200, 200, 200, 200, 200, 200),
    Row("POST",   "/api/stores",                         401, 403, 403, 403, 403, 201),
    Row("GET",    "/api/stores/{store_id}",              200, 200, 200, 200, 200, 200),
    Row("PUT",    "/api/stores/{store_id}",              401, 403, 403, 403, 403, 200),
    Row("PATCH",  "/api/stores/{store_id}",              401, 403, 403, 403, 403, 200),
    Row("DELETE", "/api/stores/{store_id}",              401, 403, 403, 403, 403, 204),
    # 000 Spares: public read (price hidden, see test_spares), system_admin writes.
    Row("GET",    "/api/spares",                         200, 200, 200, 200, 200, 200),
    Row("POST",   "/api/spares",                         401, 403, 403, 403, 403, 201),
    Row("GET",    "/api/spares/{spare_id}",              200, 200, 200, 200, 200, 200),
    Row("PUT",    "/api/spares/{spare_id}",              401, 403, 403, 403, 403, 200),
    Row("PATCH",  "/api/spares/{spare_id}",              401, 403, 403, 403, 403, 200),
    Row("DELETE", "/api/spares/{spare_id}",              401, 403, 403, 403, 403, 204),
    # 000 Catalog & Taxonomy: departments, public read.
    Row("GET",    "/api/departments",                    200, 200, 200, 200, 200, 200),
    Row("POST",   "/api/departments",                    401, 403, 403, 403, 403, 201),
    Row("GET",    "/api/departments/{key}",              200, 200, 200, 200, 200, 200),
    Row("PUT",    "/api/departments/{key}",              401, 403, 403, 403, 403, 200),
    Row("PATCH",  "/api/departments/{key}",              401, 403, 403, 403, 403, 200),
    Row("DELETE", "/api/departments/{key}",              401, 403, 403, 403, 403, 204),
    # categories, public read.
    Row("GET",    "/api/categories",                     200, 200, 200, 200, 200, 200),
    Row("POST",   "/api/categories",                     401, 403, 403, 403, 403, 201),
    Row("GET",    "/api/categories/{key}",               200, 200, 200, 200, 200, 200),
    Row("PUT",    "/api/categories/{key}",               401, 403, 403, 403, 403, 200),
    Row("PATCH",  "/api/categories/{key}",               401, 403, 403, 403, 403, 200),
    Row("DELETE", "/api/categories/{key}",               401, 403, 403, 403, 403, 204),
    # subcategories, public read.
    Row("GET",    "/api/subcategories",                  200, 200, 200, 200, 200, 200),
    Row("POST",   "/api/subcategories",                  401, 403, 403, 403, 403, 201),
    Row("GET",    "/api/subcategories/{key}",            200, 200, 200, 200, 200, 200),
    Row("PUT",    "/api/subcategories/{key}",            401, 403, 403, 403, 403, 200),
    Row("PATCH",  "/api/subcategories/{key}",            401, 403, 403, 403, 403, 200),
    Row("DELETE", "/api/subcategories/{key}",            401, 403, 403, 403, 403, 204),
    # products, public read.
    Row("GET",    "/api/products",                       200, 200, 200, 200, 200, 200),
    Row("POST",   "/api/products",                       401, 403, 403, 403, 403, 201),
    Row("GET",    "/api/products/{slug}",                200, 200, 200, 200, 200, 200),
    Row("PUT",    "/api/products/{slug}",                401, 403, 403, 403, 403, 200),
    Row("PATCH",  "/api/products/{slug}",                401, 403, 403, 403, 403, 200),
    Row("DELETE", "/api/products/{slug}",                401, 403, 403, 403, 403, 204),
    # variants, public read.
    Row("GET",    "/api/variants",                       200, 200, 200, 200, 200, 200),
    Row("POST",   "/api/variants",                       401, 403, 403, 403, 403, 201),
    Row("GET",    "/api/variants/{slug}",                200, 200, 200, 200, 200, 200),
    Row("PUT",    "/api/variants/{slug}",                401, 403, 403, 403, 403, 200),
    Row("PATCH",  "/api/variants/{slug}",                401, 403, 403, 403, 403, 200),
    Row("DELETE", "/api/variants/{slug}",                401, 403, 403, 403, 403, 204),
    # units: AUTHENTICATED read (any role, consignee included).
    Row("GET",    "/api/units",                          401, 200, 200, 200, 200, 200),
    Row("POST",   "/api/units",                          401, 403, 403, 403, 403, 201),
    Row("GET",    "/api/units/{key}",                    401, 200, 200, 200, 200, 200),
    Row("PUT",    "/api/units/{key}",                    401, 403, 403, 403, 403, 200),
    Row("PATCH",  "/api/units/{key}",                    401, 403, 403, 403, 403, 200),
    Row("DELETE", "/api/units/{key}",                    401, 403, 403, 403, 403, 204),
    # qualities: AUTHENTICATED read (any role, consignee included).
    Row("GET",    "/api/qualities",                      401, 200, 200, 200, 200, 200),
    Row("POST",   "/api/qualities",                      401, 403, 403, 403, 403, 201),
    Row("GET",    "/api/qualities/{key}",                401, 200, 200, 200, 200, 200),
    Row("PUT",    "/api/qualities/{key}",                401, 403, 403, 403, 403, 200),
    Row("PATCH",  "/api/qualities/{key}",                401, 403, 403, 403, 403, 200),
    Row("DELETE", "/api/qualities/{key}",                401, 403, 403, 403, 403, 204),
    # 000 /api/brands/ (Marketing & Lead Capture): public read, system_admin writes; by id.
    Row("GET",    "/api/brands",                         200, 200, 200, 200, 200, 200),
    Row("POST",   "/api/brands",                         401, 403, 403, 403, 403, 201),
    Row("GET",    "/api/brands/{key}",                   200, 200, 200, 200, 200, 200),
    Row("PUT",    "/api/brands/{key}",                   401, 403, 403, 403, 403, 200),
    Row("PATCH",  "/api/brands/{key}",                   401, 403, 403, 403, 403, 200),
    Row("DELETE", "/api/brands/{key}",                   401, 403, 403, 403, 403, 204),
    # 002 Core: locations Staff; settings and files Manager+; system any login.
    Row("GET",    "/api/core/locations",                 401, 403, 403, 200, 200, 200),
    Row("GET",    "/api/core/settings",                  401, 403, 403, 403, 200, 200),
    Row("POST",   "/api/core/settings",                  401, 403, 403, 403, 201, 201),
    Row("GET",    "/api/core/settings/{key}",            401, 403, 403, 403, 200, 200),
    Row("PUT",    "/api/core/settings/{key}",            401, 403, 403, 403, 200, 200),
    Row("PATCH",  "/api/core/settings/{key}",            401, 403, 403, 403, 200, 200),
    Row("DELETE", "/api/core/settings/{key}",            401, 403, 403, 403, 204, 204),
    Row("GET",    "/api/core/files",                     401, 403, 403, 403, 200, 200),
    Row("POST",   "/api/core/files",                     401, 403, 403, 403, 201, 201),
    Row("GET",    "/api/core/files/{file_id}",           401, 403, 403, 403, 200, 200),
    Row("GET",    "/api/core/files/{file_id}/content",   401, 403, 403, 403, 200, 200),
    Row("PUT",    "/api/core/files/{file_id}",           401, 403, 403, 403, 200, 200),
    Row("PATCH",  "/api/core/files/{file_id}",           401, 403, 403, 403, 200, 200),
    Row("DELETE", "/api/core/files/{file_id}",           401, 403, 403, 403, 204, 204),
    Row("GET",    "/api/core/system/version",            401, 200, 200, 200, 200, 200),
    Row("GET",    "/api/core/system/print-server-version", 401, 200, 200, 200, 200, 200),
    Row("GET",    "/api/core/system/print-server-releases", 401, 200, 200, 200, 200, 200),
]
# fmt: on


@dataclass(frozen=True)
class Arranged:
    """What the rows' placeholders point at: leaf rows nothing refers to, so deletes succeed."""

    values: dict[str, str]
    parents: dict[str, str]


PDF = b"%PDF-1.4\n%%EOF\n"
RELEASE = {"version": "2.4.1", "download_url": "", "released_at": None, "notes": ""}


async def arrange(database: Database, storage: Storage) -> Arranged:
    """A department → category → subcategory → product → variant chain, a deletable leaf
    of every resource (the row each ``{placeholder}`` route acts on), the print server
    settings and a stored file with its bytes."""
    async with database.session() as session:
        session.add_all(
            [
                AppSetting(key="leaf.setting", value={"on": True}),
                AppSetting(key="print_server_version", value=RELEASE),
                AppSetting(key="print_server_releases", value=[RELEASE]),
            ]
        )
        stored = StoredFile(
            filename="leaf.pdf",
            content_type="application/pdf",
            size=len(PDF),
            storage_key=f"{uuid.uuid4().hex}.pdf",
            uploaded_by="someone",
        )
        session.add(stored)
        await session.flush()
        await storage.save(stored.storage_key, PDF)
        department = Department(name="Chain Department", slug="chain-department")
        leaf_department = Department(name="Leaf Department", slug="leaf-department")
        session.add_all([department, leaf_department])
        await session.flush()
        category = Category(name="Chain Category", slug="chain-category", department=department)
        leaf_category = Category(name="Leaf Category", slug="leaf-category", department=department)
        session.add_all([category, leaf_category])
        await session.flush()
        subcategory = Subcategory(name="Chain Sub", slug="chain-sub", category=category)
        leaf_subcategory = Subcategory(name="Leaf Sub", slug="leaf-sub", category=category)
        brand = Brand(name="Chain Brand", slug="chain-brand")
        leaf_brand = Brand(name="Leaf Brand", slug="leaf-brand")
        unit = Unit(name="Leaf Unit", slug="leaf-unit", symbol="lu")
        quality = Quality(name="Leaf Quality", slug="leaf-quality", rank=1)
        session.add_all([subcategory, leaf_subcategory, brand, leaf_brand, unit, quality])
        await session.flush()
        placed = {
            "brand_id": brand.id,
            "department_id": department.id,
            "category_id": category.id,
            "subcategory_id": subcategory.id,
        }
        product = Product(
            name="Chain Product", slug="chain-product", base_price=Decimal("10.00"), **placed
        )
        leaf_product = Product(
            name="Leaf Product", slug="leaf-product", base_price=Decimal("20.00"), **placed
        )
        session.add_all([product, leaf_product])
        await session.flush()
        variant = Variant(
            product_id=product.id, name="Leaf Variant", slug="leaf-variant", sku="LV-1"
        )
        spare = Spare(part_number="LEAF-PART", name="Leaf spare", price=Decimal("5.00"))
        store = Store(code="LEAF-01", name="Leaf store")
        session.add_all([variant, spare, store])
        await session.flush()
        values = {
            "/api/stores": str(store.id),
            "/api/spares": str(spare.id),
            "/api/departments": leaf_department.slug,
            "/api/categories": leaf_category.slug,
            "/api/subcategories": leaf_subcategory.slug,
            "/api/products": leaf_product.slug,
            "/api/variants": variant.slug,
            "/api/units": unit.slug,
            "/api/qualities": quality.slug,
            "/api/brands": str(leaf_brand.id),
            "/api/core/settings": "leaf.setting",
            "/api/core/files": str(stored.id),
        }
        parents = {
            "department": department.slug,
            "category": category.slug,
            "subcategory": subcategory.slug,
            "product": product.slug,
            "brand": str(brand.id),
        }
    return Arranged(values, parents)


def create_body(resource: str, parents: dict[str, str]) -> dict[str, Any]:
    """A valid create body for ``resource`` (nothing in it clashes with the arranged rows)."""
    bodies: dict[str, dict[str, Any]] = {
        "/api/stores": {"code": "NEW-01", "name": "New store", "time_zone": "Europe/Paris"},
        "/api/spares": {
            "part_number": "NEW-PART",
            "name": "New spare",
            "price": "3.50",
            "compatible_products": [parents["product"]],
        },
        "/api/departments": {"name": "New Department"},
        "/api/categories": {"name": "New Category", "department": parents["department"]},
        "/api/subcategories": {"name": "New Sub", "category": parents["category"]},
        "/api/products": {
            "name": "New Product",
            "base_price": "9.99",
            "subcategory": parents["subcategory"],
            "brand": int(parents["brand"]),
        },
        "/api/variants": {"product": parents["product"], "name": "New Variant", "sku": "NV-1"},
        "/api/units": {"name": "New Unit", "symbol": "nu"},
        "/api/qualities": {"name": "New Quality", "rank": 2},
        "/api/brands": {"name": "New Brand"},
        "/api/core/settings": {"key": "new.setting", "value": 1},
    }
    return bodies[resource]


UPDATE_BODIES: dict[str, dict[str, Any]] = {
    "/api/stores": {"phone": "+33 1 23 45 67 89"},
    "/api/spares": {"stock_hint": 7},
    "/api/departments": {"description": "changed"},
    "/api/categories": {"description": "changed"},
    "/api/subcategories": {"description": "changed"},
    "/api/products": {"description": "changed"},
    "/api/variants": {"name": "Renamed variant"},
    "/api/units": {"symbol": "u2"},
    "/api/qualities": {"rank": 5},
    "/api/brands": {"description": "changed"},
    "/api/core/settings": {"value": {"on": False}},
    "/api/core/files": {"description": "changed"},
}


@dataclass(frozen=True)
class Case:
    url: str
    json: Any
    files: dict[str, tuple[str, bytes, str]] | None = None


def resource_of(path: str) -> str:
    """``/api/stores/{id}`` → ``/api/stores``; ``/api/core/files/{id}`` → ``/api/core/files``."""
    depth = 4 if path.startswith("/api/core/") else 3
    return "/" + "/".join(path.split("/")[1:depth])


def case_for(row: Row, arranged: Arranged, *, slash: bool) -> Case:
    resource = resource_of(row.path)
    url = row.path
    if "{" in url:
        name = url[url.index("{") + 1 : url.index("}")]
        url = url.replace("{" + name + "}", arranged.values[resource])
    body: Any = None
    if row.method == "POST" and resource == "/api/core/files":
        return Case(url, None, files={"file": ("new.pdf", PDF, "application/pdf")})
    if row.method == "POST":
        body = create_body(resource, arranged.parents)
    elif row.method in ("PUT", "PATCH"):
        body = UPDATE_BODIES[resource]
    return Case(url + "/" if slash else url, body)


def get_file_storage(app: FastAPI) -> Storage:
    """The app's file store: the one its routes use (created here first, in ATTACHMENTS_DIR)."""
    storage: Storage | None = getattr(app.state, "file_storage", None)
    if storage is None:
        storage = DiskStorage(Path(app.state.settings.attachments_dir))
        app.state.file_storage = storage
    return storage


async def snapshot(database: Database) -> dict[str, list[str]]:
    """Every row of every catalog table, and the ids of queued events (not their sent state)."""
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
    client: httpx.AsyncClient,
    app: FastAPI,
    database: Database,
    as_role: Callable[[Role | None], dict[str, str]],
    row: Row,
    caller: Role | None,
    *,
    slash: bool = False,
) -> None:
    case = case_for(row, await arrange(database, get_file_storage(app)), slash=slash)
    await nats_connected(app)
    before = await snapshot(database)
    response = await client.request(
        row.method, case.url, json=case.json, files=case.files, headers=as_role(caller)
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
        assert response.json() == {"detail": "You do not have permission to perform this action."}
    if expected in (401, 403):
        assert await snapshot(database) == before, "a refused request changed stored rows"
    elif row.method != "GET":
        assert await snapshot(database) != before, "an allowed write changed nothing"


@pytest.mark.parametrize("caller", CALLERS, ids=caller_id)
@pytest.mark.parametrize("row", MATRIX, ids=row_id)
async def test_permission(
    row: Row,
    caller: Role | None,
    client: httpx.AsyncClient,
    app: FastAPI,
    database: Database,
    as_role: Callable[[Role | None], dict[str, str]],
) -> None:
    await check(client, app, database, as_role, row, caller)


# 000 writes every path without a trailing slash, its /api/brands/ rows with one: every
# brand row, and one read, one write and one detail route of every other resource.
SLASHED = [
    *(row_id(row) for row in MATRIX if row.path.startswith("/api/brands")),
    "GET /api/stores",
    "PATCH /api/stores/{store_id}",
    "GET /api/spares/{spare_id}",
    "DELETE /api/spares/{spare_id}",
    "POST /api/departments",
    "GET /api/departments/{key}",
    "GET /api/categories",
    "PUT /api/categories/{key}",
    "DELETE /api/subcategories/{key}",
    "GET /api/products",
    "PATCH /api/products/{slug}",
    "POST /api/variants",
    "GET /api/variants/{slug}",
    "GET /api/units",
    "DELETE /api/units/{key}",
    "GET /api/qualities/{key}",
    "POST /api/qualities",
    "GET /api/core/locations",
    "POST /api/core/settings",
    "GET /api/core/settings/{key}",
    "DELETE /api/core/files/{file_id}",
    "GET /api/core/system/version",
]


# Brand rows with every caller; the other samples with one caller of each outcome.
SLASHED_CASES = [
    (row, caller)
    for row in MATRIX
    if row_id(row) in SLASHED
    for caller in (
        CALLERS
        if row.path.startswith("/api/brands")
        else (None, Role.consignee, Role.branch_head, Role.system_admin)
    )
]


@pytest.mark.parametrize(
    ("row", "caller"),
    SLASHED_CASES,
    ids=[f"{row_id(row)}/-{caller_id(caller)}" for row, caller in SLASHED_CASES],
)
async def test_permission_with_trailing_slash(
    row: Row,
    caller: Role | None,
    client: httpx.AsyncClient,
    app: FastAPI,
    database: Database,
    as_role: Callable[[Role | None], dict[str, str]],
) -> None:
    """``/api/brands/`` and ``/api/brands`` are the same route, with the same permissions."""
    await check(client, app, database, as_role, row, caller, slash=True)


def test_slashed_sample_names_matrix_rows() -> None:
    assert set(SLASHED) <= {row_id(row) for row in MATRIX}


def test_every_route_has_exactly_one_permission_row(app: FastAPI) -> None:
    served = list(served_routes(app))
    rows = [(row.method, row.path) for row in MATRIX]
    assert len(rows) == len(set(rows)), "a route has two rows in the matrix"
    missing = sorted(set(served) - set(rows))
    assert not missing, f"routes without a permission row in MATRIX: {missing}"
    stale = sorted(set(rows) - set(served))
    assert not stale, f"rows for routes the app does not serve: {stale}"
    assert len(served) >= 65  # the walk really reached the included routers


def test_matrix_follows_the_seed_rules() -> None:
    """The table's shape, stated once more as rules: reads public (units/qualities: logged in),
    writes system_admin only, so a typo in one cell cannot slip through unnoticed."""
    authenticated_read = ("/api/units", "/api/qualities", "/api/core/system/")
    for row in MATRIX:
        statuses = row[2:]
        success = {"POST": 201, "DELETE": 204}.get(row.method, 200)
        if row.path.startswith(("/api/core/settings", "/api/core/files")):
            assert statuses == (401, 403, 403, 403, success, success), row
        elif row.path.startswith("/api/core/locations"):
            assert statuses == (401, 403, 403, 200, 200, 200), row
        elif not row.path.startswith("/api/"):
            assert statuses == (200,) * 6, row
        elif row.method == "GET" and row.path.startswith(authenticated_read):
            assert statuses == (401, 200, 200, 200, 200, 200), row
        elif row.method == "GET":
            assert statuses == (200,) * 6, row
        else:
            assert statuses == (401, 403, 403, 403, 403, success), row


async def test_bad_credentials_are_401_where_the_caller_matters(
    client: httpx.AsyncClient, mint_token: Callable[..., str]
) -> None:
    """Units need a login and spares show the price by role: there a token that does not
    verify, or a refresh token in place of an access token, is a 401 (so the client knows to
    log in again) rather than being read as anonymous."""
    refresh = mint_token(role=Role.system_admin, token_type="refresh")
    for path in ("/api/units", "/api/qualities", "/api/spares"):
        for token in ("not-a-jwt", refresh):
            response = await client.get(path, headers={"Authorization": f"Bearer {token}"})
            assert response.status_code == 401, (path, token[:10], response.text)
            assert response.headers.get("www-authenticate") == "Bearer"
