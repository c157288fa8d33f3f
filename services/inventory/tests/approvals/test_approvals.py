"""Approval flows on purchase orders: templates, thresholds, eligibility, order, duplicates,
self-approval, removal, rejection, and the events read back from JetStream."""

from __future__ import annotations

import time
from typing import Any

import pytest

from common.roles import Role
from common.testing.helpers import read_events
from tests.conftest import STORE_A, STORE_B, Shop
from tests.procurement import act, order, template, vendor


@pytest.fixture
def people(auth_headers: Any) -> dict[str, dict[str, str]]:
    stores = [str(STORE_A)]
    return {
        "requester": auth_headers(Role.advisor, user_id="advisor-req", stores=stores),
        "advisor": auth_headers(Role.advisor, user_id="advisor-2", stores=stores),
        "head": auth_headers(Role.branch_head, user_id="head-1", stores=stores),
        "head2": auth_headers(Role.branch_head, user_id="head-2", stores=stores),
        "outsider": auth_headers(Role.branch_head, user_id="head-b", stores=[str(STORE_B)]),
        "admin": auth_headers(Role.system_admin, user_id="admin-9"),
    }


async def pending_order(shop: Shop, people: dict[str, dict[str, str]], cost: str) -> dict[str, Any]:
    supplier = await vendor(shop.client, people["requester"], code=f"V-{cost.replace('.', '')}")
    created = await order(
        shop.client,
        people["requester"],
        supplier["id"],
        [{"description": "Lot", "quantity": "1", "unit_cost": cost}],
    )
    submitted = await act(shop.client, people["requester"], created["id"], "submit")
    assert submitted.status_code == 200, submitted.text
    return dict(submitted.json())


async def sign(shop: Shop, headers: dict[str, str], order_id: str, comment: str = "") -> Any:
    return await shop.client.post(
        f"/api/inventory/purchase-orders/{order_id}/sign",
        json={"comment": comment},
        headers=headers,
    )


async def test_templates_are_for_system_admins_and_validated(
    shop: Shop, people: dict[str, dict[str, str]]
) -> None:
    body = {"name": "POs", "signers": [{"role": "branch_head"}]}
    refused = await shop.client.post("/api/approvals/templates", json=body, headers=people["head"])
    assert refused.status_code == 403
    cases = [
        ({"signers": []}, "signers"),
        ({"signers": [{"role": "branch_head", "user_id": "x"}]}, "signers.0"),
        ({"signers": [{"role": "customer"}]}, "signers.0"),
        ({"signers": [{"role": "branch_head"}], "min_signatures": 2}, "body"),
        (
            {
                "signers": [{"role": "branch_head"}],
                "thresholds": [{"above": "10", "min_signatures": 3}],
            },
            "body",
        ),
        ({"signers": [{"role": "branch_head"}], "object_type": "invoice"}, "object_type"),
    ]
    for extra, field in cases:
        response = await shop.client.post(
            "/api/approvals/templates", json={"name": "x", **extra}, headers=people["admin"]
        )
        assert response.status_code == 422, (extra, response.text)
        assert response.json()["detail"][0]["field"] == field, (extra, response.json())
    created = await template(shop.client, people["admin"], [{"role": "branch_head"}])
    url = f"/api/approvals/templates/{created['id']}"
    put = await shop.client.put(url, json={**body, "name": "Renamed"}, headers=people["admin"])
    assert put.status_code == 200 and put.json()["name"] == "Renamed"
    assert (await shop.client.delete(url, headers=people["admin"])).status_code == 204


async def test_two_signers_above_the_threshold(
    shop: Shop, people: dict[str, dict[str, str]], nats_url: str
) -> None:
    await template(
        shop.client,
        people["admin"],
        [{"role": "branch_head"}, {"role": "branch_head"}],
        min_signatures=1,
        thresholds=[{"above": "1000.00", "min_signatures": 2}],
    )
    since = time.time()
    pending = await pending_order(shop, people, "1250.00")
    assert pending["status"] == "pending_approval"
    order_id = pending["id"]
    flow = (
        await shop.client.get(
            f"/api/inventory/purchase-orders/{order_id}/approval-flow", headers=people["head"]
        )
    ).json()
    assert (flow["required_signatures"], flow["signed"], flow["amount"]) == (2, 0, "1250.00")

    own = await sign(shop, people["requester"], order_id)
    assert own.status_code == 409 and "own request" in own.json()["detail"]
    advisor = await sign(shop, people["advisor"], order_id)
    assert advisor.status_code == 409 and "not an eligible signer" in advisor.json()["detail"]
    outsider = await sign(shop, people["outsider"], order_id)
    assert outsider.status_code == 403
    first = await sign(shop, people["head"], order_id, "checked against quote")
    assert (
        first.status_code == 200
        and first.json()["signed"] == 1
        and first.json()["status"] == "pending"
    )
    twice = await sign(shop, people["head"], order_id)
    assert twice.status_code == 409 and "already signed" in twice.json()["detail"]
    still = await shop.client.get(
        f"/api/inventory/purchase-orders/{order_id}", headers=people["head"]
    )
    assert still.json()["status"] == "pending_approval"
    early = await shop.client.post(
        f"/api/inventory/purchase-orders/{order_id}/receive-stock",
        json={
            "lines": [
                {
                    "line_id": still.json()["lines"][0]["id"],
                    "quantity": "1",
                    "location_id": str(STORE_A),
                }
            ]
        },
        headers=people["head"],
    )
    assert early.status_code == 409

    second = await sign(shop, people["admin"], order_id)
    assert second.status_code == 200, second.text
    assert (second.json()["status"], second.json()["signed"]) == ("approved", 2)
    approved = await shop.client.get(
        f"/api/inventory/purchase-orders/{order_id}", headers=people["head"]
    )
    assert approved.json()["status"] == "approved"
    late = await sign(shop, people["head2"], order_id)
    assert late.status_code == 409 and "is approved" in late.json()["detail"]

    signed = await read_events(nats_url, "inventory.approval.signed", expected=2, since=since)
    assert [(e.data["signer_id"], e.data["signatures"], e.data["required"]) for e in signed] == [
        ("head-1", 1, 2),
        ("admin-9", 2, 2),
    ]
    assert (
        signed[0].data["object_id"] == order_id
        and signed[0].data["comment"] == "checked against quote"
    )
    [completed] = await read_events(nats_url, "inventory.approval.completed", since=since)
    assert completed.data["signers"] == ["head-1", "admin-9"]


async def test_below_the_threshold_one_signature_is_enough(
    shop: Shop, people: dict[str, dict[str, str]]
) -> None:
    await template(
        shop.client,
        people["admin"],
        [{"role": "branch_head"}, {"role": "branch_head"}],
        thresholds=[{"above": "1000.00", "min_signatures": 2}],
    )
    pending = await pending_order(shop, people, "999.99")
    done = await sign(shop, people["head"], pending["id"])
    assert done.json()["status"] == "approved" and done.json()["required_signatures"] == 1


async def test_ordered_flow_and_named_signers(
    shop: Shop, people: dict[str, dict[str, str]]
) -> None:
    await template(
        shop.client,
        people["admin"],
        [{"user_id": "head-2"}, {"role": "system_admin"}],
        ordered=True,
        min_signatures=2,
    )
    pending = await pending_order(shop, people, "50.00")
    out_of_turn = await sign(shop, people["admin"], pending["id"])
    assert out_of_turn.status_code == 409 and "user head-2" in out_of_turn.json()["detail"]
    not_named = await sign(shop, people["head"], pending["id"])
    assert not_named.status_code == 409
    assert (await sign(shop, people["head2"], pending["id"])).json()["signed"] == 1
    assert (await sign(shop, people["admin"], pending["id"])).json()["status"] == "approved"


async def test_admin_removes_a_signature(shop: Shop, people: dict[str, dict[str, str]]) -> None:
    await template(
        shop.client,
        people["admin"],
        [{"role": "branch_head"}, {"role": "branch_head"}],
        min_signatures=2,
    )
    pending = await pending_order(shop, people, "10.00")
    url = f"/api/inventory/purchase-orders/{pending['id']}/signatures/head-1"
    await sign(shop, people["head"], pending["id"])
    refused = await shop.client.delete(url, headers=people["head"])
    assert refused.status_code == 403
    removed = await shop.client.delete(url, headers=people["admin"])
    assert removed.status_code == 200 and removed.json()["signed"] == 0
    assert removed.json()["signatures"][0]["removed_by"] == "admin-9"
    missing = await shop.client.delete(url, headers=people["admin"])
    assert missing.status_code == 404
    again = await sign(shop, people["head"], pending["id"])
    assert again.status_code == 200 and again.json()["signed"] == 1


async def test_rejection_sends_the_order_back_to_draft(
    shop: Shop, people: dict[str, dict[str, str]], nats_url: str
) -> None:
    await template(shop.client, people["admin"], [{"role": "branch_head"}])
    pending = await pending_order(shop, people, "10.00")
    since = time.time()
    own = await shop.client.post(
        f"/api/inventory/purchase-orders/{pending['id']}/reject",
        json={"reason": "x"},
        headers=people["requester"],
    )
    assert own.status_code == 409
    rejected = await shop.client.post(
        f"/api/inventory/purchase-orders/{pending['id']}/reject",
        json={"reason": "Quote expired"},
        headers=people["head"],
    )
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    back = await shop.client.get(
        f"/api/inventory/purchase-orders/{pending['id']}", headers=people["head"]
    )
    assert back.json()["status"] == "draft"
    [event] = await read_events(nats_url, "inventory.approval.rejected", since=since)
    assert (event.data["rejected_by"], event.data["reason"]) == ("head-1", "Quote expired")
    resubmitted = await act(shop.client, people["requester"], pending["id"], "submit")
    assert resubmitted.json()["status"] == "pending_approval"
    flows = await shop.client.get(
        "/api/approvals/flows", params={"object_type": "purchase_order"}, headers=people["head"]
    )
    assert [flow["status"] for flow in flows.json()["results"]] == ["pending", "rejected"]
    by_object = await shop.client.get(
        f"/api/approvals/flows/object/purchase_order/{pending['id']}", headers=people["head"]
    )
    assert by_object.json()["status"] == "pending"
    hidden = await shop.client.get("/api/approvals/flows", headers=people["outsider"])
    assert hidden.json()["count"] == 0


async def test_flows_route_of_seed_004(shop: Shop, people: dict[str, dict[str, str]]) -> None:
    pending = await pending_order(shop, people, "10.00")  # no template yet: approved at once
    assert pending["status"] == "approved"
    created = await template(shop.client, people["admin"], [{"role": "branch_head"}])
    draft = await order(
        shop.client,
        people["requester"],
        (await vendor(shop.client, people["admin"], "V-2"))["id"],
        [{"description": "Lot", "quantity": "1", "unit_cost": "5"}],
    )
    early = await shop.client.post(
        "/api/approvals/flows",
        json={"object_type": "purchase_order", "object_id": draft["id"]},
        headers=people["head"],
    )
    assert early.status_code == 409 and "submit it first" in early.json()["detail"]
    submitted = await act(shop.client, people["requester"], draft["id"], "submit")
    flow_id = (
        await shop.client.get(
            f"/api/approvals/flows/object/purchase_order/{draft['id']}", headers=people["head"]
        )
    ).json()["id"]
    duplicate = await shop.client.post(
        "/api/approvals/flows",
        json={
            "object_type": "purchase_order",
            "object_id": draft["id"],
            "template_id": created["id"],
        },
        headers=people["head"],
    )
    assert submitted.json()["status"] == "pending_approval" and duplicate.status_code == 409
    signed = await shop.client.post(
        f"/api/approvals/flows/{flow_id}/sign", json={}, headers=people["head"]
    )
    assert signed.status_code == 200 and signed.json()["status"] == "approved"
