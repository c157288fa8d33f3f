"""The events on the wire: every payload has exactly the fields docs/events.md promised before
the contracts existed (no field lost, none added), money and coordinates as strings.

Read from the outbox (what the relay publishes as it is), after real API calls.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import select

from catalog.db import EVENT_TABLES
from catalog.events.contracts import PUBLISHED
from catalog.events.outbox import outbox
from common.db import Database
from common.events.contracts import ContractViolation
from tests.helpers import create

STORE = {
    "store_id", "code", "name", "address", "phone", "time_zone", "latitude", "longitude",
    "geofence_radius_m", "is_headquarters", "is_active", "deleted",
}  # fmt: skip
PRODUCT = {
    "product_id", "slug", "name", "status", "base_price", "currency", "brand", "department",
    "category", "subcategory",
}  # fmt: skip
VARIANT = {
    "variant_id", "slug", "sku", "name", "product_id", "product_slug", "product_name", "price",
    "currency", "attributes", "unit", "quality", "is_active",
}  # fmt: skip
SPARE = {"spare_id", "part_number", "name", "currency"}
FILE = {"file_id", "filename", "content_type", "size", "uploaded_by"}
EXPECTED = {
    "catalog.store.created": STORE,
    "catalog.store.updated": STORE | {"changed"},
    "catalog.store.deleted": STORE,
    "catalog.product.created": PRODUCT,
    "catalog.product.updated": PRODUCT | {"changed"},
    "catalog.product.price_changed": PRODUCT | {"old_price", "new_price", "changed_by"},
    "catalog.product.deleted": PRODUCT,
    "catalog.variant.created": VARIANT,
    "catalog.variant.updated": VARIANT | {"changed", "old_price_override"},
    "catalog.variant.deleted": VARIANT,
    "catalog.spare.created": SPARE | {"price"},
    "catalog.spare.updated": SPARE | {"price", "changed"},
    "catalog.spare.price_changed": SPARE | {"old_price", "new_price", "changed_by"},
    "catalog.spare.deleted": SPARE | {"price"},
    # seed 002 Core (new with their contracts; their payloads are tested in settings/, files/)
    "catalog.setting.changed": {"key", "value", "changed"},
    "catalog.setting.deleted": {"key"},
    "catalog.file.uploaded": FILE,
    "catalog.file.updated": FILE | {"changed"},
    "catalog.file.deleted": FILE,
}
# Taxonomy rows (their payloads are tested in tests/taxonomy: the fixture's rows publish
# their ``created`` here too).
TAXONOMY_EXPECTED = {
    f"catalog.{name}.{verb}": {"id", "slug", "name", "parent_id", "changed"}
    for name in ("department", "category", "subcategory", "brand", "unit", "quality")
    for verb in ("created", "updated", "deleted")
}
EVERY_SUBJECT = {**EXPECTED, **TAXONOMY_EXPECTED}


async def queued(database: Database) -> list[tuple[str, dict[str, Any]]]:
    outbox_table = EVENT_TABLES.outbox
    async with database.session() as session:
        rows = await session.execute(
            select(outbox_table.c.subject, outbox_table.c.envelope).order_by(outbox_table.c.seq)
        )
        return [(str(subject), dict(envelope["data"])) for subject, envelope in rows]


def test_every_subject_has_one_contract() -> None:
    declared = sorted(subject for contract in PUBLISHED for subject in contract.subjects)
    assert declared == sorted(EVERY_SUBJECT)


async def test_payloads_keep_their_fields_and_formats(
    client: httpx.AsyncClient, admin: dict[str, str], taxonomy: dict[str, str], database: Database
) -> None:
    store = await create(
        client, admin, "/api/stores", {"code": "W-1", "name": "Wire", "latitude": "40.7"}
    )
    await client.patch(f"/api/stores/{store['id']}", json={"phone": "1"}, headers=admin)
    await client.delete(f"/api/stores/{store['id']}", headers=admin)
    product = await create(
        client,
        admin,
        "/api/products",
        {"name": "Wire Phone", "base_price": "10", "brand": int(taxonomy["brand"])},
    )
    url = f"/api/products/{product['slug']}"
    await client.patch(url, json={"base_price": "12.5"}, headers=admin)
    variant = await create(
        client,
        admin,
        "/api/variants",
        {"product": product["slug"], "name": "W", "sku": "W-1", "unit": taxonomy["unit"]},
    )
    await client.patch(
        f"/api/variants/{variant['slug']}", json={"price_override": "13"}, headers=admin
    )
    await client.delete(f"/api/variants/{variant['slug']}", headers=admin)
    await client.delete(url, headers=admin)
    spare = await create(
        client, admin, "/api/spares", {"part_number": "W-1", "name": "Wire", "price": "3"}
    )
    await client.patch(f"/api/spares/{spare['id']}", json={"price": "4"}, headers=admin)
    await client.delete(f"/api/spares/{spare['id']}", headers=admin)
    await create(client, admin, "/api/core/settings", {"key": "wire.key", "value": [1, "a"]})
    await client.patch("/api/core/settings/wire.key", json={"value": 2}, headers=admin)
    await client.delete("/api/core/settings/wire.key", headers=admin)
    uploaded = await client.post(
        "/api/core/files", files={"file": ("wire.txt", b"wire", "text/plain")}, headers=admin
    )
    file_url = f"/api/core/files/{uploaded.json()['id']}"
    await client.patch(file_url, json={"description": "Wire"}, headers=admin)
    await client.delete(file_url, headers=admin)

    events = await queued(database)
    assert sorted({subject for subject, _ in events if subject in EXPECTED}) == sorted(EXPECTED)
    for subject, data in events:
        assert set(data) == EVERY_SUBJECT[subject], subject
    by_subject = {subject: data for subject, data in events}
    assert by_subject["catalog.store.created"]["latitude"] == "40.700000"
    assert by_subject["catalog.store.created"]["longitude"] is None
    assert by_subject["catalog.store.updated"]["changed"] == ["phone"]
    assert by_subject["catalog.product.created"]["base_price"] == "10.00"
    assert by_subject["catalog.product.created"]["brand"] == "Apple"
    changed = by_subject["catalog.product.price_changed"]
    assert (changed["old_price"], changed["new_price"], changed["changed_by"]) == (
        "10.00",
        "12.50",
        "admin-1",
    )
    assert by_subject["catalog.variant.created"]["price"] == "12.50"
    assert by_subject["catalog.variant.updated"]["old_price_override"] is None
    assert by_subject["catalog.variant.updated"]["price"] == "13.00"
    assert by_subject["catalog.spare.price_changed"]["new_price"] == "4.00"
    assert by_subject["catalog.spare.deleted"]["price"] == "4.00"
    assert by_subject["catalog.setting.deleted"] == {"key": "wire.key"}
    assert by_subject["catalog.file.uploaded"]["size"] == 4


async def test_a_payload_breaking_its_contract_is_never_written(database: Database) -> None:
    """The outbox checks each payload against the subject's contract before writing it."""
    with pytest.raises(ContractViolation):
        async with database.session() as session:
            await outbox.add(session, "catalog.store.created", {"store_id": "not a uuid"})
    assert await queued(database) == []
