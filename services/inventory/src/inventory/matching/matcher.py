"""The matcher: a manifest row → a product, with how sure it is and the candidates.

In order: the row's UPC names a product (``upc``, score 100); the vendor's item number is a
vendor product ref (``vendor_ref``, 100); else fuzzy text (rapidfuzz ``token_set_ratio`` of
"brand title" against each product's "brand name", "brand model" and aliases, after
rapidfuzz's default processing: lower case, punctuation to spaces). A fuzzy match is
``matched`` only when its score is at least ``AUTO_SCORE``, the next other product trails by
``MARGIN``, and every number in the product's name (13, 128gb) is in the row's text
(``_numbers_agree``) —
otherwise ``suggested`` with up to ``CANDIDATES`` candidates above ``CANDIDATE_SCORE``, or
``unmatched``. Pure: the index is built from what the caller loaded.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process, utils

from inventory.intake_products.repository import Known

AUTO_SCORE = 90
MARGIN = 5
CANDIDATE_SCORE = 55
CANDIDATES = 5
_NUMBERED = re.compile(r"\d")


@dataclass(frozen=True)
class Candidate:
    product_id: uuid.UUID
    name: str
    score: int
    method: str


@dataclass(frozen=True)
class Query:
    upc: str | None
    vendor_sku: str | None
    title: str
    brand: str | None
    model: str | None


@dataclass(frozen=True)
class Outcome:
    status: str  # matched, suggested, unmatched
    method: str | None
    score: int | None
    product_id: uuid.UUID | None
    candidates: list[Candidate] = field(default_factory=list)


class Matcher:
    def __init__(
        self,
        products: Sequence[Known],
        *,
        upcs: Mapping[str, uuid.UUID],
        refs: Mapping[str, uuid.UUID],
    ) -> None:
        self.names = {product.product_id: product.name for product in products}
        self.upcs = upcs
        self.refs = {number.upper(): product for number, product in refs.items()}
        self.choices: list[str] = []
        self.owners: list[uuid.UUID] = []
        self.numbers: dict[uuid.UUID, set[str]] = {}
        for product in products:
            self.numbers[product.product_id] = _numbers(product.name)
            model = f"{product.brand} {product.model}" if product.model else ""
            for text in (_with_brand(product.name, product.brand), model, *product.aliases):
                processed = utils.default_process(text)
                if processed:
                    self.choices.append(processed)
                    self.owners.append(product.product_id)
        # every outcome given, by text (or exact key): one per distinct row, kept for the run
        self._seen: dict[str, Outcome] = {}

    def match(self, row: Query) -> Outcome:
        if row.upc and row.upc in self.upcs:
            return self._exact(self.upcs[row.upc], "upc")
        if row.vendor_sku and row.vendor_sku.upper() in self.refs:
            return self._exact(self.refs[row.vendor_sku.upper()], "vendor_ref")
        processed = "text:" + utils.default_process(_with_brand(row.title, row.brand))
        if processed not in self._seen:  # manifests repeat lines: score each text once
            self._seen[processed] = self._fuzzy(processed.removeprefix("text:"))
        return self._seen[processed]

    def _exact(self, product_id: uuid.UUID, method: str) -> Outcome:
        key = f"{method}:{product_id}"
        if key not in self._seen:
            candidate = Candidate(product_id, self.names.get(product_id, ""), 100, method)
            self._seen[key] = Outcome("matched", method, 100, product_id, [candidate])
        return self._seen[key]

    def _fuzzy(self, processed: str) -> Outcome:
        if not processed or not self.choices:
            return Outcome("unmatched", None, None, None)
        found = process.extract(
            processed,
            self.choices,
            scorer=fuzz.token_set_ratio,
            processor=None,
            limit=CANDIDATES * 4,
            score_cutoff=CANDIDATE_SCORE,
        )
        best: dict[uuid.UUID, int] = {}
        for _, score, index in found:
            owner = self.owners[index]
            best[owner] = max(best.get(owner, 0), round(score))
        ranked = sorted(best.items(), key=lambda pair: (-pair[1], str(pair[0])))[:CANDIDATES]
        candidates = [
            Candidate(owner, self.names.get(owner, ""), score, "fuzzy") for owner, score in ranked
        ]
        if not candidates:
            return Outcome("unmatched", None, None, None)
        top = candidates[0]
        runner_up = candidates[1].score if len(candidates) > 1 else 0
        sure = (
            top.score >= AUTO_SCORE
            and top.score - runner_up >= MARGIN
            and _numbers_agree(self.numbers.get(top.product_id, set()), processed)
        )
        if sure:
            return Outcome("matched", "fuzzy", top.score, top.product_id, candidates)
        return Outcome("suggested", "fuzzy", top.score, None, candidates)


def _with_brand(name: str, brand: str | None) -> str:
    """The brand in front of a name that does not say it already."""
    if brand and brand.casefold() not in name.casefold():
        return f"{brand} {name}"
    return name


def _numbers_agree(numbers: set[str], processed: str) -> bool:
    """Every number of the product's name is in the row: a plain number as a word ("13"),
    a number with letters anywhere, spacing ignored ("128gb" in "128 GB", "1000xm4" in
    "WH1000XM4")."""
    words, compact = set(processed.split()), processed.replace(" ", "")
    return all(
        number in words or (not number.isdigit() and number in compact) for number in numbers
    )


def _numbers(text: str) -> set[str]:
    return {word for word in utils.default_process(text).split() if _NUMBERED.search(word)}
