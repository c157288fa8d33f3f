"""The events of consignment's writes, built from their rows (``pos.events.contracts``)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from pos.consignment.models import Agreement, ConsignedItem, Consignee, Payout
from pos.events.contracts import (
    AgreementChanged,
    ConsignedItemChanged,
    ConsigneeChanged,
    PayoutChanged,
)
from pos.events.outbox import outbox


def consignee_event(consignee: Consignee, changed: list[str] | None = None) -> ConsigneeChanged:
    return ConsigneeChanged(
        user_id=consignee.user_id,
        store_id=consignee.store_id,
        first_name=consignee.first_name,
        last_name=consignee.last_name,
        email=consignee.email,
        phone=consignee.phone,
        status=consignee.status.value,
        user_active=consignee.user_active,
        changed=changed,
    )


async def publish_account(
    session: AsyncSession,
    consignee: Consignee,
    what: str,
    *,
    actor: str | None,
    changed: list[str] | None = None,
) -> None:
    """``pos.consignment.account.<what>`` through the outbox (``changed`` on ``updated``)."""
    await outbox.publish(
        session,
        consignee_event(consignee, changed),
        subject=f"pos.consignment.account.{what}",
        actor=actor,
    )


def agreement_event(agreement: Agreement) -> AgreementChanged:
    return AgreementChanged(
        agreement_id=agreement.id,
        number=agreement.number,
        version=agreement.version,
        consignee_id=agreement.consignee_id,
        store_id=agreement.store_id,
        status=agreement.status.value,
        share_percent=agreement.share_percent,
        starts_on=agreement.starts_on.isoformat(),
        expires_on=agreement.expires_on.isoformat() if agreement.expires_on else None,
        minimum_payout=agreement.minimum_payout,
        fee_per_item=agreement.fee_per_item,
        supersedes_id=agreement.supersedes_id,
    )


def item_event(item: ConsignedItem) -> ConsignedItemChanged:
    return ConsignedItemChanged(
        consigned_item_id=item.id,
        item_id=item.item_id,
        agreement_id=item.agreement_id,
        consignee_id=item.consignee_id,
        store_id=item.store_id,
        sku=item.sku,
        list_price=item.list_price,
        status=item.status.value,
    )


def payout_event(payout: Payout) -> PayoutChanged:
    return PayoutChanged(
        payout_id=payout.id,
        consignee_id=payout.consignee_id,
        store_id=payout.store_id,
        period_start=payout.period_start.isoformat(),
        period_end=payout.period_end.isoformat(),
        status=payout.status.value,
        shares_total=payout.shares_total,
        adjustments_total=payout.adjustments_total,
        amount=payout.amount,
        line_count=payout.line_count,
        method=payout.method,
        reference=payout.reference,
        paid_at=payout.paid_at,
    )
