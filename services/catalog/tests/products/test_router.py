"""Products and variants: CRUD, slugs, filters, search, ordering, pagination, events.

What a shopper relies on: ``/api/products`` finds a product by brand (id or slug),
department, category, subcategory, price range, status and a search that ignores case and
accents over name, description and SKUs; every ordering of the API guide works and an
unknown one is a 400; pages link to each other. What an admin relies on: slugs that are
readable, unique and never change; taxonomy that stays consistent (422 naming the field);
a product with variants is not deleted under them (409). What other services rely on: the
events, with ids, slugs, names and prices as strings.
"""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from common.db import Database
from common.testing.helpers import read_events
from tests.helpers import create, error_fields, names, outbox_subjects

# name, description, brand, placement, price, status (in creation order)
PRODUCTS: list[tuple[str, str, str | None, dict[str, str], str, str]] = [
    (
        "Café Racer Phone",
        "Refurbished handset",
        "apple",
        {"subcategory": "refurbished-iphones"},
        "399.00",
        "active",
    ),
    (
        "Pixel Budget",
        "Android phone, très bon état",
        None,
        {"category": "smartphones"},
        "199.50",
        "draft",
    ),
    (
        "Gaming Laptop X",
        "RTX graphics",
        "dell",
        {"subcategory": "gaming-laptops"},
        "1499.00",
        "active",
    ),
    ("Office Laptop", "Light and quiet", "dell", {"category": "laptops"}, "899.00", "archived"),
    ("USB Cable", "Naïve cable, 1 m", None, {}, "9.99", "active"),
]
CAFE, PIXEL, GAMING, OFFICE, USB = (
    "cafe-racer-phone",
    "pixel-budget",
    "gaming-laptop-x",
    "office-laptop",
    "usb-cable",
)
CREATED_ORDER = [CAFE, PIXEL, GAMING, OFFICE, USB]


@pytest.fixture
async def catalogue(
    client: httpx.AsyncClient, admin: dict[str, str], taxonomy: dict[str, str]
) -> dict[str, Any]:
    """Two departments, two brands, five products (see PRODUCTS) and two variants with SKUs."""
    await create(client, admin, "/api/departments", {"name": "Computers"})
    await create(client, admin, "/api/categories", {"name": "Laptops", "department": "computers"})
    await create(
        client, admin, "/api/subcategories", {"name": "Gaming Laptops", "category": "laptops"}
    )
    dell = await create(client, admin, "/api/brands", {"name": "Dell"})
    brand_ids = {"apple": int(taxonomy["brand"]), "dell": dell["id"]}
    for name, description, brand, placement, price, status in PRODUCTS:
        await create(
            client,
            admin,
            "/api/products",
            {
                "name": name,
                "description": description,
                "brand": brand_ids[brand] if brand else None,
                "base_price": price,
                "status": status,
                **placement,
            },
        )
    await create(
        client, admin, "/api/variants", {"product": CAFE, "name": "128GB", "sku": "crp-128-mid"}
    )
    await create(
        client, admin, "/api/variants", {"product": GAMING, "name": "32GB", "sku": "GLX-32GB"}
    )
    return {"brands": brand_ids, **taxonomy}


async def listed(client: httpx.AsyncClient, **params: Any) -> list[str]:
    response = await client.get("/api/products", params={"page_size": 100, **params})
    assert response.status_code == 200, f"{params}: {response.text}"
    return names(response.json())


# ---------------------------------------------------------------- CRUD and slugs


async def test_product_crud_round_trip(
    client: httpx.AsyncClient, admin: dict[str, str], taxonomy: dict[str, str], database: Database
) -> None:
    created = await create(
        client,
        admin,
        "/api/products",
        {
            "name": "iPhone 13 (refurbished)",
            "description": "Grade A",
            "brand": int(taxonomy["brand"]),
            "subcategory": taxonomy["subcategory"],
            "base_price": "399",
            "currency": "EUR",
            "status": "draft",
            "attributes": {"warranty_months": 12},
            "images": ["https://cdn.example/iphone13.jpg"],
        },
    )
    assert created["slug"] == "iphone-13-refurbished"
    assert created["brand"] == {"id": int(taxonomy["brand"]), "name": "Apple", "slug": "apple"}
    # The subcategory places the product in its category and department.
    assert (created["department"], created["category"], created["subcategory"]) == (
        taxonomy["department"],
        taxonomy["category"],
        taxonomy["subcategory"],
    )
    assert (created["base_price"], created["currency"], created["status"]) == (
        "399.00",
        "EUR",
        "draft",
    )
    assert created["attributes"] == {"warranty_months": 12}
    assert created["images"] == ["https://cdn.example/iphone13.jpg"]
    assert created["date_created"] and created["updated_at"]

    url = f"/api/products/{created['slug']}"
    assert (await client.get(url)).json() == created

    patched = await client.patch(
        url, json={"name": "iPhone 13 Pro", "status": "active"}, headers=admin
    )
    assert patched.status_code == 200, patched.text
    assert (patched.json()["name"], patched.json()["slug"]) == ("iPhone 13 Pro", created["slug"])
    assert patched.json()["base_price"] == "399.00", "fields not sent are kept"
    assert await listed(client, search="13 pro") == [created["slug"]]
    assert await listed(client, search="refurbished)") == [], "search follows the new name"

    put = await client.put(url, json={"brand": None, "base_price": "350.00"}, headers=admin)
    assert put.status_code == 200 and put.json()["brand"] is None
    assert put.json()["base_price"] == "350.00"

    assert (await client.delete(url, headers=admin)).status_code == 204
    assert (await client.get(url)).status_code == 404
    assert await listed(client) == []
    queued = await outbox_subjects(database)  # the taxonomy fixture's rows publish too
    assert [subject for subject in queued if subject.startswith("catalog.product.")] == [
        "catalog.product.created",
        "catalog.product.updated",
        "catalog.product.updated",
        "catalog.product.price_changed",
        "catalog.product.deleted",
    ]


async def test_same_name_gets_the_next_free_slug(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    products = [
        (await create(client, admin, "/api/products", {"name": title, "base_price": "1"}))["slug"]
        for title in ("Phones", "Phones", "PHONES", "Télé Phones")
    ]
    assert products == ["phones", "phones-2", "phones-3", "tele-phones"]
    variants = [
        (
            await create(
                client,
                admin,
                "/api/variants",
                {"product": "phones", "name": "Phones", "sku": f"PH-{index}"},
            )
        )["slug"]
        for index in range(3)
    ]
    assert variants == ["phones", "phones-2", "phones-3"]
    for slug in products:
        assert (await client.get(f"/api/products/{slug}")).json()["slug"] == slug
    for slug in variants:
        assert (await client.get(f"/api/variants/{slug}")).json()["slug"] == slug


@pytest.mark.parametrize("method", ["PATCH", "PUT"])
@pytest.mark.parametrize("path", ["/api/products", "/api/variants"])
async def test_slug_is_immutable(
    path: str, method: str, client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await create(client, admin, "/api/products", {"name": "Fixed Slug", "base_price": "1"})
    await create(
        client,
        admin,
        "/api/variants",
        {"product": "fixed-slug", "name": "Fixed Slug", "sku": "F-1"},
    )
    url = f"{path}/fixed-slug"
    # The slug is not a field of an update (the schema says so): sending one is a 422 naming it.
    refused = await client.request(method, url, json={"slug": "moved", "name": "X"}, headers=admin)
    assert refused.status_code == 422 and error_fields(refused) == ["slug"]
    assert (await client.get(url)).json()["name"] == "Fixed Slug", "nothing else changed"
    assert (await client.get(f"{path}/moved")).status_code == 404
    same = await client.request(
        method, url, json={"slug": "fixed-slug", "name": "Renamed"}, headers=admin
    )
    assert same.status_code == 422 and error_fields(same) == ["slug"], "not even unchanged"
    renamed = await client.request(method, url, json={"name": "Renamed"}, headers=admin)
    assert renamed.status_code == 200 and renamed.json()["name"] == "Renamed"
    assert renamed.json()["slug"] == "fixed-slug"


async def test_product_with_variants_is_not_deleted(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await create(client, admin, "/api/products", {"name": "Host", "base_price": "1"})
    for sku in ("H-1", "H-2"):
        await create(client, admin, "/api/variants", {"product": "host", "name": sku, "sku": sku})
    refused = await client.delete("/api/products/host", headers=admin)
    assert refused.status_code == 409
    assert "2 variants" in refused.json()["detail"] and "host" in refused.json()["detail"]
    assert (await client.get("/api/products/host")).status_code == 200
    assert (await client.get("/api/variants", params={"product": "host"})).json()["count"] == 2
    for slug in ("h-1", "h-2"):
        assert (await client.delete(f"/api/variants/{slug}", headers=admin)).status_code == 204
    assert (await client.delete("/api/products/host", headers=admin)).status_code == 204


async def test_unknown_slugs_are_404(client: httpx.AsyncClient, admin: dict[str, str]) -> None:
    for url in ("/api/products/nope", "/api/variants/nope"):
        for method, sent in (("GET", None), ("PATCH", {"name": "x"}), ("DELETE", None)):
            response = await client.request(method, url, json=sent, headers=admin)
            assert response.status_code == 404, f"{method} {url}: {response.text}"


# ---------------------------------------------------------------- taxonomy consistency


async def test_inconsistent_taxonomy_is_422_naming_the_field(
    client: httpx.AsyncClient, admin: dict[str, str], catalogue: dict[str, Any]
) -> None:
    cases = [
        ({"category": "laptops", "subcategory": "refurbished-iphones"}, "subcategory"),
        ({"department": "computers", "category": "smartphones"}, "category"),
        ({"department": "computers", "subcategory": "refurbished-iphones"}, "category"),
        ({"category": "nope"}, "category"),
        ({"department": "nope"}, "department"),
        ({"subcategory": "nope"}, "subcategory"),
        ({"brand": 424242}, "brand"),
        ({"brand": 99999999999999999999}, "brand"),
    ]
    for placement, field_name in cases:
        response = await client.post(
            "/api/products",
            json={"name": "Misplaced", "base_price": "1", **placement},
            headers=admin,
        )
        assert response.status_code == 422, (placement, response.text)
        assert error_fields(response) == [field_name], (placement, response.json())
        moved = await client.patch(f"/api/products/{CAFE}", json=placement, headers=admin)
        assert moved.status_code == 422, (placement, moved.text)
        assert error_fields(moved) == [field_name], (placement, moved.json())
    unchanged = (await client.get(f"/api/products/{CAFE}")).json()
    assert (unchanged["category"], unchanged["subcategory"]) == (
        "smartphones",
        "refurbished-iphones",
    )
    assert await listed(client, search="misplaced") == []


async def test_moving_a_product_with_all_three_levels(
    client: httpx.AsyncClient, admin: dict[str, str], catalogue: dict[str, Any], nats_url: str
) -> None:
    since = time.time()
    moved = await client.patch(
        f"/api/products/{CAFE}",
        json={
            "department": "computers",
            "category": "laptops",
            "subcategory": "gaming-laptops",
            "brand": catalogue["brands"]["dell"],
        },
        headers=admin,
    )
    assert moved.status_code == 200, moved.text
    placement = {key: moved.json()[key] for key in ("department", "category", "subcategory")}
    assert placement == {
        "department": "computers",
        "category": "laptops",
        "subcategory": "gaming-laptops",
    }, "the answer shows where the product now is"
    assert moved.json()["brand"]["slug"] == "dell"
    assert (await client.get(f"/api/products/{CAFE}")).json() == moved.json()
    [event] = await read_events(nats_url, "catalog.product.updated", since=since)
    assert (event.data["category"], event.data["subcategory"], event.data["brand"]) == (
        "laptops",
        "gaming-laptops",
        "Dell",
    ), "consumers learn the new placement from the event"
    assert await listed(client, subcategory="gaming-laptops", ordering="name") == [CAFE, GAMING]


async def test_invalid_product_and_variant_bodies_name_the_field(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await create(client, admin, "/api/products", {"name": "Base", "base_price": "5"})
    await create(client, admin, "/api/variants", {"product": "base", "name": "v", "sku": "B-1"})
    cases: list[tuple[str, str, dict[str, Any], int, str]] = [
        ("POST", "/api/products", {"name": "X", "base_price": "-0.01"}, 422, "base_price"),
        ("POST", "/api/products", {"name": "X", "base_price": "1.001"}, 422, "base_price"),
        ("POST", "/api/products", {"name": "X"}, 422, "base_price"),
        ("POST", "/api/products", {"name": "", "base_price": "1"}, 422, "name"),
        (
            "POST",
            "/api/products",
            {"name": "X", "base_price": "1", "currency": "usd"},
            422,
            "currency",
        ),
        (
            "POST",
            "/api/products",
            {"name": "X", "base_price": "1", "status": "sold"},
            422,
            "status",
        ),
        ("POST", "/api/products", {"name": "X", "base_price": "1", "images": ["x"]}, 422, "images"),
        ("POST", "/api/products", {"name": "X", "base_price": "1", "id": "1"}, 422, "id"),
        ("PATCH", "/api/products/base", {"base_price": None}, 422, "base_price"),
        ("PATCH", "/api/products/base", {"name": None}, 422, "name"),
        ("PATCH", "/api/products/base", {"base_price": "-3"}, 422, "base_price"),
        ("POST", "/api/variants", {"product": "nope", "name": "v", "sku": "N-1"}, 422, "product"),
        ("POST", "/api/variants", {"product": "base", "name": "v", "sku": "b-1"}, 409, "sku"),
        ("POST", "/api/variants", {"product": "base", "name": "v", "sku": "a b"}, 422, "sku"),
        (
            "POST",
            "/api/variants",
            {"product": "base", "name": "v", "sku": "N-2", "price_override": "-1"},
            422,
            "price_override",
        ),
        (
            "POST",
            "/api/variants",
            {"product": "base", "name": "v", "sku": "N-3", "unit": "x"},
            422,
            "unit",
        ),
        (
            "POST",
            "/api/variants",
            {"product": "base", "name": "v", "sku": "N-4", "quality": "x"},
            422,
            "quality",
        ),
        ("PATCH", "/api/variants/v", {"unit": "nope"}, 422, "unit"),
        ("PATCH", "/api/variants/v", {"sku": None}, 422, "sku"),
    ]
    for method, url, sent, status, field_name in cases:
        response = await client.request(method, url, json=sent, headers=admin)
        assert response.status_code == status, (method, url, sent, response.text)
        assert error_fields(response) == [field_name], (sent, response.json())
    assert (await client.get("/api/products")).json()["count"] == 1
    assert (await client.get("/api/variants")).json()["count"] == 1


# ---------------------------------------------------------------- filters and search


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"brand": "apple"}, {CAFE}),
        ({"brand": "dell"}, {GAMING, OFFICE}),
        ({"brand": "nobody"}, set()),
        ({"brand": "424242"}, set()),
        ({"department": "computers"}, {GAMING, OFFICE}),
        ({"department": "phones-tablets"}, {CAFE, PIXEL}),
        ({"category": "smartphones"}, {CAFE, PIXEL}),
        ({"category": "laptops"}, {GAMING, OFFICE}),
        ({"subcategory": "refurbished-iphones"}, {CAFE}),
        ({"subcategory": "gaming-laptops"}, {GAMING}),
        ({"min_price": "899"}, {OFFICE, GAMING}),
        ({"max_price": "199.50"}, {PIXEL, USB}),
        ({"min_price": "200", "max_price": "1000"}, {CAFE, OFFICE}),
        ({"min_price": "1000", "max_price": "200"}, set()),
        ({"status": "active"}, {CAFE, GAMING, USB}),
        ({"status": "draft"}, {PIXEL}),
        ({"status": "archived"}, {OFFICE}),
        ({"department": "computers", "status": "active", "max_price": "2000"}, {GAMING}),
        ({"category": "smartphones", "min_price": "300", "max_price": "400"}, {CAFE}),
        # search: name, description and SKUs; case and accents ignored on both sides
        ({"search": "cafe"}, {CAFE}),
        ({"search": "CAFÉ RACER"}, {CAFE}),
        ({"search": "  café  "}, {CAFE}),
        ({"search": "tres bon ETAT"}, {PIXEL}),
        ({"search": "naive"}, {USB}),
        ({"search": "Naïve"}, {USB}),
        ({"search": "laptop"}, {GAMING, OFFICE}),
        ({"search": "crp-128"}, {CAFE}),
        ({"search": "glx-32gb"}, {GAMING}),
        ({"search": "GLX"}, {GAMING}),
        ({"search": "%"}, set()),
        ({"search": "_"}, set()),
        ({"search": "laptop", "brand": "dell", "status": "archived"}, {OFFICE}),
        ({"search": ""}, set(CREATED_ORDER)),
    ],
    ids=lambda value: (
        "&".join(f"{k}={v}" for k, v in value.items()) if isinstance(value, dict) else None
    ),
)
async def test_filters(
    params: dict[str, str],
    expected: set[str],
    client: httpx.AsyncClient,
    catalogue: dict[str, Any],
) -> None:
    assert set(await listed(client, **params)) == expected
    slashed = await client.get("/api/products/", params=params)
    assert set(names(slashed.json())) == expected


async def test_brand_filter_takes_the_id(
    client: httpx.AsyncClient, catalogue: dict[str, Any]
) -> None:
    assert await listed(client, brand=str(catalogue["brands"]["apple"])) == [CAFE]
    assert set(await listed(client, brand=str(catalogue["brands"]["dell"]))) == {GAMING, OFFICE}
    assert await listed(client, brand="99999999999999999999") == []


async def test_invalid_filters_are_422_naming_them(
    client: httpx.AsyncClient, catalogue: dict[str, Any]
) -> None:
    for params, field_name in (
        ({"status": "sold"}, "status"),
        ({"min_price": "-1"}, "min_price"),
        ({"max_price": "cheap"}, "max_price"),
        ({"page": "0"}, "page"),
        ({"page_size": "0"}, "page_size"),
    ):
        response = await client.get("/api/products", params=params)
        assert response.status_code == 422 and error_fields(response) == [field_name], params


async def test_search_follows_sku_changes(
    client: httpx.AsyncClient, admin: dict[str, str], catalogue: dict[str, Any]
) -> None:
    renamed = await client.patch("/api/variants/128gb", json={"sku": "zz-new-9"}, headers=admin)
    assert renamed.status_code == 200 and renamed.json()["sku"] == "ZZ-NEW-9"
    assert await listed(client, search="zz-new") == [CAFE]
    assert await listed(client, search="crp-128") == []
    assert (await client.delete("/api/variants/128gb", headers=admin)).status_code == 204
    assert await listed(client, search="zz-new") == []


# ---------------------------------------------------------------- ordering and pagination

BY_PRICE = [USB, PIXEL, CAFE, OFFICE, GAMING]
BY_NAME = [CAFE, GAMING, OFFICE, PIXEL, USB]


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("price", BY_PRICE),
        ("-price", BY_PRICE[::-1]),
        ("name", BY_NAME),
        ("-name", BY_NAME[::-1]),
        ("date_created", CREATED_ORDER),
        ("-date_created", CREATED_ORDER[::-1]),
        (None, CREATED_ORDER[::-1]),  # newest first by default
    ],
)
async def test_ordering(
    ordering: str | None, expected: list[str], client: httpx.AsyncClient, catalogue: dict[str, Any]
) -> None:
    params = {"ordering": ordering} if ordering else {}
    assert await listed(client, **params) == expected


async def test_ordering_combines_with_filters(
    client: httpx.AsyncClient, catalogue: dict[str, Any]
) -> None:
    assert await listed(client, ordering="-price", status="active") == [GAMING, CAFE, USB]


@pytest.mark.parametrize(
    "ordering", ["base_price", "search_text", "price;drop", "-id", "?", "price,"]
)
async def test_unknown_ordering_is_400(
    ordering: str, client: httpx.AsyncClient, catalogue: dict[str, Any]
) -> None:
    response = await client.get("/api/products", params={"ordering": ordering})
    assert response.status_code == 400, response.text
    detail = response.json()["detail"]
    assert "ordering" in detail.lower() and "price" in detail, detail


async def test_pagination_shape_and_links(
    client: httpx.AsyncClient, catalogue: dict[str, Any]
) -> None:
    first = await client.get("/api/products", params={"ordering": "price", "page_size": 2})
    page = first.json()
    assert set(page) == {"count", "next", "previous", "results"}
    assert page["count"] == 5 and page["previous"] is None and names(page) == BY_PRICE[:2]
    seen = names(page)
    pages = 1
    while page["next"]:
        link = httpx.URL(page["next"])
        assert link.params["ordering"] == "price" and link.params["page_size"] == "2"
        assert link.params["page"] == str(pages + 1)
        page = (await client.get(page["next"])).json()
        pages += 1
        assert page["count"] == 5 and page["previous"] is not None
        assert httpx.URL(page["previous"]).params["page"] == str(pages - 1)
        seen += names(page)
    assert pages == 3 and seen == BY_PRICE, "every product exactly once, in order"
    assert len(page["results"]) == 1

    beyond = (await client.get("/api/products", params={"page": 9, "page_size": 2})).json()
    assert beyond["results"] == [] and beyond["count"] == 5 and beyond["next"] is None
    filtered = (
        await client.get("/api/products", params={"status": "active", "page_size": 1})
    ).json()
    assert filtered["count"] == 3
    assert httpx.URL(filtered["next"]).params["status"] == "active", "filters survive paging"
    capped = (await client.get("/api/products", params={"page": 2, "page_size": 1000})).json()
    assert httpx.URL(capped["previous"]).params["page_size"] == "100", "page size is capped"
    default = (await client.get("/api/products")).json()
    assert default["count"] == 5 and len(default["results"]) == 5 and default["next"] is None


# ---------------------------------------------------------------- variants


async def test_variant_crud_and_prices(
    client: httpx.AsyncClient, admin: dict[str, str], taxonomy: dict[str, str]
) -> None:
    await create(client, admin, "/api/products", {"name": "Handset", "base_price": "300"})
    plain = await create(
        client,
        admin,
        "/api/variants",
        {
            "product": "handset",
            "name": "64GB Black",
            "sku": "hs-64-blk",
            "attributes": {"colour": "Black", "capacity": "64GB"},
            "unit": taxonomy["unit"],
            "quality": taxonomy["quality"],
        },
    )
    assert plain["slug"] == "64gb-black" and plain["sku"] == "HS-64-BLK"
    assert (plain["price"], plain["price_override"], plain["currency"]) == ("300.00", None, "USD")
    assert (plain["unit"], plain["quality"]) == (taxonomy["unit"], taxonomy["quality"])
    assert plain["attributes"] == {"colour": "Black", "capacity": "64GB"}
    assert plain["product"] == "handset" and plain["is_active"] is True
    dear = await create(
        client,
        admin,
        "/api/variants",
        {"product": "handset", "name": "256GB", "sku": "HS-256", "price_override": "420"},
    )
    assert (dear["price"], dear["price_override"]) == ("420.00", "420.00")

    await client.patch("/api/products/handset", json={"base_price": "280"}, headers=admin)
    assert (await client.get("/api/variants/64gb-black")).json()["price"] == "280.00"
    assert (await client.get("/api/variants/256gb")).json()["price"] == "420.00"

    cleared = await client.patch(
        "/api/variants/256gb", json={"price_override": None, "is_active": False}, headers=admin
    )
    assert cleared.status_code == 200
    assert (cleared.json()["price"], cleared.json()["is_active"]) == ("280.00", False)
    kilo = await create(client, admin, "/api/units", {"name": "Kilogram", "symbol": "kg"})
    reunited = await client.patch(
        "/api/variants/64gb-black", json={"unit": kilo["slug"], "quality": None}, headers=admin
    )
    assert (reunited.json()["unit"], reunited.json()["quality"]) == ("kilogram", None)
    assert (await client.get("/api/variants/64gb-black")).json() == reunited.json()
    taken = await client.patch("/api/variants/256gb", json={"sku": "hs-64-blk"}, headers=admin)
    assert taken.status_code == 409 and error_fields(taken) == ["sku"]
    own = await client.patch("/api/variants/256gb", json={"sku": "hs-256"}, headers=admin)
    assert own.status_code == 200, "a variant may keep its own SKU"

    assert (await client.delete("/api/variants/256gb", headers=admin)).status_code == 204
    assert (await client.get("/api/variants/256gb")).status_code == 404


async def test_variants_filter_by_product(
    client: httpx.AsyncClient, admin: dict[str, str], catalogue: dict[str, Any]
) -> None:
    await create(
        client, admin, "/api/variants", {"product": CAFE, "name": "256GB", "sku": "CRP-256"}
    )
    cafe = (await client.get("/api/variants", params={"product": CAFE})).json()
    assert cafe["count"] == 2 and names(cafe) == ["128gb", "256gb"]
    assert {row["product"] for row in cafe["results"]} == {CAFE}
    gaming = (await client.get("/api/variants/", params={"product": GAMING})).json()
    assert names(gaming) == ["32gb"]
    assert (await client.get("/api/variants", params={"product": USB})).json()["count"] == 0
    assert (await client.get("/api/variants", params={"product": "nope"})).json()["count"] == 0
    assert (await client.get("/api/variants")).json()["count"] == 3
    by_sku = (await client.get("/api/variants", params={"search": "glx"})).json()
    assert names(by_sku) == ["32gb"]


# ---------------------------------------------------------------- events


async def test_product_events_carry_what_consumers_need(
    client: httpx.AsyncClient, admin: dict[str, str], taxonomy: dict[str, str], nats_url: str
) -> None:
    since = time.time()
    product = await create(
        client,
        admin,
        "/api/products",
        {
            "name": "Event Phone",
            "brand": int(taxonomy["brand"]),
            "subcategory": taxonomy["subcategory"],
            "base_price": "100",
        },
    )
    url = "/api/products/event-phone"
    await client.patch(url, json={"description": "now with a case"}, headers=admin)
    await client.patch(url, json={"base_price": "89.90"}, headers=admin)
    assert (await client.delete(url, headers=admin)).status_code == 204

    events = await read_events(nats_url, "catalog.product.*", expected=5, since=since)
    assert [event.type for event in events] == [
        "catalog.product.created",
        "catalog.product.updated",
        "catalog.product.updated",
        "catalog.product.price_changed",
        "catalog.product.deleted",
    ]
    created, described, repriced_update, price_changed, deleted = events
    expected = {
        "product_id": product["id"],
        "slug": "event-phone",
        "name": "Event Phone",
        "status": "active",
        "base_price": "100.00",
        "currency": "USD",
        "brand": "Apple",
        "department": taxonomy["department"],
        "category": taxonomy["category"],
        "subcategory": taxonomy["subcategory"],
    }
    assert {key: created.data.get(key) for key in expected} == expected
    assert described.data["changed"] == ["description"]
    assert repriced_update.data["changed"] == ["base_price"]
    assert price_changed.data["old_price"] == "100.00"
    assert price_changed.data["new_price"] == "89.90"
    assert price_changed.data["base_price"] == "89.90"
    assert price_changed.data["slug"] == "event-phone"
    assert price_changed.data["changed_by"] == "admin-1" and price_changed.actor == "admin-1"
    assert deleted.data["product_id"] == product["id"] and deleted.data["slug"] == "event-phone"
    assert all(event.source == "catalog" and event.actor == "admin-1" for event in events)


async def test_no_price_changed_when_the_price_stays(
    client: httpx.AsyncClient, admin: dict[str, str], database: Database
) -> None:
    await create(client, admin, "/api/products", {"name": "Steady", "base_price": "10.00"})
    same = await client.patch("/api/products/steady", json={"base_price": "10"}, headers=admin)
    assert same.status_code == 200
    assert await outbox_subjects(database) == [
        "catalog.product.created",
        "catalog.product.updated",
    ]


async def test_variant_events_carry_what_consumers_need(
    client: httpx.AsyncClient, admin: dict[str, str], taxonomy: dict[str, str], nats_url: str
) -> None:
    product = await create(client, admin, "/api/products", {"name": "Tablet", "base_price": "250"})
    since = time.time()
    variant = await create(
        client,
        admin,
        "/api/variants",
        {
            "product": "tablet",
            "name": "Wi-Fi 64GB",
            "sku": "tab-wifi-64",
            "unit": taxonomy["unit"],
            "quality": taxonomy["quality"],
            "attributes": {"capacity": "64GB"},
        },
    )
    url = f"/api/variants/{variant['slug']}"
    await client.patch(url, json={"price_override": "275.5"}, headers=admin)
    assert (await client.delete(url, headers=admin)).status_code == 204

    events = await read_events(nats_url, "catalog.variant.*", expected=3, since=since)
    assert [event.type for event in events] == [
        "catalog.variant.created",
        "catalog.variant.updated",
        "catalog.variant.deleted",
    ]
    created, updated, deleted = events
    expected = {
        "variant_id": variant["id"],
        "slug": "wi-fi-64gb",
        "sku": "TAB-WIFI-64",
        "name": "Wi-Fi 64GB",
        "product_id": product["id"],
        "product_slug": "tablet",
        "product_name": "Tablet",
        "price": "250.00",
        "currency": "USD",
        "unit": taxonomy["unit"],
        "quality": taxonomy["quality"],
        "attributes": {"capacity": "64GB"},
        "is_active": True,
    }
    assert {key: created.data.get(key) for key in expected} == expected
    assert updated.data["price"] == "275.50" and updated.data["changed"] == ["price_override"]
    assert updated.data["old_price_override"] is None
    assert deleted.data["variant_id"] == variant["id"] and deleted.data["sku"] == "TAB-WIFI-64"


async def test_variant_search_matches_wildcards_literally(
    client: httpx.AsyncClient, catalogue: dict[str, Any]
) -> None:
    """``%`` and ``_`` in ``?search=`` matched every variant; they are characters like others."""
    for term in ("%", "_", "1%8", "glx_32"):
        response = await client.get("/api/variants", params={"search": term})
        assert response.status_code == 200 and response.json()["count"] == 0, term
    assert names((await client.get("/api/variants", params={"search": "-32"})).json()) == ["32gb"]


@pytest.mark.parametrize(
    ("path", "sent", "field_name"),
    [
        ("/api/products", {"name": "S", "base_price": "1", "brand": True}, "brand"),
        ("/api/products", {"name": "S", "base_price": True}, "base_price"),
        ("/api/products", {"name": "S", "base_price": "1e3"}, "base_price"),
        ("/api/products", {"name": "S", "base_price": "NaN"}, "base_price"),
        (
            "/api/variants",
            {"product": "base", "name": "v", "sku": "S-1", "is_active": 0},
            "is_active",
        ),
        (
            "/api/variants",
            {"product": "base", "name": "v", "sku": "S-2", "is_active": "no"},
            "is_active",
        ),
    ],
)
async def test_booleans_numbers_and_prices_are_strict(
    path: str,
    sent: dict[str, Any],
    field_name: str,
    client: httpx.AsyncClient,
    admin: dict[str, str],
) -> None:
    """``is_active: 0`` is not false, ``true`` is not brand 1, a price is a decimal string
    or number with at most two places (not ``1e3`` or ``NaN``)."""
    await create(client, admin, "/api/products", {"name": "Base", "base_price": "5"})
    response = await client.post(path, json=sent, headers=admin)
    assert response.status_code == 422 and error_fields(response) == [field_name], response.text
    assert (await client.get("/api/products")).json()["count"] == 1
    assert (await client.get("/api/variants")).json()["count"] == 0


def test_prices_are_documented_with_their_pattern(app: Any) -> None:
    """Decimal fields say what they take and give: two places at most, never negative."""
    import re

    schemas = app.openapi()["components"]["schemas"]
    sent = schemas["ProductIn"]["properties"]["base_price"]
    [pattern] = [option["pattern"] for option in sent["anyOf"] if option.get("type") == "string"]
    given = schemas["ProductOut"]["properties"]["base_price"]
    assert given["type"] == "string" and given["pattern"] == pattern
    assert re.fullmatch(pattern, "399.00") and re.fullmatch(pattern, "5")
    for wrong in ("1.001", "-1", "1e3", "NaN", ""):
        assert not re.fullmatch(pattern, wrong), wrong
    variant = schemas["VariantOut"]["properties"]["price"]
    assert variant["pattern"] == pattern
