"""The property of seed 003's payments: for any sequence of creates, updates and deletes,
refused ones included, the invoice's paid amount is the sum of its payments and its status
follows from it (issued at nothing, partially_paid below the total, paid at the total)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import Books, line

TOTAL = Decimal("100.00")
STEP = st.tuples(
    st.sampled_from(["create", "update", "delete"]),
    st.integers(min_value=1, max_value=7000).map(lambda cents: Decimal(cents) / 100),
    st.integers(min_value=0, max_value=10),  # which payment an update or delete picks
)


def expected_status(paid: Decimal) -> str:
    if paid >= TOTAL:
        return "paid"
    return "partially_paid" if paid > 0 else "issued"


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(STEP, min_size=1, max_size=8))
async def test_paid_amount_is_the_sum_of_the_payments_and_status_follows(
    books: Books, steps: list[tuple[str, Decimal, int]]
) -> None:
    invoice = await books.issued(lines=[line(str(TOTAL))])
    live: dict[str, Decimal] = {}  # the payments a hand count says exist
    for kind, amount, pick in steps:
        paid = sum(live.values(), Decimal(0))
        if kind == "create" or not live:
            response = await books.pay(invoice["id"], str(amount))
            accepted = amount <= TOTAL - paid
            assert response.status_code == (201 if accepted else 422), response.text
            if accepted:
                live[response.json()["id"]] = amount
            continue
        payment = sorted(live)[pick % len(live)]
        url = f"/api/payments/{payment}"
        if kind == "update":
            response = await books.client.patch(
                url, json={"amount": str(amount)}, headers=books.admin
            )
            accepted = amount <= TOTAL - paid + live[payment]
            assert response.status_code == (200 if accepted else 422), response.text
            if accepted:
                live[payment] = amount
        else:
            response = await books.client.delete(url, headers=books.admin)
            assert response.status_code == 204, response.text
            del live[payment]
        stored = await books.client.get(
            "/api/payments",
            params={"invoice": invoice["id"], "page_size": 100},
            headers=books.admin,
        )
        assert {row["id"]: Decimal(row["amount"]) for row in stored.json()["results"]} == live
    now = await books.invoice(invoice["id"])
    paid = sum(live.values(), Decimal(0))
    assert Decimal(now["paid_amount"]) == paid
    assert Decimal(now["balance"]) == TOTAL - paid
    assert now["status"] == expected_status(paid)
