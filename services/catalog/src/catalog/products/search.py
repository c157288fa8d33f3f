"""Accent- and case-insensitive product search over name, description and variant SKUs.

Each product keeps ``search_text`` (folded here, in Python, and trigram-indexed with
pg_trgm), so ``?search=cafe`` finds "Café" and a SKU fragment finds its product. The
term is folded the same way and matched literally: ``%`` and ``_`` are not wildcards.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, bindparam

from catalog.products.models import Product
from common.pagination import LIKE_ESCAPE, contains_pattern


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def search_text(name: str, description: str, skus: Iterable[str]) -> str:
    """What a product is found by."""
    return fold(" ".join([name, description, *skus]))


def search_pattern(search: str | None) -> str | None:
    """The LIKE pattern for ``?search=`` (None when there is nothing to search for)."""
    if not search or not search.strip():
        return None
    return contains_pattern(fold(search.strip()))


# The condition for ``?search=``: its pattern is the bound parameter ``search``.
MATCHING: ColumnElement[Any] = Product.search_text.like(bindparam("search"), escape=LIKE_ESCAPE)
