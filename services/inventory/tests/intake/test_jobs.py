"""A manifest over INTAKE_BACKGROUND_ROWS (3 here: the clean manifest has 6 rows) has its
process-manifest, match-products and create-items run by the intake worker: 202 with where
to poll, the job's progress and answer at job-status, the same rows and events as in the
request; the step's own refusals still come in the request; a job whose worker died is run
again, once, whichever of several workers claims it; a refusal met by the job fails it."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text

from inventory.ai_cleanup.models import IntakeJob
from inventory.ai_cleanup.worker import CleanupWorker
from inventory.intake_jobs.service import run
from inventory.items.models import Item
from inventory.manifests.models import ManifestRow
from tests.conftest import Shop
from tests.intake.helpers import (
    CLEAN_MAPPINGS,
    approved_order,
    job_ended,
    known_products,
    ok,
    step,
    upload,
)
from tests.intake.test_pipeline import outbox_subjects


@pytest.fixture
def settings_overrides(tmp_path: Path) -> dict[str, Any]:
    return {
        "attachments_dir": tmp_path / "attachments",
        "intake_background_rows": 3,
        "intake_job_poll_seconds": 0.2,
    }


async def queued(shop: Shop, order_id: str, name: str, body: Any = None) -> dict[str, Any]:
    response = await step(shop.client, shop.admin, order_id, name, body)
    assert response.status_code == 202, response.text
    answer = dict(response.json())
    assert answer["status_url"] == f"/api/inventory/orders/{order_id}/job-status"
    assert response.headers["location"] == answer["status_url"]
    return answer


async def counted(shop: Shop, model: type[Any]) -> int:
    async with shop.database.session() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def add_job(shop: Shop, order_id: str, **values: Any) -> uuid.UUID:
    job = IntakeJob(order_id=uuid.UUID(order_id), batch_size=6, total=6, done=0, model="", **values)
    async with shop.database.session() as session:
        session.add(job)
        await session.commit()
    return job.id


async def test_a_large_manifests_steps_run_as_jobs_with_the_requests_answers(shop: Shop) -> None:
    client, admin = shop.client, shop.admin
    await known_products(shop)
    order = await approved_order(shop)
    order_id = order["id"]
    await ok(await upload(client, admin, order_id))

    job = (await queued(shop, order_id, "process-manifest", {"mappings": CLEAN_MAPPINGS}))["job"]
    assert (job["kind"], job["status"], job["total"], job["done"]) == (
        "process_manifest",
        "queued",
        6,
        0,
    )
    status = await job_ended(shop, order_id)
    assert status["status"] == "done", status
    assert status["job"]["id"] == job["id"] and status["job"]["done"] == 6
    assert status["job"]["result"] == {"rows_written": 6, "rows_skipped": 0, "units": 13,
                                       "template_id": None}  # fmt: skip
    assert await counted(shop, ManifestRow) == 6

    await queued(shop, order_id, "match-products")
    matched = await job_ended(shop, order_id)
    assert matched["job"]["kind"] == "match_products" and matched["status"] == "done"
    assert (matched["job"]["result"]["rows"], matched["job"]["result"]["matched"]) == (6, 5)
    results = await ok(await step(client, admin, order_id, "match-results", method="GET"))
    assert sum(1 for row in results["rows"] if row["matched_product_id"]) == 5

    await ok(await step(client, admin, order_id, "update-manifest-pricing",
                        {"rule": {"basis": "retail", "percent": "60"}}))  # fmt: skip
    await ok(await step(client, admin, order_id, "finalize-rows", {}))
    before = await outbox_subjects(shop)
    await queued(shop, order_id, "create-items")
    created = await job_ended(shop, order_id)
    assert created["job"]["result"] == {"items": 13, "batch_groups": 6, "created": True}, created
    assert (await outbox_subjects(shop))[len(before) :].count("inventory.item.created") == 13
    assert await counted(shop, Item) == 13
    again = await ok(await step(client, admin, order_id, "create-items"))  # nothing left to do
    assert again == {"items": 13, "batch_groups": 6, "created": False}


async def test_a_large_manifests_step_refuses_in_the_request_and_queues_once(shop: Shop) -> None:
    client, admin = shop.client, shop.admin
    order = await approved_order(shop)
    order_id = order["id"]
    await ok(await upload(client, admin, order_id))
    early = await step(client, admin, order_id, "match-products")
    assert early.status_code == 409 and "process-manifest must come first" in early.json()["detail"]
    bad = await step(client, admin, order_id, "process-manifest",
                     {"mappings": {**CLEAN_MAPPINGS, "brand": "[Brnad]"}})  # fmt: skip
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["field"] == "mappings.brand"
    assert await counted(shop, IntakeJob) == 0  # nothing queued for a refused step

    # an AI cleanup still running: no other job of the order starts before it ends
    cleaning = await add_job(shop, order_id, status="running", heartbeat_at=datetime.now(UTC))
    busy = await step(client, admin, order_id, "process-manifest", {"mappings": CLEAN_MAPPINGS})
    assert busy.status_code == 409, busy.text
    assert busy.json()["detail"] == (
        f"Order {order['number']}: its ai_cleanup job is running; it must end first (job-status)."
    )
    async with shop.database.session() as session:
        job = await session.get(IntakeJob, cleaning)
        assert job is not None
        job.status = "cancelled"
        await session.commit()

    # a worker holds a process_manifest job (fresh heartbeat): asking again answers it
    held = await add_job(shop, order_id, kind="process_manifest", status="running",
                         heartbeat_at=datetime.now(UTC), params={"mappings": CLEAN_MAPPINGS})  # fmt: skip
    async with shop.database.session() as running:  # the job's transaction holds the order
        await running.execute(
            text("SELECT id FROM purchase_orders WHERE id = :id FOR UPDATE"), {"id": order_id}
        )
        again = await asyncio.wait_for(
            queued(shop, order_id, "process-manifest", {"mappings": CLEAN_MAPPINGS}), timeout=15
        )
    assert again["job"]["id"] == str(held) and again["job"]["status"] == "running"
    assert await counted(shop, IntakeJob) == 2
    cleanup = await ok(await step(client, admin, order_id, "ai-cleanup-status", method="GET"))
    assert (cleanup["status"], cleanup["job"]["id"]) == ("cancelled", str(cleaning))


async def test_a_job_whose_worker_died_runs_again_once_whichever_worker_claims_it(
    shop: Shop,
) -> None:
    order = await approved_order(shop)
    order_id = order["id"]
    await ok(await upload(shop.client, shop.admin, order_id))
    job_id = await add_job(shop, order_id, kind="process_manifest", status="running",
                           heartbeat_at=datetime.now(UTC) - timedelta(minutes=10),
                           params={"mappings": CLEAN_MAPPINGS, "skip_invalid": False})  # fmt: skip

    async def steps(claimed: uuid.UUID) -> None:
        await run(shop.database, claimed)

    workers = [CleanupWorker(shop.database, lambda: None, steps=steps) for _ in range(3)]
    await asyncio.gather(*(worker.run_one() for worker in workers))  # the app's worker too
    status = await job_ended(shop, order_id)
    assert status["status"] == "done" and status["job"]["id"] == str(job_id)
    assert status["job"]["result"]["rows_written"] == 6
    assert await counted(shop, ManifestRow) == 6


async def test_a_refusal_met_by_a_job_fails_it_with_its_status_and_detail(shop: Shop) -> None:
    order = await approved_order(shop)
    order_id = order["id"]
    await ok(await upload(shop.client, shop.admin, order_id))
    # queued before anything was standardised: matching refuses when the job runs
    job_id = await add_job(shop, order_id, kind="match_products", status="queued")
    async with shop.database.session() as session:
        await session.execute(text("SELECT pg_notify('inventory_intake_jobs', '')"))
        await session.commit()
    status = await job_ended(shop, order_id)
    assert status["status"] == "failed" and status["job"]["id"] == str(job_id)
    result = status["job"]["result"]
    assert result["status_code"] == 409
    assert "process-manifest must come first" in result["detail"]
    assert status["job"]["error"] == result["detail"]


async def test_delivering_a_large_order_queues_its_units(shop: Shop) -> None:
    client, admin = shop.client, shop.admin
    order = await approved_order(shop)
    order_id = order["id"]
    await ok(await upload(client, admin, order_id))
    await queued(shop, order_id, "process-manifest", {"mappings": CLEAN_MAPPINGS})
    assert (await job_ended(shop, order_id))["status"] == "done"
    await queued(shop, order_id, "match-products")
    assert (await job_ended(shop, order_id))["status"] == "done"
    await ok(await step(client, admin, order_id, "update-manifest-pricing",
                        {"rule": {"basis": "cost", "percent": "150"}}))  # fmt: skip
    await ok(await step(client, admin, order_id, "finalize-rows", {}))
    delivered = await ok(
        await client.post(f"/api/inventory/orders/{order_id}/deliver", headers=admin)
    )
    assert delivered["status"] == "delivered"
    created = await job_ended(shop, order_id)
    assert created["job"]["kind"] == "create_items", created
    assert created["job"]["result"] == {"items": 13, "batch_groups": 6, "created": True}
    assert await counted(shop, Item) == 13
