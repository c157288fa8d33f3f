"""Manifests as vendors send them: messy headers in Latin-1 with semicolons and European
decimals, an .xlsx workbook, a 20,000-row lot; and templates — a layout recognised by its
header signature on the next upload (case, spacing and accents aside), its mappings then the
default, and the template routes."""

from __future__ import annotations

import io
import random
from decimal import Decimal

from openpyxl import Workbook
from sqlalchemy import func, select

from inventory.manifests.models import ManifestRow
from tests.conftest import Shop
from tests.intake.helpers import (
    CLEAN,
    CLEAN_MAPPINGS,
    MESSY,
    MESSY_MAPPINGS,
    approved_order,
    catalog_product,
    job_ended,
    ok,
    step,
    upload,
)


async def test_messy_headers_in_latin1_are_read_and_standardised(shop: Shop) -> None:
    order = await approved_order(shop)
    uploaded = await ok(await upload(shop.client, shop.admin, order["id"], MESSY, "lot.csv"))
    manifest = uploaded["manifest"]
    assert (manifest["encoding"], manifest["delimiter"]) == ("windows-1252", ";")
    assert manifest["headers"] == [
        "Déscription", "MARQUE", "Réf. fournisseur", "Qté.", "Coût unitaire (EUR)", "Prix public", "État",
    ]  # fmt: skip
    processed = await ok(
        await step(
            shop.client, shop.admin, order["id"], "process-manifest", {"mappings": MESSY_MAPPINGS}
        )
    )
    assert (processed["rows_written"], processed["units"]) == (3, 13)
    async with shop.database.session() as session:
        rows = list(
            (await session.execute(select(ManifestRow).order_by(ManifestRow.row_no))).scalars()
        )
    assert rows[0].title == "Téléphone Apple iPhone 13 128 Go Minuit"
    assert (rows[0].unit_cost, rows[0].retail_price, rows[0].condition) == (
        Decimal("210.0000"),
        Decimal("429.00"),
        "good",
    )
    assert (rows[2].brand, rows[2].vendor_sku, rows[2].quantity, rows[2].condition) == (
        "Générique",
        "FR-2003",
        10,
        "new",
    )
    found = await ok(
        await step(
            shop.client,
            shop.admin,
            order["id"],
            "manifest-rows",
            method="GET",
            params={"search": "CÂBLE"},
        )
    )
    assert [row["row_no"] for row in found["rows"]] == [3]


async def test_an_xlsx_workbook_is_read_like_a_csv(shop: Shop) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Item Description", "Qty", "Unit Cost"])
    sheet.append(["Apple iPad Air 64GB", 2, 199.5])
    sheet.append(["Kindle Paperwhite", 1, 49])
    data = io.BytesIO()
    workbook.save(data)
    order = await approved_order(shop)
    uploaded = await ok(
        await upload(shop.client, shop.admin, order["id"], data.getvalue(), "lot.csv")
    )
    assert (uploaded["manifest"]["file_type"], uploaded["manifest"]["filename"]) == (
        "xlsx",
        "lot.xlsx",
    )
    mappings = {
        "title": "[Item Description]",
        "quantity": "[Qty] | integer",
        "unit_cost": "[Unit Cost] | money",
    }
    preview = await ok(
        await step(
            shop.client, shop.admin, order["id"], "preview-standardize", {"mappings": mappings}
        )
    )
    assert [row["values"] for row in preview["rows"]] == [
        {"title": "Apple iPad Air 64GB", "quantity": 2, "unit_cost": "199.5000"},
        {"title": "Kindle Paperwhite", "quantity": 1, "unit_cost": "49.0000"},
    ]


async def test_a_saved_template_is_recognised_by_the_header_signature(shop: Shop) -> None:
    first = await approved_order(shop)
    await ok(await upload(shop.client, shop.admin, first["id"]))
    processed = await ok(await step(shop.client, shop.admin, first["id"], "process-manifest",
                                    {"mappings": CLEAN_MAPPINGS, "save_template": {"name": "Lots Co. layout"}}))  # fmt: skip
    template_id = processed["template_id"]
    template = await ok(
        await shop.client.get(f"/api/inventory/templates/{template_id}", headers=shop.admin)
    )
    assert template["vendor_id"] == first["vendor_id"] and template["mappings"] == CLEAN_MAPPINGS

    second = await approved_order(shop, code="LOTS-TWO")
    spaced = CLEAN.replace(b"Item Description,Brand", b"  ITEM  description ,brand", 1)
    uploaded = await ok(await upload(shop.client, shop.admin, second["id"], spaced))
    assert uploaded["manifest"]["template_id"] == template_id
    assert uploaded["manifest"]["header_signature"] == template["header_signature"]
    rows = await ok(
        await step(shop.client, shop.admin, second["id"], "manifest-rows", method="GET")
    )
    assert rows["template"]["id"] == template_id and rows["mappings"] == CLEAN_MAPPINGS
    again = await ok(
        await step(shop.client, shop.admin, second["id"], "process-manifest")
    )  # no mappings sent
    assert again["rows_written"] == 6

    reordered = CLEAN.replace(b"Item Description,Brand", b"Brand,Item Description", 1)
    third = await approved_order(shop, code="LOTS-THREE")
    other = await ok(await upload(shop.client, shop.admin, third["id"], reordered))
    assert other["manifest"]["template_id"] is None  # another layout, another signature
    without = await step(shop.client, shop.admin, third["id"], "process-manifest")
    assert without.status_code == 422 and without.json()["detail"][0]["field"] == "mappings"


async def test_templates_are_checked_against_their_headers(shop: Shop) -> None:
    client, admin = shop.client, shop.admin
    headers = ["Desc", "Qty"]
    bad = await client.post("/api/inventory/templates", json={"name": "T", "headers": headers,
                                                              "mappings": {"title": "[Description]"}}, headers=admin)  # fmt: skip
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "mappings.title"
    made = await ok(await client.post("/api/inventory/templates", json={"name": "T", "headers": headers,
                                                                       "mappings": {"title": "[Desc]"}}, headers=admin), 201)  # fmt: skip
    taken = await client.post("/api/inventory/templates", json={"name": "T2", "headers": [" desc", "QTY "],
                                                                "mappings": {"title": "[Desc]"}}, headers=admin)  # fmt: skip
    assert taken.status_code == 409 and taken.json()["detail"][0]["field"] == "headers"
    listed = await ok(
        await client.get(
            "/api/inventory/templates",
            params={"signature": made["header_signature"]},
            headers=admin,
        )
    )
    assert [template["id"] for template in listed["results"]] == [made["id"]]
    moved = await ok(await client.patch(f"/api/inventory/templates/{made['id']}",
                                        json={"headers": ["Desc", "Qty", "Cost"], "mappings": {"title": "[Desc]", "unit_cost": "[Cost] | money"}},
                                        headers=admin))  # fmt: skip
    assert moved["header_signature"] != made["header_signature"]
    broken = await client.patch(
        f"/api/inventory/templates/{made['id']}", json={"headers": ["Other"]}, headers=admin
    )
    assert broken.status_code == 422  # the kept mappings name columns the new headers lack
    assert (
        await client.delete(f"/api/inventory/templates/{made['id']}", headers=admin)
    ).status_code == 204


async def test_a_20000_row_manifest_goes_through_standardise_and_match(shop: Shop) -> None:
    rng = random.Random(20_000)
    names = [f"Acme Widget Model {number}" for number in range(50)]
    for name in names[:25]:
        await catalog_product(shop.database, name, brand="Acme")
    lines = ["Item Description,Brand,Qty,Unit Cost,Retail,Condition"]
    for number in range(20_000):
        name = rng.choice(names)
        lines.append(
            f"{name} lot {number % 7},Acme,{rng.randint(1, 3)},{rng.randint(1, 90)}.50,{rng.randint(100, 200)}.00,Good"
        )
    order = await approved_order(shop)
    uploaded = await ok(
        await upload(shop.client, shop.admin, order["id"], "\n".join(lines).encode())
    )
    assert uploaded["manifest"]["row_count"] == 20_000
    mappings = {"title": "[Item Description] | trim", "brand": "[Brand]", "quantity": "[Qty] | integer",
                "unit_cost": "[Unit Cost] | money", "retail_price": "[Retail] | money", "condition": "[Condition]"}  # fmt: skip
    # over INTAKE_BACKGROUND_ROWS (2,000): each step is a background job, polled to its end
    await ok(
        await step(
            shop.client, shop.admin, order["id"], "process-manifest", {"mappings": mappings}
        ),
        202,
    )
    processed = (await job_ended(shop, order["id"]))["job"]["result"]
    assert processed["rows_written"] == 20_000
    await ok(await step(shop.client, shop.admin, order["id"], "match-products"), 202)
    summary = (await job_ended(shop, order["id"]))["job"]["result"]
    assert (
        summary["rows"] == 20_000
        and summary["matched"] + summary["suggested"] + summary["unmatched"] == 20_000
    )
    assert summary["matched"] > 0
    async with shop.database.session() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(ManifestRow)
            .where(ManifestRow.match_status.is_not(None))
        )
    assert count == 20_000
