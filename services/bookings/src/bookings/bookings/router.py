"""/api/bookings: the public booking (captcha + throttles), the admin's list, view and
changes, the customer's ``?mine=true``, and the manage link's read and cancel
(``X-Manage-Token``, no account needed)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Request

from bookings.bookings.repository import BookingFilters
from bookings.bookings.schemas import (
    BookingIn,
    BookingOut,
    BookingReceipt,
    BookingSummary,
    BookingUpdate,
    CancelIn,
    CustomerBooking,
)
from bookings.bookings.transitions import BookingStatus
from bookings.deps import BookingIntakeDep, BookingServiceDep
from bookings.throttles.service import client_address
from bookings.types import IsoDate, QueryFlag
from common.db import SessionDep
from common.openapi import described
from common.pagination import Page, PageDep, make_page, paginate
from common.routing import put_and_patch
from common.security import AdminUser, CurrentUser

router = APIRouter(prefix="/api/bookings", tags=["bookings"])
manage = APIRouter(prefix="/api/bookings/manage", tags=["bookings"])
ManageToken = Annotated[
    str, Header(alias="X-Manage-Token", description="The token the booking answer carried")
]
NOT_FOUND = described(r404="No such booking")
LINK = described(r403="Not a valid manage link, or it expired")


def booking_filters(
    status: Annotated[
        BookingStatus | None, Query(description="Only bookings in this status")
    ] = None,
    date_from: Annotated[
        IsoDate | None, Query(description="Slot on or after this day (ISO)")
    ] = None,
    date_to: Annotated[
        IsoDate | None, Query(description="Slot on or before this day (ISO)")
    ] = None,
    store: Annotated[uuid.UUID | None, Query(description="Only this store's")] = None,
    search: Annotated[str | None, Query(description="In name, email and phone")] = None,
    ordering: Annotated[
        str | None, Query(description="starts_at, date, created_at, status, name; '-' descending")
    ] = None,
) -> BookingFilters:
    return BookingFilters(
        status=status.value if status else None,
        date_from=date_from,
        date_to=date_to,
        store=store,
        search=search,
        ordering=ordering,
    )


Filters = Annotated[BookingFilters, Depends(booking_filters)]


@router.get(
    "",
    summary="List bookings (system admin), or your own with ?mine=true",
    responses=described(r403="Only a system admin lists every booking"),
)
async def list_bookings(
    caller: CurrentUser,
    bookings: BookingServiceDep,
    session: SessionDep,
    page: PageDep,
    filters: Filters,
    mine: Annotated[
        QueryFlag, Query(description="Only the bookings made with your account's email")
    ] = False,
) -> Page[BookingSummary]:
    statement = await bookings.listing(caller, filters, mine=mine)
    count, rows = await paginate(session, statement, page)
    return make_page(count, [BookingSummary.model_validate(row) for row in rows], page)


@router.post(
    "",
    status_code=201,
    summary="Book a repair (public: a solved captcha, throttled)",
    responses=described(
        r400="The captcha is missing, wrong, expired or already used (captcha_token)",
        r429="Too many bookings from this address, email or phone (Retry-After)",
        r503="The captcha provider did not answer",
    ),
)
async def create_booking(
    body: BookingIn, request: Request, intake: BookingIntakeDep
) -> BookingReceipt:
    return BookingReceipt.model_validate(await intake.create(body, address=client_address(request)))


@manage.get("", summary="Your booking, by its manage link", responses=LINK)
async def get_managed_booking(token: ManageToken, bookings: BookingServiceDep) -> CustomerBooking:
    return CustomerBooking.model_validate(
        await bookings.customer_view(await bookings.by_link(token))
    )


@manage.post(
    "/cancel",
    summary="Cancel your booking by its manage link (until the cut-off before the slot)",
    responses={
        **LINK,
        **described(r409="Past the cut-off, or the booking can no longer be cancelled"),
    },
)
async def cancel_managed_booking(
    body: CancelIn, token: ManageToken, bookings: BookingServiceDep
) -> CustomerBooking:
    return CustomerBooking.model_validate(await bookings.cancel_by_customer(token, body.reason))


@router.get("/{booking_id}", summary="Retrieve a booking with its history", responses=NOT_FOUND)
async def get_booking(
    booking_id: uuid.UUID, _: AdminUser, bookings: BookingServiceDep
) -> BookingOut:
    return BookingOut.model_validate(await bookings.detail(booking_id))


async def update_booking(
    booking_id: uuid.UUID, body: BookingUpdate, admin: AdminUser, bookings: BookingServiceDep
) -> BookingOut:
    return BookingOut.model_validate(await bookings.update(booking_id, body, admin))


put_and_patch(
    router,
    "/{booking_id}",
    update_booking,
    summary="Change a booking's status (by the transition table), notes, quote or store",
    responses={**NOT_FOUND, **described(r409="Not a transition the table allows")},
    response_model=BookingOut,
)
