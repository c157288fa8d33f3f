"""The state machine through the API: draft → issued → partially_paid → paid and back as
payments change, void from any open state, and every illegal move refused with 409 naming
the current state and the states it may go to, changing nothing."""

from __future__ import annotations

from tests.conftest import Books


async def test_an_invoice_walks_through_its_states(books: Books) -> None:
    draft = await books.draft()
    assert draft["status"] == "draft"
    assert (await books.issue(draft["id"])).json()["status"] == "issued"
    first = await books.pay(draft["id"], "40.00")
    assert (await books.invoice(draft["id"]))["status"] == "partially_paid"
    second = await books.pay(draft["id"], "60.00")
    after = await books.invoice(draft["id"])
    assert (after["status"], after["paid_amount"], after["balance"]) == ("paid", "100.00", "0.00")
    deleted = await books.client.delete(f"/api/payments/{second.json()['id']}", headers=books.admin)
    assert deleted.status_code == 204
    assert (await books.invoice(draft["id"]))["status"] == "partially_paid"
    voided = await books.client.post(
        f"/api/invoices/{draft['id']}/void", json={"reason": "Wrong customer"}, headers=books.admin
    )
    assert voided.status_code == 200, voided.text
    assert (voided.json()["status"], voided.json()["paid_amount"]) == ("void", "0.00")
    assert voided.json()["void_reason"] == "Wrong customer"
    first_now = await books.client.get(f"/api/payments/{first.json()['id']}", headers=books.admin)
    assert first_now.json()["reversed_at"] is not None


async def refused(books: Books, method: str, url: str, body: object = None) -> str:
    before = await books.client.get("/api/invoices", headers=books.admin)
    response = await books.client.request(method, url, json=body, headers=books.admin)
    assert response.status_code == 409, response.text
    after = await books.client.get("/api/invoices", headers=books.admin)
    assert after.json() == before.json()
    return str(response.json()["detail"])


async def test_illegal_moves_name_the_current_and_the_allowed_states(books: Books) -> None:
    draft, issued = await books.draft(), await books.issued()
    paid = await books.issued()
    await books.pay(paid["id"], "100.00")
    void = await books.issued()
    await books.client.post(
        f"/api/invoices/{void['id']}/void", json={"reason": "x"}, headers=books.admin
    )

    detail = await refused(books, "POST", f"/api/invoices/{issued['id']}/issue")
    assert "is issued; it cannot become issued" in detail
    assert "From issued it can become: partially_paid, paid, overdue, void" in detail

    detail = await refused(books, "POST", f"/api/invoices/{draft['id']}/void", {"reason": "x"})
    assert (
        "is draft; it cannot become void" in detail and "From draft it can become: issued" in detail
    )
    assert "A draft is deleted instead" in detail

    detail = await refused(books, "POST", f"/api/invoices/{paid['id']}/void", {"reason": "x"})
    assert "is paid; it cannot become void" in detail
    assert "From paid it can become: partially_paid, issued" in detail and "force-delete" in detail

    detail = await refused(books, "POST", f"/api/invoices/{void['id']}/void", {"reason": "x"})
    assert "is void" in detail and "nothing (void is final)" in detail
    detail = await refused(books, "POST", f"/api/invoices/{void['id']}/issue")
    assert "is void" in detail

    detail = await refused(
        books,
        "POST",
        "/api/payments",
        {"invoice_id": draft["id"], "amount": "1.00", "method": "cash"},
    )
    assert "is draft; a payment needs it issued, partially_paid, overdue" in detail
    detail = await refused(
        books,
        "POST",
        "/api/payments",
        {"invoice_id": void["id"], "amount": "1.00", "method": "cash"},
    )
    assert "is void" in detail
    detail = await refused(books, "PATCH", f"/api/invoices/{void['id']}", {"notes": "x"})
    assert "is void; it can no longer change" in detail
