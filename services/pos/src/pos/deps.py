"""Typed dependencies for POS's routes: its settings, the ``Idempotency-Key`` header, and
each domain's service built per request with the session and the caller. All are
coroutines: FastAPI runs a plain function dependency in its thread pool."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from common.config import settings_of
from common.db import SessionDep
from common.security import CurrentUser
from pos.agreements.service import AgreementService
from pos.bank.service import BankService
from pos.carts.service import CartService
from pos.config import PosSettings
from pos.consigned.service import ConsignedService
from pos.consignees.service import ConsigneeService
from pos.consignment.remote import Remote
from pos.dashboard.service import DashboardService
from pos.drawers.service import DrawerService
from pos.goals.service import GoalService
from pos.payouts.service import PayoutService
from pos.portal.service import PortalService
from pos.receipts.service import ReceiptService
from pos.registers.service import RegisterService
from pos.safe.service import SafeService
from pos.shops.service import ShopService

_settings = settings_of(PosSettings)


async def pos_settings(request: Request) -> PosSettings:
    """``settings_of(PosSettings)`` as a coroutine: FastAPI runs a plain function dependency
    in its thread pool, a hand-off to another thread at every request."""
    return _settings(request)


SettingsDep = Annotated[PosSettings, Depends(pos_settings)]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=200,
        description="Same key + same body → the same sale and response; + another body → 422",
    ),
]


async def shop_service(session: SessionDep, actor: CurrentUser) -> ShopService:
    return ShopService(session, actor)


async def register_service(session: SessionDep, actor: CurrentUser) -> RegisterService:
    return RegisterService(session, actor)


async def drawer_service(session: SessionDep, actor: CurrentUser) -> DrawerService:
    return DrawerService(session, actor)


async def cart_service(
    session: SessionDep, actor: CurrentUser, settings: SettingsDep
) -> CartService:
    return CartService(session, actor, settings)


async def safe_service(session: SessionDep, actor: CurrentUser) -> SafeService:
    return SafeService(session, actor)


async def bank_service(session: SessionDep, actor: CurrentUser) -> BankService:
    return BankService(session, actor)


async def goal_service(session: SessionDep, actor: CurrentUser) -> GoalService:
    return GoalService(session, actor)


async def receipt_service(session: SessionDep, actor: CurrentUser) -> ReceiptService:
    return ReceiptService(session, actor)


async def dashboard_service(
    session: SessionDep, actor: CurrentUser, settings: SettingsDep
) -> DashboardService:
    return DashboardService(session, actor, settings)


async def consignee_service(
    session: SessionDep, actor: CurrentUser, settings: SettingsDep, request: Request
) -> ConsigneeService:
    transport = getattr(request.app.state, "service_transport", None)
    return ConsigneeService(session, actor, Remote(settings, transport))


async def agreement_service(session: SessionDep, actor: CurrentUser) -> AgreementService:
    return AgreementService(session, actor)


async def consigned_service(
    session: SessionDep, actor: CurrentUser, settings: SettingsDep, request: Request
) -> ConsignedService:
    transport = getattr(request.app.state, "service_transport", None)
    return ConsignedService(session, actor, Remote(settings, transport))


async def payout_service(session: SessionDep, actor: CurrentUser) -> PayoutService:
    return PayoutService(session, actor)


async def portal_service(session: SessionDep, actor: CurrentUser) -> PortalService:
    return PortalService(session, actor)


ShopServiceDep = Annotated[ShopService, Depends(shop_service)]
RegisterServiceDep = Annotated[RegisterService, Depends(register_service)]
DrawerServiceDep = Annotated[DrawerService, Depends(drawer_service)]
CartServiceDep = Annotated[CartService, Depends(cart_service)]
SafeServiceDep = Annotated[SafeService, Depends(safe_service)]
BankServiceDep = Annotated[BankService, Depends(bank_service)]
GoalServiceDep = Annotated[GoalService, Depends(goal_service)]
ReceiptServiceDep = Annotated[ReceiptService, Depends(receipt_service)]
DashboardServiceDep = Annotated[DashboardService, Depends(dashboard_service)]
ConsigneeServiceDep = Annotated[ConsigneeService, Depends(consignee_service)]
AgreementServiceDep = Annotated[AgreementService, Depends(agreement_service)]
ConsignedServiceDep = Annotated[ConsignedService, Depends(consigned_service)]
PayoutServiceDep = Annotated[PayoutService, Depends(payout_service)]
PortalServiceDep = Annotated[PortalService, Depends(portal_service)]
