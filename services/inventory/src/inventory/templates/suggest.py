"""Suggesting mappings from a manifest's headers alone (no AI): each standard column takes
the header that is one of its synonyms, else contains one, else is closest to one
(rapidfuzz ratio of at least ``FUZZY_CUTOFF``); a header serves one column at most."""

from __future__ import annotations

import re
from collections.abc import Sequence

from rapidfuzz import fuzz

from inventory.functions.chains import normalise_header
from inventory.templates.standard import STANDARD_COLUMNS, Kind, StandardColumn

FUZZY_CUTOFF = 85


def _words(header: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9#]+", " ", normalise_header(header)).split())


def chain_for(column: StandardColumn, header: str) -> str:
    reference = "[" + header.replace("]", "]]") + "]"
    return {
        Kind.money: f"{reference} | money",
        Kind.quantity: f"{reference} | integer",
        Kind.upc: reference,
    }.get(column.kind, f"{reference} | trim")


def suggest_from_headers(headers: Sequence[str]) -> dict[str, str]:
    words = {header: _words(header) for header in headers}
    taken: set[str] = set()
    found: dict[str, str] = {}
    for rule in ("exact", "contains", "fuzzy"):
        for column in STANDARD_COLUMNS:
            if column.name in found:
                continue
            for header in headers:
                if header in taken:
                    continue
                text = words[header]
                if rule == "exact":
                    hit = text in column.synonyms
                elif rule == "contains":
                    hit = any(
                        re.search(rf"\b{re.escape(synonym)}\b", text)
                        for synonym in column.synonyms
                        if len(synonym) > 3
                    )
                else:
                    hit = (
                        max(fuzz.ratio(text, synonym) for synonym in column.synonyms)
                        >= FUZZY_CUTOFF
                    )
                if hit:
                    found[column.name] = chain_for(column, header)
                    taken.add(header)
                    break
    return {column.name: found[column.name] for column in STANDARD_COLUMNS if column.name in found}
