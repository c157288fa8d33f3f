"""A flow's start and a signature's removal are announced through the outbox (issue 13), in
the order they happened; a refused start or removal announces nothing."""

from __future__ import annotations

from typing import Any

from common.roles import Role
from tests.conftest import STORE_A, Shop
from tests.invariants import outbox_events, outbox_subjects
from tests.procurement import act, order, template, vendor


async def test_a_flow_started_at_submit_and_a_removed_signature_are_announced(
    shop: Shop, auth_headers: Any
) -> None:
    stores = [str(STORE_A)]
    requester = auth_headers(Role.advisor, user_id="advisor-req", stores=stores)
    head = auth_headers(Role.branch_head, user_id="head-1", stores=stores)
    admin = auth_headers(Role.system_admin, user_id="admin-9")
    made = await template(
        shop.client, admin, [{"role": "branch_head"}, {"role": "branch_head"}], min_signatures=2
    )
    supplier = await vendor(shop.client, requester)
    draft = await order(
        shop.client,
        requester,
        supplier["id"],
        [{"description": "Lot", "quantity": "1", "unit_cost": "80"}],
    )
    submitted = await act(shop.client, requester, draft["id"], "submit")
    assert submitted.status_code == 200 and submitted.json()["status"] == "pending_approval"
    url = f"/api/inventory/purchase-orders/{draft['id']}"
    signed = await shop.client.post(f"{url}/sign", json={"comment": "ok"}, headers=head)
    assert signed.status_code == 200, signed.text

    before = await outbox_subjects(shop.database, "inventory.approval.")
    for method, path, headers, status in (
        ("POST", f"{url}/approval-flow", head, 409),  # a flow is running
        ("DELETE", f"{url}/signatures/head-1", head, 403),  # only an admin removes one
        ("DELETE", f"{url}/signatures/head-2", admin, 404),  # never signed
    ):
        refused = await shop.client.request(method, path, headers=headers)
        assert refused.status_code == status, (method, path, refused.text)
    assert await outbox_subjects(shop.database, "inventory.approval.") == before
    removed = await shop.client.delete(f"{url}/signatures/head-1", headers=admin)
    assert removed.status_code == 200 and removed.json()["signed"] == 0

    events = await outbox_events(shop.database, "inventory.approval.")
    assert [event["type"] for event in events] == [
        "inventory.approval.started",
        "inventory.approval.signed",
        "inventory.approval.signature_removed",
    ]
    started, _, gone = events
    flow = {
        "flow_id": removed.json()["id"],
        "object_type": "purchase_order",
        "object_id": draft["id"],
        "amount": "80.00",
        "status": "pending",
        "requester_id": "advisor-req",
    }
    assert started["actor"] == "advisor-req"
    assert started["data"] == {**flow, "template_id": made["id"], "required": 2}
    assert gone["actor"] == "admin-9"
    assert gone["data"] == {**flow, "signer_id": "head-1", "signatures": 0, "required": 2}
