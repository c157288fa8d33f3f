"""The standard columns every manifest is mapped to, and turning one raw row into them.

A mapping names, for each standard column it fills, a function chain over the manifest's
columns (``inventory.functions``); ``spec.<name>`` keys fill the row's specs. After the
chain, each value is read as its column's kind: text (trimmed, capped), a whole quantity
(1 when unmapped or blank), money (never below zero), a UPC (its digits: 6 to 14), a
condition (one of the item conditions, read leniently: "Like New", "open box").
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from common.money import round_money
from inventory.functions.chains import Chain, ChainError, compile_chain, normalise_header
from inventory.functions.library import CellError, Value, text, to_number
from inventory.items.models import Condition

SPEC_PREFIX = "spec."
MAX_SPECS = 30
HIGHEST_MONEY = Decimal("9999999999.99")
MAX_QUANTITY = 10_000


class Kind(StrEnum):
    text = "text"
    quantity = "quantity"
    money = "money"
    upc = "upc"
    condition = "condition"


@dataclass(frozen=True)
class StandardColumn:
    name: str
    kind: Kind
    description: str
    max_length: int = 300
    required: bool = False
    synonyms: tuple[str, ...] = ()


STANDARD_COLUMNS: tuple[StandardColumn, ...] = (
    StandardColumn("title", Kind.text, "What the unit is called on the shelf", 300, True,
                   ("title", "item title", "product name", "item name", "name", "description",
                    "item description", "desc", "product description", "item desc", "product")),
    StandardColumn("brand", Kind.text, "Brand or manufacturer", 120,
                   synonyms=("brand", "manufacturer", "mfr", "mfg", "make", "brand name")),
    StandardColumn("model", Kind.text, "Model name or number", 120,
                   synonyms=("model", "model number", "model no", "model #", "mpn", "model name")),
    StandardColumn("upc", Kind.upc, "UPC / EAN / GTIN digits", 14,
                   synonyms=("upc", "upc code", "ean", "gtin", "barcode", "upc ean", "upc #")),
    StandardColumn("vendor_sku", Kind.text, "The vendor's item number", 80,
                   synonyms=("sku", "vendor sku", "item #", "item number", "item no", "part number",
                             "part #", "vendor item", "item id", "lot item", "asin")),
    StandardColumn("quantity", Kind.quantity, "Units of this row (1 when blank)",
                   synonyms=("qty", "quantity", "units", "count", "qty shipped", "pieces")),
    StandardColumn("unit_cost", Kind.money, "What one unit cost",
                   synonyms=("unit cost", "cost", "your cost", "price paid", "unit price",
                             "cost each", "wholesale")),
    StandardColumn("retail_price", Kind.money, "Retail / list price of one unit",
                   synonyms=("retail", "msrp", "retail price", "list price", "orig retail",
                             "original retail", "srp")),
    StandardColumn("condition", Kind.condition, "new, like_new, good, fair, poor, for_parts",
                   synonyms=("condition", "grade", "cond", "item condition", "quality")),
    StandardColumn("category", Kind.text, "Category name", 140,
                   synonyms=("category", "department", "dept", "type", "product type", "class")),
    StandardColumn("description", Kind.text, "Longer description", 5000,
                   synonyms=("notes", "details", "long description", "comments")),
)  # fmt: skip
COLUMNS: dict[str, StandardColumn] = {column.name: column for column in STANDARD_COLUMNS}
CONDITION_WORDS: dict[str, Condition] = {
    "new": Condition.new, "brand new": Condition.new, "sealed": Condition.new, "nib": Condition.new,
    "like new": Condition.like_new, "open box": Condition.like_new, "refurbished": Condition.like_new,
    "excellent": Condition.like_new, "good": Condition.good, "used": Condition.good,
    "very good": Condition.good, "fair": Condition.fair, "acceptable": Condition.fair,
    "poor": Condition.poor, "damaged": Condition.poor, "for parts": Condition.for_parts,
    "parts": Condition.for_parts, "salvage": Condition.for_parts, "as is": Condition.for_parts,
}  # fmt: skip


def header_signature(headers: Sequence[str]) -> str:
    """A known layout's key: the hash of its normalised header list, in order."""
    joined = "\n".join(normalise_header(header) for header in headers)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()


def is_target(name: str) -> bool:
    return name in COLUMNS or (
        name.startswith(SPEC_PREFIX) and bool(re.fullmatch(r"[a-z0-9_]{1,40}", name[5:]))
    )


@dataclass(frozen=True)
class Mapping_:
    """Compiled mappings of one manifest: standard column (or spec.x) → chain."""

    chains: dict[str, Chain]


class MappingError(ValueError):
    """A mapping that cannot be used: ``problems`` name each key (and the chain's position)."""

    def __init__(self, problems: list[dict[str, Any]]) -> None:
        super().__init__("; ".join(problem["msg"] for problem in problems))
        self.problems = problems


def compile_mappings(mappings: Mapping[str, str], headers: Sequence[str]) -> Mapping_:
    problems: list[dict[str, Any]] = []
    chains: dict[str, Chain] = {}
    specs = [name for name in mappings if name.startswith(SPEC_PREFIX)]
    if len(specs) > MAX_SPECS:
        problems.append(_problem("mappings", f"At most {MAX_SPECS} spec.* mappings."))
    for name, chain in mappings.items():
        if not is_target(name):
            known = ", ".join(COLUMNS)
            problems.append(
                _problem(
                    f"mappings.{name}", f"Unknown standard column {name!r}: {known} or spec.<name>"
                )
            )
            continue
        try:
            chains[name] = compile_chain(chain, headers)
        except ChainError as exc:
            problems.append(
                {**_problem(f"mappings.{name}", f"{exc.message} (at position {exc.position})"),
                 "position": exc.position}
            )  # fmt: skip
    if "title" not in mappings and not problems:
        problems.append(_problem("mappings.title", "The title column must be mapped."))
    if problems:
        raise MappingError(problems)
    return Mapping_(chains)


def _problem(field_name: str, message: str) -> dict[str, Any]:
    return {
        "field": field_name,
        "loc": ["body", *field_name.split(".", 1)],
        "msg": message,
        "type": "value_error",
    }


@dataclass
class Standardised:
    """One raw row in the standard columns, and what could not be read (column → why)."""

    row_no: int
    values: dict[str, Any] = field(default_factory=dict)
    specs: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    def searchable(self) -> str:
        parts = [
            str(value) if isinstance(value, int) else text(value)
            for value in self.values.values()
            if value is not None
        ]
        return " ".join([*parts, *self.specs.values()]).casefold()


def standardise(row_no: int, cells: Sequence[str], mapping: Mapping_) -> Standardised:
    result = Standardised(row_no)
    for name, chain in mapping.chains.items():
        try:
            value = chain.run(cells)
        except CellError as exc:
            result.errors[name] = str(exc)
            continue
        if name.startswith(SPEC_PREFIX):
            spec = " ".join(text(value).split())[:200]
            if spec:
                result.specs[name.removeprefix(SPEC_PREFIX)] = spec
            continue
        try:
            result.values[name] = read_as(COLUMNS[name], value)
        except CellError as exc:
            result.errors[name] = str(exc)
    for column in STANDARD_COLUMNS:
        result.values.setdefault(column.name, None)
        if (
            column.required
            and result.values[column.name] is None
            and column.name not in result.errors
        ):
            result.errors[column.name] = f"{column.name} is blank"
    if result.values["quantity"] is None and "quantity" not in result.errors:
        result.values["quantity"] = 1
    return result


def read_as(column: StandardColumn, value: Value) -> Any:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if column.kind == Kind.text:
        cleaned = " ".join(text(value).split())
        if len(cleaned) > column.max_length:
            raise CellError(f"longer than {column.max_length} characters")
        return cleaned
    if column.kind == Kind.quantity:
        number = to_number(value)
        if number is None:
            return None
        if number != number.to_integral_value() or not 1 <= number <= MAX_QUANTITY:
            raise CellError(
                f"quantity {text(value)[:20]!r} is not a whole number from 1 to {MAX_QUANTITY}"
            )
        return int(number)
    if column.kind == Kind.money:
        number = to_number(value)
        if number is None:
            return None
        if number < 0:
            raise CellError(f"{column.name} {text(value)[:20]!r} is below zero")
        if number > HIGHEST_MONEY:
            raise CellError(f"{column.name} {text(value)[:20]!r} is too large")
        if column.name == "unit_cost":  # valuation keeps four places (inventory.money)
            return number.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
        return round_money(number)
    if column.kind == Kind.upc:
        digits = re.sub(r"\D", "", text(value))
        if not digits:
            return None
        if not 6 <= len(digits) <= 14:
            raise CellError(f"UPC {text(value)[:20]!r} does not have 6 to 14 digits")
        return digits
    return read_condition(text(value))


def read_condition(raw: str) -> str:
    key = re.sub(r"[^a-z0-9]+", " ", raw.casefold()).strip()
    if key.replace(" ", "_") in Condition.__members__:
        return Condition(key.replace(" ", "_")).value
    if key in CONDITION_WORDS:
        return CONDITION_WORDS[key].value
    known = ", ".join(condition.value for condition in Condition)
    raise CellError(f"condition {raw[:30]!r} is not one of {known}")
