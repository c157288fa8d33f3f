"""Purchase order attachments (quotes, invoices, photos): size and type checked by content
(common.uploads: a PDF, PNG, JPEG, WebP, CSV or text file, stored with the extension of what
it really is)."""

from __future__ import annotations

import uuid

from common.errors import NotFound
from common.uploads import Upload, delete_after_commit, read_upload
from inventory.events.contracts import PurchaseOrderAttachmentChanged
from inventory.events.outbox import outbox
from inventory.orders.models import OrderAttachment, PurchaseOrder
from inventory.orders.refs import order_ref
from inventory.orders.repository import OrderRepository
from inventory.orders.service import OrderService
from inventory.storage import Storage


class OrderAttachments:
    """The attachments of the orders ``orders`` may act on."""

    def __init__(self, orders: OrderService, storage: Storage, max_bytes: int) -> None:
        self.orders = orders
        self.rows = OrderRepository(orders.session)
        self.storage = storage
        self.max_bytes = max_bytes

    async def listing(self, order_id: uuid.UUID) -> list[OrderAttachment]:
        order = await self.orders.get(order_id)
        return await self.rows.attachments(order.id)

    async def add(self, order_id: uuid.UUID, upload: Upload) -> OrderAttachment:
        order = await self.orders.get(order_id)
        sniffed = await read_upload(upload, self.max_bytes)
        key = sniffed.storage_key()
        attachment = OrderAttachment(
            order_id=order.id,
            filename=sniffed.name(upload.filename or "attachment"),
            content_type=sniffed.content_type,
            size=len(sniffed.data),
            storage_key=key,
            uploaded_by=self.orders.actor_id,
        )
        self.rows.add_row(attachment)
        await self.rows.flush()
        await self.storage.save(key, sniffed.data)  # after the row: a failed insert leaves no file
        await self.rows.save(attachment)
        await self._announce(order, attachment, "inventory.purchase_order.attachment_added")
        return attachment

    async def get(self, order_id: uuid.UUID, attachment_id: uuid.UUID) -> OrderAttachment:
        order = await self.orders.get(order_id)
        attachment = await self.rows.attachment(attachment_id)
        if attachment is None or attachment.order_id != order.id:
            raise NotFound(f"Attachment {attachment_id} not found on order {order.number}.")
        return attachment

    async def download(
        self, order_id: uuid.UUID, attachment_id: uuid.UUID
    ) -> tuple[OrderAttachment, bytes]:
        attachment = await self.get(order_id, attachment_id)
        return attachment, await self.storage.read(attachment.storage_key)

    async def delete(self, order_id: uuid.UUID, attachment_id: uuid.UUID) -> None:
        order = await self.orders.get(order_id)
        attachment = await self.get(order.id, attachment_id)
        await self._announce(order, attachment, "inventory.purchase_order.attachment_removed")
        await self.rows.delete(attachment)
        delete_after_commit(self.orders.session, self.storage, attachment.storage_key)

    async def _announce(
        self, order: PurchaseOrder, attachment: OrderAttachment, subject: str
    ) -> None:
        await outbox.publish(
            self.orders.session,
            PurchaseOrderAttachmentChanged(
                **order_ref(order),
                attachment_id=attachment.id,
                filename=attachment.filename,
                content_type=attachment.content_type,
                size=attachment.size,
            ),
            subject=subject,
            actor=self.orders.actor_id,
        )
