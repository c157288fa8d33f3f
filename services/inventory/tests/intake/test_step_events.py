"""Each intake step announces itself once, with counts (issue 13): a step over many rows is
one event, and a step refused out of order announces nothing."""

from __future__ import annotations

from tests.conftest import Shop
from tests.intake.helpers import approved_order, step, upload
from tests.invariants import outbox_events


async def test_an_upload_is_one_step_done_event_and_a_refused_step_none(shop: Shop) -> None:
    client, admin = shop.client, shop.admin
    made = await approved_order(shop)
    response = await upload(client, admin, made["id"])
    assert response.status_code == 200, response.text
    done = await outbox_events(shop.database, "inventory.intake.step_done")
    assert len(done) == 1
    event = done[0]
    assert event["data"]["step"] == "upload-manifest"
    assert event["data"]["order_id"] == made["id"] and event["data"]["number"] == made["number"]
    assert event["data"]["job_id"] is None and event["data"]["counts"]
    assert event["actor"] is not None

    refused = await step(client, admin, made["id"], "finalize-rows", {})
    assert refused.status_code == 409, refused.text  # nothing standardised yet
    assert len(await outbox_events(shop.database, "inventory.intake.step_done")) == 1
