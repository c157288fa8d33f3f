"""Compiling a parsed chain against a manifest's columns, and running it on a row.

``compile_chain(text, columns)`` parses the text, checks every function name, argument
count, literal-only argument and column reference (``ChainError`` at the position of the
first problem: an unknown column is named with the columns there are), and returns a
``Chain``: a tree of closures over the library's functions. ``Chain.run(row)`` gives the
value, or raises ``CellError`` for a cell the chain cannot read. Columns are matched by
their normalised name (case, spacing and accents ignored), as header signatures are.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from inventory.functions.grammar import Call, ChainError, Column, Literal, Node, parse
from inventory.functions.library import FUNCTIONS, ArgumentError, CellError, Value

Row = Sequence[str]
Step = Callable[[Row], Value]

__all__ = ["CellError", "Chain", "ChainError", "compile_chain", "normalise_header"]


def normalise_header(name: str) -> str:
    """How headers and column references compare: NFKC, accents dropped, lower case, one
    space between words (``" Unit  Cost ($)"`` and ``"unit cost ($)"`` are one column)."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(unicodedata.normalize("NFKC", plain).casefold().split())


@dataclass(frozen=True)
class Chain:
    text: str
    tree: Node
    step: Step

    def run(self, row: Row) -> Value:
        return self.step(row)


def compile_chain(text: str, columns: Sequence[str]) -> Chain:
    """A runnable chain over rows whose cells follow ``columns``, or ``ChainError``."""
    index = {normalise_header(name): position for position, name in enumerate(columns)}
    tree = parse(text)
    return Chain(text, tree, _compile(tree, index, columns))


def _compile(node: Node, index: Mapping[str, int], columns: Sequence[str]) -> Step:
    if isinstance(node, Column):
        position = index.get(normalise_header(node.name))
        if position is None:
            known = ", ".join(f"[{name}]" for name in columns[:30])
            raise ChainError(
                f"Unknown column [{node.name}]; the manifest has {known}", node.position
            )
        return _cell(position)
    if isinstance(node, Literal):
        value = node.value
        return lambda row: value
    return _call(node, index, columns)


def _cell(position: int) -> Step:
    def cell(row: Row) -> Value:
        value = row[position] if position < len(row) else ""
        return value if value.strip() else None

    return cell


def _call(node: Call, index: Mapping[str, int], columns: Sequence[str]) -> Step:
    function = FUNCTIONS.get(node.name)
    if function is None:
        known = ", ".join(sorted(FUNCTIONS))
        raise ChainError(
            f"Unknown function {node.name!r}; the functions are {known}", node.position
        )
    count = len(node.args)
    if not function.min_args <= count <= function.max_args:
        wanted = (
            str(function.min_args)
            if function.min_args == function.max_args
            else f"{function.min_args} to {function.max_args}"
        )
        raise ChainError(
            f"{function.name} takes {wanted} argument(s), not {count} ({function.signature}; "
            "a piped value is the first)",
            node.position,
        )
    for position in function.literal_args:
        if position < count and not isinstance(node.args[position], Literal):
            raise ChainError(
                f"Argument {position + 1} of {function.name} must be a literal "
                f"({function.signature})",
                node.position,
            )
    steps = [_compile(arg, index, columns) for arg in node.args]
    if function.prepare is not None and function.run_prepared is not None:
        literals = [arg.value if isinstance(arg, Literal) else None for arg in node.args]
        try:
            prepared = function.prepare(literals)
        except ArgumentError as exc:
            raise ChainError(f"{function.name}: {exc}", node.position) from None
        run_prepared = function.run_prepared

        def call_prepared(row: Row) -> Value:
            return run_prepared([step(row) for step in steps], prepared)

        return call_prepared
    run = function.run
    if run is None:  # every function has one of the two
        raise ChainError(f"{function.name} cannot run", node.position)

    def call(row: Row) -> Value:
        return run([step(row) for step in steps])

    return call
