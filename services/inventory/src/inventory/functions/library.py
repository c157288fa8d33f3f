"""The functions a chain may call, each documented with its signature and an example.

A value is text, a ``Decimal`` or nothing (``None``, an empty cell). Text functions read a
number as its plain digits; number functions read text leniently (``$1,299.00``,
``1.299,00``, ``12 pcs`` is refused). Literal-only arguments (a pattern, a lookup table, an
index) are checked when the chain is compiled, so a chain that compiles runs on every row;
what a row's cell cannot become (``number("n/a")``) is a ``CellError`` for that cell only.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from common.money import round_money
from inventory.functions.patterns import MAX_SUBJECT, UnsafePattern, safe_pattern

Value = str | Decimal | None
MAX_TEXT = 2000  # characters a value may grow to (concat of long cells)
LARGEST = Decimal("1e12")
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d+)*|[.,]\d+)$")
_NOISE = re.compile(r"[\s$€£¥]|(?i:usd|eur|gbp)")


class CellError(ValueError):
    """What one cell's value cannot become (the row's other cells are unaffected)."""


class ArgumentError(ValueError):
    """A literal argument a function cannot use (found when the chain is compiled)."""


def text(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


def blank(value: Value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _bounded(result: str) -> str:
    return result[:MAX_TEXT]


def to_number(value: Value) -> Decimal | None:
    """``"$1,299.50"`` → 1299.50; ``"1.299,50"`` → 1299.50; blank → None; else CellError."""
    if value is None or isinstance(value, Decimal):
        return value
    raw = _NOISE.sub("", unicodedata.normalize("NFKC", value))[:40]
    if not raw:
        return None
    negative = raw.startswith("(") and raw.endswith(")")  # accounting style: (12.00)
    if negative:
        raw = raw[1:-1]
    if not _NUMBER.match(raw):
        raise CellError(f"{value[:40]!r} is not a number")
    last_dot, last_comma = raw.rfind("."), raw.rfind(",")
    if last_dot >= 0 and last_comma >= 0:  # the later separator is the decimal one
        decimal_sep = "." if last_dot > last_comma else ","
    elif last_comma >= 0:
        grouped = re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+", raw)
        decimal_sep = "." if grouped else ","
    elif last_dot >= 0:
        grouped = re.fullmatch(r"[+-]?\d{1,3}(\.\d{3}){2,}", raw)
        decimal_sep = "," if grouped else "."
    else:
        decimal_sep = "."
    thousands = "," if decimal_sep == "." else "."
    cleaned = raw.replace(thousands, "").replace(decimal_sep, ".")
    if cleaned.count(".") > 1:
        raise CellError(f"{value[:40]!r} is not a number")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise CellError(f"{value[:40]!r} is not a number") from None
    if abs(number) >= LARGEST:
        raise CellError(f"{value[:40]!r} is too large")
    return -number if negative else number


# -- the functions ------------------------------------------------------------------------


def concat(args: Sequence[Value]) -> Value:
    return _bounded("".join(text(arg) for arg in args))


def upper(args: Sequence[Value]) -> Value:
    return None if args[0] is None else text(args[0]).upper()


def lower(args: Sequence[Value]) -> Value:
    return None if args[0] is None else text(args[0]).lower()


def title(args: Sequence[Value]) -> Value:
    return None if args[0] is None else text(args[0]).title()


def trim(args: Sequence[Value]) -> Value:
    if args[0] is None:
        return None
    return " ".join(text(args[0]).split()) or None


def replace(args: Sequence[Value]) -> Value:
    if args[0] is None:
        return None
    old = text(args[1])
    if not old:
        return args[0]
    return _bounded(text(args[0]).replace(old, text(args[2])))


def first(args: Sequence[Value]) -> Value:
    return next((arg for arg in args if not blank(arg)), None)


def default(args: Sequence[Value]) -> Value:
    return args[1] if blank(args[0]) else args[0]


def number(args: Sequence[Value]) -> Value:
    return to_number(args[0])


def integer(args: Sequence[Value]) -> Value:
    found = to_number(args[0])
    if found is None:
        return None
    if found != found.to_integral_value():
        raise CellError(f"{text(args[0])[:40]!r} is not a whole number")
    return found.quantize(Decimal(1))


def money(args: Sequence[Value]) -> Value:
    found = to_number(args[0])
    return None if found is None else round_money(found)


def multiply(args: Sequence[Value]) -> Value:
    left, right = to_number(args[0]), to_number(args[1])
    if left is None or right is None:
        return None
    product = left * right
    if abs(product) >= LARGEST:
        raise CellError("the product is too large")
    return product


@dataclass(frozen=True)
class Prepared:
    """What a function made of its literal arguments when the chain was compiled."""

    pattern: re.Pattern[str] | None = None
    group: int = 0
    index: int = 0
    table: dict[str, str] = field(default_factory=dict)


def regex_extract(args: Sequence[Value], prepared: Prepared) -> Value:
    if args[0] is None or prepared.pattern is None:
        return None
    found = prepared.pattern.search(text(args[0])[:MAX_SUBJECT])
    if found is None:
        return None
    try:
        return found.group(prepared.group)
    except IndexError:
        return None


def split(args: Sequence[Value], prepared: Prepared) -> Value:
    if args[0] is None:
        return None
    separator = text(args[1])
    parts = text(args[0]).split(separator) if separator else text(args[0]).split()
    try:
        part = parts[prepared.index].strip()
    except IndexError:
        return None
    return part or None


def lookup(args: Sequence[Value], prepared: Prepared) -> Value:
    key = " ".join(text(args[0]).split()).casefold()
    if key in prepared.table:
        return prepared.table[key]
    return args[2] if len(args) > 2 else None


# -- preparing literal arguments ---------------------------------------------------------


def _literal_text(value: Value, what: str) -> str:
    if not isinstance(value, str):
        raise ArgumentError(f"{what} must be a string literal")
    return value


def _literal_int(value: Value, what: str, low: int, high: int) -> int:
    if not isinstance(value, Decimal) or value != value.to_integral_value():
        raise ArgumentError(f"{what} must be a whole number literal")
    if not low <= int(value) <= high:
        raise ArgumentError(f"{what} must be between {low} and {high}")
    return int(value)


def prepare_regex(literals: Sequence[Value]) -> Prepared:
    try:
        pattern = safe_pattern(_literal_text(literals[1], "the pattern"))
    except UnsafePattern as exc:
        raise ArgumentError(f"unsafe pattern: {exc}") from None
    group = _literal_int(literals[2], "the group", 0, 20) if len(literals) > 2 else 0
    if group > pattern.groups:
        raise ArgumentError(f"the pattern has {pattern.groups} group(s), not {group}")
    return Prepared(pattern=pattern, group=group)


def prepare_split(literals: Sequence[Value]) -> Prepared:
    _literal_text(literals[1], "the separator")
    return Prepared(index=_literal_int(literals[2], "the index", -50, 50))


def prepare_lookup(literals: Sequence[Value]) -> Prepared:
    """``"A=like_new; B=good"``: keys compared trimmed and ignoring case."""
    table: dict[str, str] = {}
    for pair in _literal_text(literals[1], "the table").split(";"):
        if not pair.strip():
            continue
        key, separator, value = pair.partition("=")
        if not separator or not key.strip():
            raise ArgumentError(f"the table entry {pair.strip()!r} is not key=value")
        table[" ".join(key.split()).casefold()] = value.strip()
    if not table:
        raise ArgumentError("the table has no key=value entry")
    return Prepared(table=table)


@dataclass(frozen=True)
class Function:
    name: str
    signature: str
    description: str
    example: str
    min_args: int
    max_args: int
    run: Callable[[Sequence[Value]], Value] | None = None
    run_prepared: Callable[[Sequence[Value], Prepared], Value] | None = None
    prepare: Callable[[Sequence[Value]], Prepared] | None = None
    literal_args: tuple[int, ...] = ()  # argument positions that must be literals


FUNCTIONS: dict[str, Function] = {
    function.name: function
    for function in (
        Function("concat", "concat(value, ...)", "Join the values as text.",
                 'concat([Brand], " ", [Model])', 1, 20, run=concat),
        Function("upper", "upper(text)", "Upper case.", "[Brand] | upper", 1, 1, run=upper),
        Function("lower", "lower(text)", "Lower case.", "[Condition] | lower", 1, 1, run=lower),
        Function("title", "title(text)", "Title Case.", "[Desc] | title", 1, 1, run=title),
        Function("trim", "trim(text)", "Strip and collapse whitespace (empty → nothing).",
                 "[Item Description] | trim", 1, 1, run=trim),
        Function("replace", "replace(text, old, new)", "Replace every occurrence of old.",
                 '[Desc] | replace("w/", "with ")', 3, 3, run=replace),
        Function("regex_extract", "regex_extract(text, pattern, group=0)",
                 "The first match of a (safe) pattern, or a group of it; nothing if none.",
                 'regex_extract([Desc], "(\\d+) ?GB", 1)', 2, 3,
                 run_prepared=regex_extract, prepare=prepare_regex, literal_args=(1, 2)),
        Function("split", "split(text, separator, index)",
                 "The index-th part (0 first, -1 last); separator \"\" splits on spaces.",
                 'split([Desc], ",", 0)', 3, 3,
                 run_prepared=split, prepare=prepare_split, literal_args=(1, 2)),
        Function("number", "number(text)",
                 "A number from text ($1,299.50, 1.299,50, (12.00) is negative).",
                 "[Qty] | number", 1, 1, run=number),
        Function("integer", "integer(text)", "A whole number (refuses 2.5).",
                 "[Qty] | integer", 1, 1, run=integer),
        Function("money", "money(text)", "A number rounded half up to cents.",
                 "[Unit Cost] | money", 1, 1, run=money),
        Function("multiply", "multiply(number, number)", "The product of two numbers.",
                 "multiply([Ext Cost], 0.5)", 2, 2, run=multiply),
        Function("default", "default(value, fallback)", "The fallback when the value is blank.",
                 '[Condition] | default("good")', 2, 2, run=default),
        Function("first", "first(value, ...)", "The first value that is not blank.",
                 "first([UPC], [EAN])", 1, 20, run=first),
        Function("lookup", "lookup(value, table, fallback?)",
                 "Map a value through a key=value table (keys ignore case and spacing).",
                 '[Grade] | lookup("A=like_new; B=good; C=fair", "good")', 2, 3,
                 run_prepared=lookup, prepare=prepare_lookup, literal_args=(1,)),
    )
}  # fmt: skip


def catalogue() -> list[dict[str, str]]:
    """The functions as ``manifest-rows`` lists them."""
    return [
        {
            "name": function.name,
            "signature": function.signature,
            "description": function.description,
            "example": function.example,
        }
        for function in FUNCTIONS.values()
    ]
