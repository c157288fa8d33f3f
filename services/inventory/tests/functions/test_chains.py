"""The function-chain language: what each function does, the errors a chain gets (with the
position), and two properties — parsing any text never crashes and never runs code, and a
compiled chain run on any row gives a value or a cell error, nothing else."""

from __future__ import annotations

import builtins
import string
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inventory.functions.chains import compile_chain, normalise_header
from inventory.functions.grammar import MAX_LENGTH, Call, ChainError, Column, Literal, parse
from inventory.functions.library import FUNCTIONS, CellError, to_number
from inventory.functions.patterns import UnsafePattern, safe_pattern

COLUMNS = ["Item Description", "Brand", "Qty", "Unit Cost ($)", "Grade", "UPC"]


def run(chain: str, *cells: str) -> object:
    return compile_chain(chain, COLUMNS).run(list(cells) + [""] * (len(COLUMNS) - len(cells)))


@pytest.mark.parametrize(
    ("chain", "cells", "expected"),
    [
        ("[Item Description] | trim", ["  iPhone   13  "], "iPhone 13"),
        ("[item  description] | upper", ["ipad"], "IPAD"),  # columns compare normalised
        ('concat([Brand], " ", [Item Description])', ["Air", "Apple"], "Apple Air"),
        ('regex_extract([Item Description], "(\\d+) ?GB", 1)', ["iPhone 128 GB"], "128"),
        ('regex_extract([Item Description], "(\\d+) ?GB", 1)', ["iPhone"], None),
        ('split([Item Description], "/", -1)', ["a / b / c "], "c"),
        ("[Qty] | integer", ["", "", "1,200"], Decimal(1200)),
        ("[Unit Cost ($)] | money", ["", "", "", "$1,299.555"], Decimal("1299.56")),
        ("[Unit Cost ($)] | money", ["", "", "", "1.299,50"], Decimal("1299.50")),
        ("[Unit Cost ($)] | number", ["", "", "", "(12.00)"], Decimal("-12.00")),
        ('[Grade] | lookup("A=like_new; B = good", "fair")', ["", "", "", "", " b "], "good"),
        ('[Grade] | lookup("A=like_new", "fair")', ["", "", "", "", "Z"], "fair"),
        ('[Grade] | default("good")', [], "good"),
        ("first([UPC], [Brand])", ["", "Apple"], "Apple"),
        ('[Brand] | replace("Appl", "APPL") | lower', ["", "Apple"], "apple"),
        ("multiply([Qty], 0.5)", ["", "", "7"], Decimal("3.5")),
    ],
)
def test_each_function_does_what_its_documentation_says(
    chain: str, cells: list[str], expected: object
) -> None:
    assert run(chain, *cells) == expected


@pytest.mark.parametrize(
    ("chain", "message", "position"),
    [
        ("[Item Desc] | trim", "Unknown column [Item Desc]", 0),
        ("trim([Brand]) | frobnicate", "Unknown function 'frobnicate'", 16),
        ("[Brand] | trim(1)", "trim takes 1 argument(s), not 2", 10),
        ("regex_extract([Brand], [Grade])", "Argument 2 of regex_extract must be a literal", 0),
        ('regex_extract([Brand], "(a+)+")', "a repetition inside a repetition", 0),
        ('regex_extract([Brand], "(ab|a)*x")', "alternatives inside a repetition", 0),
        ('regex_extract([Brand], "(a)\\1")', "backreferences", 0),
        ('regex_extract([Brand], "([")', "does not compile", 0),
        ('lookup([Grade], "no pairs")', "is not key=value", 0),
        ("[Brand] |", "Expected a function name", 9),
        ("concat([Brand] [Grade])", "Expected ')'", 15),
        ("Brand", "'Brand' is not a value", 0),
        ("[Brand", "not closed with ]", 0),
        ('"open', "A string is not closed", 0),
        ("", "The chain is empty", 0),
        ("[Brand] @", "Unexpected character '@'", 8),
    ],
)
def test_a_bad_chain_names_the_problem_and_its_position(
    chain: str, message: str, position: int
) -> None:
    with pytest.raises(ChainError) as caught:
        compile_chain(chain, COLUMNS)
    assert message in caught.value.message
    assert caught.value.position == position


def test_an_unknown_column_error_lists_the_columns_there_are() -> None:
    with pytest.raises(ChainError) as caught:
        compile_chain("[Descr]", COLUMNS)
    assert "[Item Description], [Brand], [Qty]" in caught.value.message


def test_a_cell_that_cannot_be_read_is_that_cells_error() -> None:
    with pytest.raises(CellError, match="'n/a' is not a number"):
        run("[Qty] | integer", "", "", "n/a")
    with pytest.raises(CellError, match="not a whole number"):
        run("[Qty] | integer", "", "", "2.5")


def test_headers_compare_without_case_accents_or_spacing() -> None:
    assert normalise_header("  Coût  UNITAIRE ") == normalise_header("cout unitaire")


def test_numbers_are_read_as_shops_write_them() -> None:
    assert to_number("1,299") == Decimal(1299)
    assert to_number("12,5") == Decimal("12.5")
    assert to_number("1.299.000") == Decimal(1299000)
    assert to_number("€ 9,99") == Decimal("9.99")
    for bad in ("1.2.3", "12 pcs", "1e9", "--1", "NaN", "Infinity", "1" * 20):
        with pytest.raises(CellError):
            to_number(bad)


def test_patterns_that_could_run_for_long_are_refused() -> None:
    for pattern in ("(x+x+)+y", "(\\w*)*", "\\d*\\d*\\d*x", "a{1,1000}b{1,1000}c{1,1000}"):
        with pytest.raises(UnsafePattern):
            safe_pattern(pattern)
    assert safe_pattern("(\\d+) ?GB").search("128 GB") is not None


# -- properties ---------------------------------------------------------------------------

NAMES = sorted(FUNCTIONS)
ALPHABET = string.printable + "éü€[]|(),\"'\\"


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=ALPHABET, max_size=120))
def test_parsing_any_text_gives_a_tree_or_a_chain_error(source: str) -> None:
    try:
        tree = parse(source)
    except ChainError as error:
        assert 0 <= error.position <= max(len(source), MAX_LENGTH)
    else:
        assert isinstance(tree, Column | Literal | Call)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["__import__('os').system('true')", "eval('1')", "open('/etc/passwd')",
                        "[a].__class__", "exec", "lambda: 1", "globals()", "getattr([a], 'x')"]))  # fmt: skip
def test_python_is_never_a_chain(source: str) -> None:
    """Names resolve only to the library's functions: Python's builtins are unknown names."""
    with pytest.raises(ChainError):
        compile_chain(source, ["a"])


def _leaf() -> st.SearchStrategy[str]:
    column = st.sampled_from(COLUMNS).map(lambda name: f"[{name}]")
    text = st.text(alphabet=string.ascii_letters + " =;,.-", max_size=12).map(
        lambda s: '"' + s + '"'
    )
    number = st.integers(-50, 500).map(str)
    return st.one_of(column, text, number)


def _chains() -> st.SearchStrategy[str]:
    def call(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.tuples(st.sampled_from(NAMES), st.lists(children, min_size=1, max_size=3)).map(
            lambda parts: f"{parts[0]}({', '.join(parts[1])})"
        )

    def piped(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.tuples(children, st.sampled_from(NAMES)).map(
            lambda parts: f"{parts[0]} | {parts[1]}"
        )

    return st.recursive(
        _leaf(), lambda children: st.one_of(call(children), piped(children)), max_leaves=8
    )


CELLS = st.lists(
    st.one_of(st.text(max_size=40), st.sampled_from(["1,299.00", "(3)", "12", "n/a", "A", ""])),
    min_size=len(COLUMNS),
    max_size=len(COLUMNS),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_chains(), CELLS)
def test_a_compiled_chain_gives_a_value_or_a_cell_error_on_any_row(
    source: str, cells: list[str]
) -> None:
    try:
        chain = compile_chain(source, COLUMNS)
    except ChainError:
        return
    try:
        value = chain.run(cells)
    except CellError:
        return
    assert value is None or isinstance(value, str | Decimal)
    if isinstance(value, str):
        assert len(value) <= 2000


def test_no_builtin_name_is_a_function() -> None:
    assert not set(FUNCTIONS) & set(dir(builtins)) - {"title"}  # only the library's own names
