"""/api/attendance/admin/payroll: a system admin's payroll profiles of advisors."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from attendance.deps import PayrollServiceDep
from attendance.payroll.schemas import PayrollOut, PayrollUpsert
from common.db import SessionDep
from common.openapi import described
from common.pagination import Page, PageDep, make_page, paginate
from common.roles import Role
from common.routing import put_and_patch
from common.security import require_roles

router = APIRouter(
    prefix="/api/attendance/admin/payroll",
    tags=["payroll"],
    dependencies=[Depends(require_roles(Role.system_admin))],
)


@router.get("", summary="List payroll profiles")
async def list_profiles(
    payroll: PayrollServiceDep,
    session: SessionDep,
    page: PageDep,
    person: Annotated[str | None, Query(max_length=64, description="Only this person's")] = None,
) -> Page[PayrollOut]:
    count, rows = await paginate(session, payroll.listing(person=person), page)
    return make_page(count, [PayrollOut.model_validate(row) for row in rows], page)


async def upsert_profile(
    user_id: Annotated[str, Path(max_length=64, description="auth's user id")],
    body: PayrollUpsert,
    payroll: PayrollServiceDep,
) -> PayrollOut:
    return PayrollOut.model_validate(await payroll.upsert(user_id, body))


put_and_patch(
    router,
    "/{user_id}",
    upsert_profile,
    summary="Upsert a payroll profile (the one starting on effective_from)",
    responses=described(
        r404="No such member of staff",
        r409="Its dates overlap another profile of the person",
        r422="A missing rate, a currency unlike the person's other profiles, dates backwards",
    ),
    response_model=PayrollOut,
)
