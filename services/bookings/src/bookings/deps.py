"""Typed dependencies of bookings' routes: its settings, and each domain's service built per
request on the request's session (which commits after the route returns)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from bookings.bookings.intake import BookingIntake
from bookings.bookings.repository import BookingRepository
from bookings.bookings.service import BookingService
from bookings.bookings.toolkit import Toolkit
from bookings.captcha.service import CaptchaGate
from bookings.config import BookingsSettings
from bookings.issues.models import Issue, OtherIssue
from bookings.issues.service import PresetService, issue_service, other_issue_service
from bookings.leads.service import LeadService
from bookings.questions.service import QuestionService
from bookings.responses.service import ResponseService
from bookings.stores.service import StoreService
from common.config import settings_of
from common.db import SessionDep

SettingsDep = Annotated[BookingsSettings, Depends(settings_of(BookingsSettings))]


def toolkit_of(request: Request) -> Toolkit:
    toolkit: Toolkit = request.app.state.toolkit
    return toolkit


ToolkitDep = Annotated[Toolkit, Depends(toolkit_of)]


async def _bookings(session: SessionDep, toolkit: ToolkitDep) -> BookingService:
    return BookingService(session, toolkit)


async def _intake(session: SessionDep, toolkit: ToolkitDep) -> BookingIntake:
    return BookingIntake(session, toolkit)


async def _captcha(session: SessionDep, toolkit: ToolkitDep) -> CaptchaGate:
    return CaptchaGate(session, toolkit.captcha)


async def _stores(session: SessionDep) -> StoreService:
    return StoreService(session)


async def _issues(session: SessionDep) -> PresetService[Issue]:
    return issue_service(session)


async def _other_issues(session: SessionDep) -> PresetService[OtherIssue]:
    return other_issue_service(session)


async def _questions(session: SessionDep) -> QuestionService:
    return QuestionService(session)


async def _responses(session: SessionDep, toolkit: ToolkitDep) -> ResponseService:
    return ResponseService(
        session,
        tokens=toolkit.tokens,
        throttle=toolkit.throttle,
        booking_exists=BookingRepository(session).exists,
    )


async def _leads(session: SessionDep, toolkit: ToolkitDep) -> LeadService:
    return LeadService(session, toolkit.throttle)


BookingServiceDep = Annotated[BookingService, Depends(_bookings)]
BookingIntakeDep = Annotated[BookingIntake, Depends(_intake)]
CaptchaGateDep = Annotated[CaptchaGate, Depends(_captcha)]
StoreServiceDep = Annotated[StoreService, Depends(_stores)]
IssueServiceDep = Annotated[PresetService[Issue], Depends(_issues)]
OtherIssueServiceDep = Annotated[PresetService[OtherIssue], Depends(_other_issues)]
QuestionServiceDep = Annotated[QuestionService, Depends(_questions)]
ResponseServiceDep = Annotated[ResponseService, Depends(_responses)]
LeadServiceDep = Annotated[LeadService, Depends(_leads)]
