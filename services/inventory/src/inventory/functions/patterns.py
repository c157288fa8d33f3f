"""Regular expressions a chain may use, checked so that no cell can make one run for long.

Python's ``re`` has no time limit, and a pattern like ``(a+)+b`` backtracks exponentially
on ``aaaa…``. A chain's pattern is refused unless it is at most ``MAX_PATTERN`` characters
with no backreference, no repetition inside a repetition, no alternation inside a
repetition and at most ``MAX_UNBOUNDED`` unbounded repetitions; and a cell is matched on
its first ``MAX_SUBJECT`` characters only. Under those rules the work per cell is at most
quadratic in a few hundred characters.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

# the stdlib's own parser of patterns and its opcodes (re._parser, re._constants since 3.11)
sre_parse: Any = importlib.import_module("re._parser")
sre: Any = importlib.import_module("re._constants")

MAX_PATTERN = 200
MAX_SUBJECT = 500
MAX_UNBOUNDED = 2
BOUNDED = 50  # a repetition {m,n} with n above this counts as unbounded

REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT))


class UnsafePattern(ValueError):
    """The pattern does not compile or could run for long; the message says which rule."""


def safe_pattern(pattern: str) -> re.Pattern[str]:
    if len(pattern) > MAX_PATTERN:
        raise UnsafePattern(f"a pattern is at most {MAX_PATTERN} characters")
    try:
        compiled = re.compile(pattern)
        tree = sre_parse.parse(pattern)
    except (re.error, OverflowError, RecursionError, ValueError) as exc:
        raise UnsafePattern(f"the pattern does not compile: {exc}") from None
    unbounded = _check(tree, inside_repeat=False)
    if unbounded > MAX_UNBOUNDED:
        raise UnsafePattern(
            f"at most {MAX_UNBOUNDED} unbounded repetitions (+, *, {{n,}}) per pattern"
        )
    return compiled


def _check(items: Any, *, inside_repeat: bool) -> int:
    """Walk the parsed pattern; the number of unbounded repetitions, or UnsafePattern."""
    unbounded = 0
    for op, argument in items:
        if op in (sre.GROUPREF, sre.GROUPREF_EXISTS):
            raise UnsafePattern("backreferences are not allowed")
        if op in REPEATS:
            _, high, body = argument
            if inside_repeat:
                raise UnsafePattern("a repetition inside a repetition is not allowed, e.g. (a+)+")
            if high is sre.MAXREPEAT or high > BOUNDED:
                unbounded += 1
            unbounded += _check(body, inside_repeat=True)
        elif op == sre.BRANCH:
            if inside_repeat:
                raise UnsafePattern("alternatives inside a repetition are not allowed, e.g. (a|b)+")
            for branch in argument[1]:
                unbounded += _check(branch, inside_repeat=inside_repeat)
        elif op == sre.SUBPATTERN:
            unbounded += _check(argument[-1], inside_repeat=inside_repeat)
        elif op in (sre.ASSERT, sre.ASSERT_NOT):
            unbounded += _check(argument[1], inside_repeat=inside_repeat)
        elif op == getattr(sre, "ATOMIC_GROUP", None):
            unbounded += _check(argument, inside_repeat=inside_repeat)
    return unbounded
