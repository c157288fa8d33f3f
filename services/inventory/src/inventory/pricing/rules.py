"""How a proposed price is made from a row: a percentage of its retail price, or its unit
cost with a markup; rounded half up to cents (``common.money.round_money``)."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from common.money import round_money

HUNDRED = Decimal(100)


class Basis(StrEnum):
    retail = "retail"  # percent of the manifest's retail price
    cost = "cost"  # unit cost plus markup percent


def propose(
    *, basis: Basis, percent: Decimal, retail: Decimal | None, cost: Decimal | None, currency: str
) -> Decimal | None:
    """The proposed price, or None when the row lacks the basis."""
    if basis == Basis.retail:
        return None if retail is None else round_money(retail * percent / HUNDRED, currency)
    return None if cost is None else round_money(cost * (HUNDRED + percent) / HUNDRED, currency)
