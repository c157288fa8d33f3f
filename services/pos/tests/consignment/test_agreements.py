"""Agreements: versioned (an edit of the active version is a new version, items keep theirs),
and their terms checked: shares within 0 to 100 %, tiers without overlaps or gaps, a term
that ends after it starts."""

from __future__ import annotations

from typing import Any

import pytest

from tests.consignment.shop import AGREEMENT, CONSIGNEE, Consignment
from tests.till import Till

TIERS = [
    {"min_price": "0.00", "max_price": "100.00", "share_percent": "40.00"},
    {"min_price": "100.00", "max_price": None, "share_percent": "60.00"},
]


async def test_editing_the_active_version_makes_the_next_and_items_keep_theirs(
    till: Till,
) -> None:
    shop = Consignment(till)
    await shop.account()
    first = await shop.agreement()
    item = await shop.item(first, "C-1")

    edited = await till.client.patch(
        f"/api/consignment/agreements/{first['id']}",
        json={"share_percent": "55.00"},
        headers=till.head(),
    )

    assert edited.status_code == 200, edited.text
    newer = edited.json()
    assert newer["id"] != first["id"] and newer["number"] == first["number"]
    assert (newer["version"], newer["share_percent"], newer["supersedes_id"]) == (
        2,
        "55.00",
        first["id"],
    )
    old = await till.client.get(f"/api/consignment/agreements/{first['id']}", headers=till.head())
    assert (old.json()["status"], old.json()["share_percent"]) == ("superseded", "50.00")
    kept = await till.client.get(f"/api/consignment/items/{item['id']}", headers=till.cashier())
    assert kept.json()["agreement_id"] == first["id"]
    again = await till.client.patch(
        f"/api/consignment/agreements/{first['id']}", json={"notes": "x"}, headers=till.head()
    )
    assert again.status_code == 409
    versions = await till.client.get(
        "/api/consignment/agreements", params={"number": first["number"]}, headers=till.head()
    )
    assert [row["version"] for row in versions.json()["results"]] == [1, 2]
    subjects = [subject for subject, _ in await shop.events("pos.consignment.agreement.")]
    assert subjects == ["pos.consignment.agreement.created", "pos.consignment.agreement.versioned"]


async def test_a_superseded_version_takes_no_new_items(till: Till) -> None:
    shop = Consignment(till)
    await shop.account()
    first = await shop.agreement()
    await till.client.patch(
        f"/api/consignment/agreements/{first['id']}",
        json={"fee_per_item": "1.00"},
        headers=till.head(),
    )
    unit = await till.unit("C-9")
    response = await till.client.post(
        "/api/consignment/items",
        json={"agreement_id": first["id"], "item_id": str(unit.id)},
        headers=till.cashier(),
    )
    assert response.status_code == 409
    assert "active version" in response.json()["detail"]


@pytest.mark.parametrize(
    ("terms", "named"),
    [
        ({"share_percent": "100.01"}, "share_percent"),
        ({"share_percent": "-1"}, "share_percent"),
        ({"starts_on": "2026-05-01", "expires_on": "2026-04-30"}, "expires_on"),
        (
            {
                "tiers": [
                    {"min_price": "0.00", "max_price": "100.00", "share_percent": "40"},
                    {"min_price": "90.00", "max_price": None, "share_percent": "60"},
                ]
            },
            "overlaps",
        ),
        (
            {
                "tiers": [
                    {"min_price": "0.00", "max_price": "100.00", "share_percent": "40"},
                    {"min_price": "120.00", "max_price": None, "share_percent": "60"},
                ]
            },
            "gap",
        ),
        (
            {"tiers": [{"min_price": "0.00", "max_price": "100.00", "share_percent": "40"}]},
            "no max_price",
        ),
        ({"category_shares": {"Guitars": "101"}}, "category_shares"),
    ],
)
async def test_bad_terms_are_refused_naming_the_problem(
    till: Till, terms: dict[str, Any], named: str
) -> None:
    await Consignment(till).account()
    response = await till.client.post(
        "/api/consignment/agreements",
        json={"consignee_id": CONSIGNEE, **AGREEMENT, **terms},
        headers=till.head(),
    )
    assert response.status_code == 422, response.text
    assert named in response.text
    listed = await till.client.get("/api/consignment/agreements", headers=till.head())
    assert listed.json()["count"] == 0


async def test_an_edit_that_would_break_the_tiers_is_refused(till: Till) -> None:
    shop = Consignment(till)
    await shop.account()
    first = await shop.agreement(tiers=TIERS, starts_on="2026-03-01")
    response = await till.client.patch(
        f"/api/consignment/agreements/{first['id']}",
        json={"expires_on": "2026-02-01"},
        headers=till.head(),
    )
    assert response.status_code == 422
    assert "expires_on" in response.json()["detail"]
