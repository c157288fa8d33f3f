"""The matcher on a labelled fixture: 30 catalog products and 40 vendor rows, each labelled
with the product it is (or none: a product the catalog does not have). What review relies
on: an automatic match is right (precision), the right product is among the candidates when
one exists (recall), and exact keys — UPC, the vendor's item number — win over text."""

from __future__ import annotations

import csv
import uuid
from pathlib import Path

from inventory.intake_products.repository import Known
from inventory.matching.matcher import Matcher, Query

FIXTURES = Path(__file__).resolve().parents[1] / "intake" / "fixtures"


def _products() -> list[Known]:
    with (FIXTURES / "matching_products.csv").open(encoding="utf-8") as handle:
        return [
            Known(
                uuid.uuid5(uuid.NAMESPACE_URL, row["name"]),
                row["name"],
                row["brand"],
                row["model"],
                (),
            )
            for row in csv.DictReader(handle)
        ]


def _rows() -> list[dict[str, str]]:
    with (FIXTURES / "matching_rows.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_automatic_matches_are_right_and_the_right_product_is_a_candidate() -> None:
    products = _products()
    by_name = {product.name: product.product_id for product in products}
    matcher = Matcher(products, upcs={}, refs={})
    automatic = right = candidates_found = labelled = wrongly_matched_unknowns = 0
    for row in _rows():
        outcome = matcher.match(Query(None, None, row["title"], row["brand"] or None, None))
        expected = by_name.get(row["expected"])
        if outcome.status == "matched":
            automatic += 1
            right += outcome.product_id == expected
            wrongly_matched_unknowns += expected is None
        if expected is not None:
            labelled += 1
            candidates_found += expected in {
                candidate.product_id for candidate in outcome.candidates
            }
    precision = right / automatic
    recall = candidates_found / labelled
    assert precision >= 0.95, f"precision {precision:.2f} ({right}/{automatic})"
    assert recall >= 0.9, f"candidate recall {recall:.2f} ({candidates_found}/{labelled})"
    assert automatic >= 20, f"only {automatic} of {labelled} labelled rows matched without review"
    assert wrongly_matched_unknowns == 0, "a product the catalog does not have was matched"


def test_a_number_in_the_product_name_must_be_in_the_row() -> None:
    """'iPhone 13 128GB' is never matched to a row saying 256GB, however close the words."""
    products = _products()
    by_name = {product.name: product.product_id for product in products}
    matcher = Matcher(products, upcs={}, refs={})
    outcome = matcher.match(Query(None, None, "Apple iPhone 13 512GB Blue", "Apple", None))
    assert outcome.status == "suggested" and outcome.product_id is None
    assert by_name["Apple iPhone 13 128GB"] in {
        candidate.product_id for candidate in outcome.candidates
    }


def test_upc_and_vendor_reference_win_over_text() -> None:
    products = _products()
    switch, lite = products[16].product_id, products[17].product_id
    matcher = Matcher(products, upcs={"045496882648": lite}, refs={"LL-9": switch})
    by_upc = matcher.match(Query("045496882648", "LL-9", "Nintendo Switch OLED", "Nintendo", None))
    assert (by_upc.status, by_upc.method, by_upc.product_id, by_upc.score) == (
        "matched",
        "upc",
        lite,
        100,
    )
    by_ref = matcher.match(Query(None, "ll-9", "something else entirely", None, None))
    assert (by_ref.method, by_ref.product_id) == ("vendor_ref", switch)


def test_aliases_are_matched_like_names() -> None:
    known = Known(uuid.uuid4(), "Widget Pro", "Acme", "", ("acme gizmo deluxe",))
    outcome = Matcher([known], upcs={}, refs={}).match(
        Query(None, None, "ACME GIZMO DELUXE", None, None)
    )
    assert (outcome.status, outcome.product_id) == ("matched", known.product_id)


def test_no_products_means_unmatched() -> None:
    outcome = Matcher([], upcs={}, refs={}).match(Query(None, None, "anything", None, None))
    assert (outcome.status, outcome.candidates) == ("unmatched", [])
