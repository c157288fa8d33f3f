"""Resetting an order: ``delete-preview`` lists what a purge would remove, in the order it
would go (units, batch groups, jobs, standardised rows, raw rows, the manifest file,
attachments, the state log, the order), and what would stop it: units that left intake or
touched the ledger, stock received against the order. ``purge-delete`` (the order's number
typed again) removes all of it in one transaction, or nothing; purged units are announced
as ``deleted`` so POS's read-model forgets them. Files go last, once every row is gone."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import Conflict, field_error
from common.roles import Principal
from common.uploads import delete_after_commit
from inventory.approvals.service import ApprovalService
from inventory.batches.repository import BatchRepository
from inventory.events.contracts import ItemStatusChanged
from inventory.events.outbox import outbox
from inventory.items.models import ItemStatus
from inventory.items.repository import ItemRepository
from inventory.items.service import unit_payload
from inventory.manifests.repository import ManifestRepository
from inventory.orders.repository import OrderRepository
from inventory.orders.service import APPROVAL_SUBJECTS, OBJECT_TYPE, OrderService
from inventory.resets.repository import COUNTED, ResetRepository
from inventory.storage import Storage


class ResetService:
    def __init__(
        self, session: AsyncSession, actor: Principal, storage: Storage | None = None
    ) -> None:
        self.session = session
        self.actor_id = actor.user_id
        self.orders = OrderService(session, actor)
        self.order_rows = OrderRepository(session)
        self.manifests = ManifestRepository(session)
        self.items = ItemRepository(session)
        self.groups = BatchRepository(session)
        self.counts = ResetRepository(session)
        self.approvals = ApprovalService(session, actor, APPROVAL_SUBJECTS)
        self.storage = storage

    async def preview(self, order_id: uuid.UUID) -> dict[str, Any]:
        order = await self.orders.get(order_id)
        return {
            "order_id": order.id,
            "number": order.number,
            "status": order.status,
            **await self._plan(order.id),
        }

    async def purge(self, order_id: uuid.UUID, confirm: str) -> dict[str, Any]:
        order = await self.orders.get(order_id, lock=True)
        if confirm.strip().upper() != order.number.upper():
            raise field_error(
                "confirm_order_number", f"Type the order's number ({order.number}) to purge it."
            )
        plan = await self._plan(order.id)
        if plan["blockers"]:
            raise Conflict(f"Order {order.number} cannot be purged: {'; '.join(plan['blockers'])}.")
        manifest = await self.manifests.of_order(order.id, lock=True)
        files = await self.counts.attachment_keys(order.id)
        if manifest is not None:
            files.append(manifest.storage_key)
        units = await self.items.of_order(order.id)
        gone = [
            ItemStatusChanged(
                **{**unit_payload(unit), "status": "deleted", "sellable": False},
                from_status=unit.status,
                event="deleted",
            )
            for unit in units
        ]
        deleted = {"items": await self.items.delete_of_order(order.id)}
        deleted["batch groups"] = await self.groups.delete_of_order(order.id)
        await self.approvals.cancel_pending(OBJECT_TYPE, str(order.id))
        deleted["manifest rows"] = await self.manifests.delete_rows(order.id)
        if manifest is not None:
            await self.manifests.delete(manifest)  # its raw rows go with it
        await self.order_rows.delete(order)  # lines, transitions, attachments, jobs with it
        deleted["order"] = 1
        await outbox.publish_many(self.session, gone, actor=self.actor_id)
        if self.storage is not None:
            for key in files:
                delete_after_commit(self.session, self.storage, key)
        deleted["files"] = len(files)
        return {"number": order.number, "deleted": deleted}

    async def _plan(self, order_id: uuid.UUID) -> dict[str, Any]:
        statuses = await self.items.statuses_of_order(order_id)
        moved = await self.items.moved_keys_of_order(order_id)
        receipts = await self.counts.count(COUNTED["receipts"], order_id)
        manifest = await self.manifests.of_order(order_id)
        blockers = []
        left = {status: count for status, count in statuses.items() if status != ItemStatus.intake}
        if left:
            blockers.append(
                "units left intake ("
                + ", ".join(f"{count} {status}" for status, count in sorted(left.items()))
                + "): they are stock now"
            )
        if moved:
            blockers.append(f"{moved} units have stock-ledger rows")
        if receipts:
            blockers.append(f"{receipts} stock receipts were posted against it")
        steps = [
            ("items", sum(statuses.values()), "deleted (never in stock), announced as deleted"),
            ("batch groups", await self.groups.count_of_order(order_id), "deleted"),
            ("intake jobs", await self.counts.jobs(order_id), "deleted"),
            (
                "manifest rows",
                await self.counts.count(COUNTED["manifest rows"], order_id),
                "deleted",
            ),
            ("raw rows", await self.counts.raw_rows(manifest.id if manifest else None), "deleted"),
            ("manifest file", int(manifest is not None), "removed from storage"),
            (
                "attachments",
                await self.counts.count(COUNTED["attachments"], order_id),
                "deleted with their files",
            ),
            ("transitions", await self.counts.count(COUNTED["transitions"], order_id), "deleted"),
            ("order", 1, "deleted (a pending approval flow is cancelled)"),
        ]
        return {
            "can_delete": not blockers,
            "blockers": blockers,
            "items_by_status": statuses,
            "plan": [
                {"step": number, "artifact": artifact, "count": count, "action": action}
                for number, (artifact, count, action) in enumerate(steps, start=1)
            ],
        }
