"""Money types inventory needs beyond ``common.money``'s: a unit cost with four decimals.

Purchase order lines and stock entry lines value stock at ``NUMERIC(14,4)`` (a moving
average needs the extra places); a unit's own cost and every price stay
``common.money.Amount``.
"""

from __future__ import annotations

from common.money import decimal_type

UnitCost = decimal_type(places=4, integer_digits=10, what="unit cost", example="42.5000")
