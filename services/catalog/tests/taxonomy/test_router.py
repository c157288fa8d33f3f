"""Departments, categories, subcategories, brands, units and qualities: what their users rely on.

- CRUD through the seed's routes (brands by id, the others by slug).
- Slugs generated from names: readable, unique (``phones``, ``phones-2``), stable when the
  name changes, never chosen by the client, and immutable (400 naming ``slug``).
- Deleting a row something still points at is refused with 409 saying what is in the way.
- ``/api/categories?department=`` and ``/api/subcategories?category=``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from common.testing.helpers import read_events
from tests.helpers import create, error_fields, names


@dataclass(frozen=True)
class Kind:
    """One simple resource: its path, the extra create fields (``{taxonomy key}`` filled in),
    a field an update may change, and how its detail route is keyed."""

    path: str
    extra: dict[str, str] = field(default_factory=dict)
    change: tuple[str, Any] = ("description", "changed")
    key: str = "slug"


KINDS = {
    "departments": Kind("/api/departments"),
    "categories": Kind("/api/categories", {"department": "{department}"}),
    "subcategories": Kind("/api/subcategories", {"category": "{category}"}),
    "brands": Kind("/api/brands", key="id"),
    "units": Kind("/api/units", {"symbol": "kg"}, change=("symbol", "kilo")),
    "qualities": Kind("/api/qualities", change=("rank", 7)),
}
SLUG_KINDS = [name for name, kind in KINDS.items() if kind.key == "slug"]


def body(kind: Kind, taxonomy: dict[str, str], name: str) -> dict[str, Any]:
    return {"name": name, **{key: value.format(**taxonomy) for key, value in kind.extra.items()}}


def detail_url(kind: Kind, row: dict[str, Any]) -> str:
    return f"{kind.path}/{row[kind.key]}"


@pytest.mark.parametrize("name", list(KINDS))
async def test_crud_round_trip(
    name: str, client: httpx.AsyncClient, admin: dict[str, str], taxonomy: dict[str, str]
) -> None:
    kind = KINDS[name]
    created = await create(client, admin, kind.path, body(kind, taxonomy, "Wearable Things"))
    assert created["slug"] == "wearable-things"
    assert created["name"] == "Wearable Things"
    for key, value in kind.extra.items():
        assert created[key] == value.format(**taxonomy)
    url = detail_url(kind, created)

    fetched = await client.get(url, headers=admin)
    assert fetched.status_code == 200 and fetched.json() == created
    listed = (await client.get(kind.path, params={"search": "wearable"}, headers=admin)).json()
    assert names(listed) == ["wearable-things"]

    field_name, value = kind.change
    patched = await client.patch(url, json={field_name: value}, headers=admin)
    assert patched.status_code == 200, patched.text
    assert patched.json()[field_name] == value
    assert (await client.get(url, headers=admin)).json()[field_name] == value

    renamed = await client.put(url, json={"name": "Wearables"}, headers=admin)
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["name"] == "Wearables"
    assert renamed.json()["slug"] == "wearable-things", "a rename must not move the slug"
    assert renamed.json()[field_name] == value, "PUT of one field left the others alone"

    assert (await client.delete(url, headers=admin)).status_code == 204
    assert (await client.get(url, headers=admin)).status_code == 404
    after = (await client.get(kind.path, params={"search": "wearable"}, headers=admin)).json()
    assert after["count"] == 0


@pytest.mark.parametrize("name", SLUG_KINDS)
async def test_same_name_gets_the_next_free_slug(
    name: str, client: httpx.AsyncClient, admin: dict[str, str], taxonomy: dict[str, str]
) -> None:
    kind = KINDS[name]
    slugs = [
        (await create(client, admin, kind.path, body(kind, taxonomy, title)))["slug"]
        for title in ("Phones", "Phones", "phones!", "Téléphones Été")
    ]
    assert slugs == ["phones", "phones-2", "phones-3", "telephones-ete"]
    for slug in slugs:
        assert (await client.get(f"{kind.path}/{slug}", headers=admin)).json()["slug"] == slug


async def test_brand_names_are_unique_and_slugs_too(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    first = await create(client, admin, "/api/brands", {"name": "Nokia"})
    duplicate = await client.post("/api/brands", json={"name": "NOKIA"}, headers=admin)
    assert duplicate.status_code == 409 and error_fields(duplicate) == ["name"]
    other = await create(client, admin, "/api/brands", {"name": "Nokia!"})
    assert (first["slug"], other["slug"]) == ("nokia", "nokia-2")
    taken = await client.patch(f"/api/brands/{other['id']}", json={"name": "nokia"}, headers=admin)
    assert taken.status_code == 409 and error_fields(taken) == ["name"]


@pytest.mark.parametrize("name", list(KINDS))
async def test_the_client_cannot_choose_the_slug(
    name: str, client: httpx.AsyncClient, admin: dict[str, str], taxonomy: dict[str, str]
) -> None:
    kind = KINDS[name]
    response = await client.post(
        kind.path, json={**body(kind, taxonomy, "Chosen"), "slug": "my-slug"}, headers=admin
    )
    assert response.status_code == 422 and error_fields(response) == ["slug"]


@pytest.mark.parametrize("name", list(KINDS))
@pytest.mark.parametrize("method", ["PATCH", "PUT"])
async def test_slug_is_immutable(
    name: str,
    method: str,
    client: httpx.AsyncClient,
    admin: dict[str, str],
    taxonomy: dict[str, str],
) -> None:
    kind = KINDS[name]
    row = await create(client, admin, kind.path, body(kind, taxonomy, "Fixed Slug"))
    url = detail_url(kind, row)
    refused = await client.request(
        method, url, json={"slug": "moved", "name": "Moved"}, headers=admin
    )
    # The slug is not a field of an update (the schema says so): sending one is a 422 naming it.
    assert refused.status_code == 422, refused.text
    assert error_fields(refused) == ["slug"]
    unchanged = (await client.get(url, headers=admin)).json()
    assert (unchanged["slug"], unchanged["name"]) == ("fixed-slug", "Fixed Slug")
    if kind.key == "slug":
        assert (await client.get(f"{kind.path}/moved", headers=admin)).status_code == 404
    # Not even the slug it already has; without it, the rest of the update goes through.
    same = await client.request(
        method, url, json={"slug": "fixed-slug", "name": "Renamed"}, headers=admin
    )
    assert same.status_code == 422 and error_fields(same) == ["slug"]
    renamed = await client.request(method, url, json={"name": "Renamed"}, headers=admin)
    assert renamed.status_code == 200 and renamed.json()["name"] == "Renamed"
    assert renamed.json()["slug"] == "fixed-slug"


async def test_long_and_non_latin_names_get_a_slug_that_fits(
    client: httpx.AsyncClient, admin: dict[str, str], taxonomy: dict[str, str]
) -> None:
    """Transliteration makes slugs longer than names (中 → zhong): the longest allowed name of
    every resource is stored, and a second one with the same slug gets its suffix."""
    for name, kind in KINDS.items():
        longest = 60 if name in ("units", "qualities") else 120
        slugs = []
        for title in ("中" * longest, "中" * (longest - 1) + "!"):  # two names, one slug base
            response = await client.post(kind.path, json=body(kind, taxonomy, title), headers=admin)
            assert response.status_code == 201, f"{name}: {response.status_code} {response.text}"
            slugs.append(response.json()["slug"])
        assert slugs[0].startswith("zhong-zhong") and slugs[1] == slugs[0] + "-2", slugs
        assert len(slugs[1]) <= (80 if name in ("units", "qualities") else 140)


PARENTS: dict[str, tuple[str, dict[str, Any]]] = {
    # parent kind → (path, create body); "{...}" filled from the taxonomy fixture
    "department": ("/api/departments", {"name": "Parent"}),
    "category": ("/api/categories", {"name": "Parent", "department": "{department}"}),
    "subcategory": ("/api/subcategories", {"name": "Parent", "category": "{category}"}),
    "brand": ("/api/brands", {"name": "Parent"}),
    "unit": ("/api/units", {"name": "Parent"}),
    "quality": ("/api/qualities", {"name": "Parent"}),
}
# (parent kind, child path, the words the 409 must contain)
BLOCKERS = [
    ("department", "/api/categories", "1 categories"),
    ("department", "/api/products", "1 products"),
    ("category", "/api/subcategories", "1 subcategories"),
    ("category", "/api/products", "1 products"),
    ("subcategory", "/api/products", "1 products"),
    ("brand", "/api/products", "1 products"),
    ("brand", "/api/spares", "1 spares"),
    ("unit", "/api/variants", "1 variants"),
    ("quality", "/api/variants", "1 variants"),
]


def _fill(sent: dict[str, Any], taxonomy: dict[str, str]) -> dict[str, Any]:
    return {k: v.format(**taxonomy) if isinstance(v, str) else v for k, v in sent.items()}


async def _child(
    client: httpx.AsyncClient, admin: dict[str, str], parent: str, key: str, path: str
) -> str:
    """Create one ``path`` row pointing at the parent; returns its detail URL."""
    ref: Any = int(key) if parent == "brand" else key
    if path == "/api/spares":
        spare = await create(
            client,
            admin,
            path,
            {"part_number": "CHILD-1", "name": "Child", "price": "1", "compatible_brands": [ref]},
        )
        return f"{path}/{spare['id']}"
    if path == "/api/variants":
        host = await create(client, admin, "/api/products", {"name": "Host", "base_price": "1"})
        sent = {"product": host["slug"], "name": "Child", "sku": "CHILD-1", parent: ref}
    elif path == "/api/products":
        sent = {"name": "Child", "base_price": "1.00", parent: ref}
    else:
        sent = {"name": "Child", parent: ref}
    return f"{path}/{(await create(client, admin, path, sent))['slug']}"


@pytest.mark.parametrize(
    ("parent", "child_path", "words"), BLOCKERS, ids=[f"{p}<-{c}" for p, c, _ in BLOCKERS]
)
async def test_delete_with_children_is_409_naming_them(
    parent: str,
    child_path: str,
    words: str,
    client: httpx.AsyncClient,
    admin: dict[str, str],
    taxonomy: dict[str, str],
) -> None:
    path, sent = PARENTS[parent]
    row = await create(client, admin, path, _fill(sent, taxonomy))
    key = str(row["id"] if parent == "brand" else row["slug"])
    url = f"{path}/{key}"
    child = await _child(client, admin, parent, key, child_path)

    refused = await client.delete(url, headers=admin)
    assert refused.status_code == 409, refused.text
    detail = refused.json()["detail"]
    assert words in detail and key in detail, detail
    assert (await client.get(url, headers=admin)).status_code == 200, "nothing was deleted"
    assert (await client.get(child, headers=admin)).status_code == 200, "nothing cascaded"

    assert (await client.delete(child, headers=admin)).status_code == 204
    assert (await client.delete(url, headers=admin)).status_code == 204
    assert (await client.get(url, headers=admin)).status_code == 404


async def test_departments_name_everything_in_the_way(
    client: httpx.AsyncClient, admin: dict[str, str], taxonomy: dict[str, str]
) -> None:
    await create(
        client,
        admin,
        "/api/products",
        {"name": "Tab", "base_price": "1.00", "department": taxonomy["department"]},
    )
    await create(
        client,
        admin,
        "/api/categories",
        {"name": "Tablets", "department": taxonomy["department"]},
    )
    refused = await client.delete(f"/api/departments/{taxonomy['department']}", headers=admin)
    assert refused.status_code == 409
    assert "2 categories" in refused.json()["detail"] and "1 products" in refused.json()["detail"]


async def test_categories_filter_by_department(
    client: httpx.AsyncClient, admin: dict[str, str], taxonomy: dict[str, str]
) -> None:
    other = await create(client, admin, "/api/departments", {"name": "Computers"})
    await create(client, admin, "/api/categories", {"name": "Laptops", "department": "computers"})
    await create(client, admin, "/api/categories", {"name": "Desktops", "department": "computers"})

    def query(value: str) -> dict[str, str]:
        return {"department": value, "ordering": "name"}

    mine = (await client.get("/api/categories", params=query(other["slug"]))).json()
    assert names(mine) == ["desktops", "laptops"] and mine["count"] == 2
    assert {row["department"] for row in mine["results"]} == {"computers"}
    phones = (await client.get("/api/categories", params=query(taxonomy["department"]))).json()
    assert names(phones) == [taxonomy["category"]]
    everything = (await client.get("/api/categories/")).json()
    assert everything["count"] == 3
    assert (await client.get("/api/categories", params=query("nope"))).json()["count"] == 0


async def test_subcategories_filter_by_category(
    client: httpx.AsyncClient, admin: dict[str, str], taxonomy: dict[str, str]
) -> None:
    await create(
        client,
        admin,
        "/api/categories",
        {"name": "Tablets", "department": taxonomy["department"]},
    )
    await create(client, admin, "/api/subcategories", {"name": "iPads", "category": "tablets"})
    tablets = (await client.get("/api/subcategories", params={"category": "tablets"})).json()
    assert names(tablets) == ["ipads"] and tablets["results"][0]["category"] == "tablets"
    phones = (
        await client.get("/api/subcategories/", params={"category": taxonomy["category"]})
    ).json()
    assert names(phones) == [taxonomy["subcategory"]]
    assert (await client.get("/api/subcategories", params={"category": "x"})).json()["count"] == 0


async def test_unknown_parent_is_422_naming_it(
    client: httpx.AsyncClient, admin: dict[str, str], taxonomy: dict[str, str]
) -> None:
    for path, sent, field_name in (
        ("/api/categories", {"name": "X", "department": "nope"}, "department"),
        ("/api/subcategories", {"name": "X", "category": "nope"}, "category"),
    ):
        response = await client.post(path, json=sent, headers=admin)
        assert response.status_code == 422 and error_fields(response) == [field_name]
    moved = await client.patch(
        f"/api/categories/{taxonomy['category']}", json={"department": "nope"}, headers=admin
    )
    assert moved.status_code == 422 and error_fields(moved) == ["department"]
    missing = await client.post("/api/categories", json={"name": "Orphan"}, headers=admin)
    assert missing.status_code == 422 and error_fields(missing) == ["department"]


async def test_a_category_can_move_to_another_department(
    client: httpx.AsyncClient, admin: dict[str, str], taxonomy: dict[str, str]
) -> None:
    await create(client, admin, "/api/departments", {"name": "Computers"})
    moved = await client.patch(
        f"/api/categories/{taxonomy['category']}", json={"department": "computers"}, headers=admin
    )
    assert moved.status_code == 200 and moved.json()["department"] == "computers"
    assert moved.json()["slug"] == taxonomy["category"]
    listed = (await client.get("/api/categories", params={"department": "computers"})).json()
    assert names(listed) == [taxonomy["category"]]


@pytest.mark.parametrize(
    ("path", "key", "field_name", "target"),
    [
        ("/api/categories", "category", "department", "computers"),
        ("/api/subcategories", "subcategory", "category", "laptops"),
    ],
)
async def test_a_move_that_would_strand_products_is_refused(
    path: str,
    key: str,
    field_name: str,
    target: str,
    client: httpx.AsyncClient,
    admin: dict[str, str],
    taxonomy: dict[str, str],
) -> None:
    """Products keep their department and category: moving the category (or subcategory)
    under them elsewhere would leave them listed under the old department, so it is refused
    with 409 naming the field until the products are moved."""
    await create(client, admin, "/api/departments", {"name": "Computers"})
    await create(client, admin, "/api/categories", {"name": "Laptops", "department": "computers"})
    product = await create(
        client,
        admin,
        "/api/products",
        {"name": "Placed", "base_price": "1", "subcategory": taxonomy["subcategory"]},
    )
    url = f"{path}/{taxonomy[key]}"
    refused = await client.patch(url, json={field_name: target}, headers=admin)
    assert refused.status_code == 409 and error_fields(refused) == [field_name]
    assert "1 products" in refused.json()["detail"][0]["msg"]
    assert (await client.get(url)).json()[field_name] == taxonomy[field_name], "not moved"
    listed = (await client.get("/api/products", params={"department": "phones-tablets"})).json()
    assert names(listed) == [product["slug"]], "the product is still where its taxonomy says"

    assert (
        await client.delete(f"/api/products/{product['slug']}", headers=admin)
    ).status_code == 204
    moved = await client.patch(url, json={field_name: target}, headers=admin)
    assert moved.status_code == 200 and moved.json()[field_name] == target


async def test_invalid_bodies_name_the_field(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    for path, sent, field_name in (
        ("/api/departments", {"name": ""}, "name"),
        ("/api/departments", {"name": "x" * 121}, "name"),
        ("/api/brands", {"name": "Acme", "website": "not a url"}, "website"),
        ("/api/units", {"name": "Litre", "symbol": "l" * 21}, "symbol"),
        ("/api/qualities", {"name": "Grade Z", "rank": -1}, "rank"),
        ("/api/departments", {"name": "X", "colour": "red"}, "colour"),
    ):
        response = await client.post(path, json=sent, headers=admin)
        assert response.status_code == 422, (path, sent, response.text)
        assert error_fields(response) == [field_name], (path, response.json())


async def test_unknown_keys_are_404(client: httpx.AsyncClient, admin: dict[str, str]) -> None:
    for url in (
        "/api/departments/nope",
        "/api/categories/nope",
        "/api/subcategories/nope",
        "/api/units/nope",
        "/api/qualities/nope",
        "/api/brands/nope",
        "/api/brands/424242",
        "/api/brands/99999999999999999999",
        "/api/brands/²",
    ):
        for method in ("GET", "PATCH", "DELETE"):
            sent = {"name": "x"} if method == "PATCH" else None
            response = await client.request(method, url, json=sent, headers=admin)
            assert response.status_code == 404, f"{method} {url}: {response.text}"
            assert isinstance(response.json()["detail"], str)


async def test_lists_order_and_refuse_unknown_orderings(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    for title in ("Beta", "Alpha", "Gamma"):
        await create(client, admin, "/api/departments", {"name": title})
        await create(
            client, admin, "/api/qualities", {"name": title, "rank": len(title) + ord(title[0])}
        )
    by_name = (await client.get("/api/departments", params={"ordering": "name"})).json()
    assert names(by_name) == ["alpha", "beta", "gamma"]
    backwards = (await client.get("/api/departments", params={"ordering": "-name"})).json()
    assert names(backwards) == ["gamma", "beta", "alpha"]
    newest = (await client.get("/api/departments", params={"ordering": "-created_at"})).json()
    assert names(newest) == ["gamma", "alpha", "beta"]
    ranked = (
        await client.get("/api/qualities", params={"ordering": "-rank"}, headers=admin)
    ).json()
    assert names(ranked) == ["gamma", "beta", "alpha"]
    refused = await client.get("/api/departments", params={"ordering": "password"})
    assert refused.status_code == 400 and "password" in refused.json()["detail"]
    refused_units = await client.get("/api/units", params={"ordering": "-id; drop"}, headers=admin)
    assert refused_units.status_code == 400


@pytest.mark.parametrize("name", list(KINDS))
async def test_null_is_refused_naming_the_field(
    name: str, client: httpx.AsyncClient, admin: dict[str, str], taxonomy: dict[str, str]
) -> None:
    """None of these fields may be empty: ``null`` is a 422 naming it (it was silently ignored),
    and the row is left as it was."""
    kind = KINDS[name]
    row = await create(client, admin, kind.path, body(kind, taxonomy, "Kept Name"))
    url = detail_url(kind, row)
    for method in ("PATCH", "PUT"):
        response = await client.request(method, url, json={"name": None}, headers=admin)
        assert response.status_code == 422, (method, response.text)
        assert error_fields(response) == ["name"]
        assert "cannot be null" in response.json()["detail"][0]["msg"]
    assert (await client.get(url, headers=admin)).json()["name"] == "Kept Name"


@pytest.mark.parametrize(
    "sent",
    [{"rank": False}, {"rank": True}, {"rank": "2"}, {"rank": 2.5}],
    ids=["false", "true", "string", "float"],
)
async def test_rank_is_an_integer_not_a_boolean(
    sent: dict[str, Any], client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    """``rank: false`` was stored as 0: only a JSON integer is a rank."""
    refused = await client.post("/api/qualities", json={"name": "Grade Q", **sent}, headers=admin)
    assert refused.status_code == 422 and error_fields(refused) == ["rank"], refused.text
    quality = await create(client, admin, "/api/qualities", {"name": "Grade R", "rank": 3})
    changed = await client.patch(f"/api/qualities/{quality['slug']}", json=sent, headers=admin)
    assert changed.status_code == 422 and error_fields(changed) == ["rank"], changed.text
    kept = await client.get(f"/api/qualities/{quality['slug']}", headers=admin)
    assert kept.json()["rank"] == 3


def test_update_bodies_do_not_offer_a_slug(app: Any) -> None:
    """The OpenAPI says what the API does: no update body has a ``slug`` to write."""
    schemas = app.openapi()["components"]["schemas"]
    updates = [name for name in schemas if name.endswith("Update")]
    assert len(updates) >= 9, updates
    for name in updates:
        assert "slug" not in schemas[name]["properties"], name
        assert schemas[name].get("additionalProperties") is False, name


@pytest.mark.parametrize("name", list(KINDS))
async def test_every_taxonomy_write_is_published(
    name: str,
    client: httpx.AsyncClient,
    admin: dict[str, str],
    taxonomy: dict[str, str],
    nats_url: str,
) -> None:
    """Audit logs what is published (issue 13): created, updated (naming the fields sent)
    and deleted, each with the row's id, slug, name and parent, and the admin as actor."""
    kind = KINDS[name]
    resource = {"categories": "category", "subcategories": "subcategory", "qualities": "quality"}
    singular = resource.get(name, name.removesuffix("s"))
    since = time.time()
    created = await create(client, admin, kind.path, body(kind, taxonomy, "Wearable Things"))
    url = detail_url(kind, created)
    field_name, value = kind.change
    assert (await client.patch(url, json={field_name: value}, headers=admin)).status_code == 200
    assert (await client.delete(url, headers=admin)).status_code == 204

    events = await read_events(nats_url, f"catalog.{singular}.*", expected=3, since=since)
    assert [(e.type, e.data["changed"]) for e in events] == [
        (f"catalog.{singular}.created", []),
        (f"catalog.{singular}.updated", [field_name]),
        (f"catalog.{singular}.deleted", []),
    ]
    assert {(e.data["id"], e.data["slug"], e.data["name"], e.actor) for e in events} == {
        (created["id"], "wearable-things", "Wearable Things", "admin-1")
    }
    parent = events[0].data["parent_id"]
    assert (parent is not None) == (name in ("categories", "subcategories"))
