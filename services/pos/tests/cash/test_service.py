"""The property that no sequence of drops, draws and returns makes a drawer or the safe
disagree with its rows."""

from __future__ import annotations

import uuid
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from pos.cash.models import DrawerMovement, SafeTransaction
from tests.safe.arrange import expected_in_drawer, move_safe, safe_status
from tests.till import STORE_A, Till

# -- the property -----------------------------------------------------------------------------

STEP = st.tuples(
    st.sampled_from(["drop", "draw", "return"]),
    st.integers(min_value=1, max_value=15000),
    st.booleans(),  # draw or return through the drawer (a drop always is)
)


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(STEP, min_size=1, max_size=8), opening=st.integers(0, 10000))
async def test_drawer_and_safe_always_equal_the_sum_of_their_rows(
    till: Till, steps: list[tuple[str, int, bool]], opening: int
) -> None:
    """Any mix of drops, draws and returns, refused ones included: the drawer expects the sum
    of its movements, the safe's last balance is the sum of its amounts, and both are what a
    hand count of the accepted steps gives."""
    cents = Decimal("0.01")
    drawer = await till.drawer(str(opening * cents), code=f"P{uuid.uuid4().hex[:12]}")
    in_drawer = opening * cents
    in_safe = Decimal((await safe_status(till))["balance"])  # examples share store A's safe
    for kind, amount, via_drawer in steps:
        value = amount * cents
        if kind == "drop":
            response = await till.client.post(
                f"/api/pos/drawers/{drawer['id']}/drop",
                json={"amount": str(value)},
                headers=till.cashier(),
            )
            accepted, into_safe = value <= in_drawer, value
        else:
            response = await move_safe(till, kind, str(value), drawer if via_drawer else None)
            into_safe = value if kind == "return" else -value
            accepted = (
                value <= in_drawer if kind == "return" and via_drawer else into_safe + in_safe >= 0
            )
        assert response.status_code == (200 if accepted else 409)
        if accepted:
            in_safe += into_safe
            if kind == "drop" or via_drawer:
                in_drawer -= into_safe

    async with till.database.session() as session:
        summed_drawer = await session.scalar(
            select(func.sum(DrawerMovement.amount)).where(DrawerMovement.drawer_id == drawer["id"])
        )
        summed_safe = await session.scalar(
            select(func.sum(SafeTransaction.amount)).where(SafeTransaction.store_id == STORE_A)
        )
        last_balance = await session.scalar(
            select(SafeTransaction.balance_after)
            .where(SafeTransaction.store_id == STORE_A)
            .order_by(SafeTransaction.id.desc())
            .limit(1)
        )
    assert Decimal(await expected_in_drawer(till, drawer)) == summed_drawer == in_drawer
    assert (last_balance or Decimal("0.00")) == (summed_safe or Decimal("0.00")) == in_safe
    assert Decimal((await safe_status(till))["balance"]) == in_safe
