"""Routes for users (000 ``/api/users``, 002 ``/api/accounts/users/``: one resource) and customers."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response

from auth.accounts.repository import UserRepository
from auth.accounts.schemas import (
    ConsigneeEnrollmentIn,
    ConsigneeProfileIn,
    CustomerIn,
    CustomerUpdate,
    EmployeeProfileIn,
    TemporaryPasswordOut,
    UserCreate,
    UserOut,
    UserUpdate,
)
from auth.accounts.service import CreatedUser
from auth.deps import AccountServiceDep
from auth.models import User
from common.db import SessionDep
from common.pagination import Page, PageDep, apply_ordering, make_page, paginate
from common.roles import Caller, Role
from common.security import AdminUser, BranchHeadUser, require_scopes

USER_ORDERING = {
    "email": User.email,
    "date_joined": User.date_joined,
    "last_name": User.last_name,
    "role": User.role,
}
ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "Not authenticated"},
    403: {"description": "Not allowed for your role"},
}


def _out(user: User) -> UserOut:
    return UserOut.model_validate(user)


def _created(response: Response, created: CreatedUser) -> UserOut:
    if created.replayed:
        response.status_code = 200
    return _out(created.user)


# A system admin, or another service granted the users:create scope (docs/architecture.md).
USERS_CREATE = "users:create"
UserCreator = Annotated[Caller, Depends(require_scopes(USERS_CREATE, or_roles=[Role.system_admin]))]
# ... and one granted users:read may read a user (POS checking the user of a consignee account).
USERS_READ = "users:read"
UserReader = Annotated[Caller, Depends(require_scopes(USERS_READ, or_roles=[Role.system_admin]))]
# ... and one granted consignees:enroll may make a customer a consignee (POS opening a consignee
# account for an existing user: the portal needs the role).
CONSIGNEES_ENROLL = "consignees:enroll"
ConsigneeEnroller = Annotated[
    Caller, Depends(require_scopes(CONSIGNEES_ENROLL, or_roles=[Role.system_admin]))
]


def users_router(prefix: str, tag: str) -> APIRouter:
    router = APIRouter(prefix=prefix, tags=[tag], responses=ERRORS)

    @router.get("", summary="List users (search and filters)")
    async def list_users(
        _: AdminUser,
        session: SessionDep,
        page: PageDep,
        role: Annotated[Role | None, Query(description="Only this role")] = None,
        is_active: Annotated[
            bool | None, Query(description="Active (default) or deactivated users")
        ] = True,
        search: Annotated[
            str | None, Query(description="Email, name, phone or customer number")
        ] = None,
        ordering: Annotated[
            str | None, Query(description="email, date_joined, last_name, role; '-' for descending")
        ] = None,
    ) -> Page[UserOut]:
        statement = UserRepository(session).listing(
            role=role.value if role else None, is_active=is_active, search=search
        )
        statement = apply_ordering(
            statement, ordering, USER_ORDERING, [User.date_joined.desc(), User.id]
        )
        count, rows = await paginate(session, statement, page)
        return make_page(count, [_out(user) for user in rows], page)

    @router.post(
        "",
        status_code=201,
        summary="Create a user (any role, profiles); services with users:create: customers "
        "and consignees",
        responses={
            200: {
                "description": "A service's retry of the same creation (same email and role): "
                "the user the first request created",
                "model": UserOut,
            },
            409: {"description": "Email taken"},
        },
    )
    async def create_user(
        body: UserCreate, actor: UserCreator, accounts: AccountServiceDep, response: Response
    ) -> UserOut:
        return _created(response, await accounts.create_user(body, actor))

    @router.get(
        "/{user_id}",
        summary="Retrieve a user (system admins; services with users:read)",
        responses={404: {"description": "No such user"}},
    )
    async def get_user(user_id: uuid.UUID, _: UserReader, accounts: AccountServiceDep) -> UserOut:
        return _out(await accounts.get(user_id))

    @router.patch("/{user_id}", summary="Update a user's profile, role or stores")
    async def patch_user(
        user_id: uuid.UUID, body: UserUpdate, actor: AdminUser, accounts: AccountServiceDep
    ) -> UserOut:
        return _out(await accounts.update_user(user_id, body, actor))

    @router.put("/{user_id}", summary="Update a user (same fields as PATCH)")
    async def put_user(
        user_id: uuid.UUID, body: UserUpdate, actor: AdminUser, accounts: AccountServiceDep
    ) -> UserOut:
        return _out(await accounts.update_user(user_id, body, actor))

    @router.delete(
        "/{user_id}",
        status_code=204,
        summary="Soft-delete (deactivate) a user; self-delete refused",
    )
    async def delete_user(
        user_id: uuid.UUID, actor: AdminUser, accounts: AccountServiceDep
    ) -> Response:
        await accounts.deactivate_user(user_id, actor)
        return Response(status_code=204)

    @router.patch("/{user_id}/employee_profile", summary="Update an employee profile")
    async def patch_employee_profile(
        user_id: uuid.UUID, body: EmployeeProfileIn, actor: AdminUser, accounts: AccountServiceDep
    ) -> UserOut:
        return _out(await accounts.update_employee_profile(user_id, body, actor))

    @router.patch("/{user_id}/consignee_profile", summary="Update a consignee profile")
    async def patch_consignee_profile(
        user_id: uuid.UUID, body: ConsigneeProfileIn, actor: AdminUser, accounts: AccountServiceDep
    ) -> UserOut:
        return _out(await accounts.update_consignee_profile(user_id, body, actor))

    @router.put(
        "/{user_id}/consignee",
        summary="Make a user a consignee of a store (system admins; services with "
        "consignees:enroll); idempotent",
        responses={
            404: {"description": "No such user"},
            409: {"description": "The user is deactivated, or staff (a user has one role)"},
        },
    )
    async def enroll_consignee(
        user_id: uuid.UUID,
        body: ConsigneeEnrollmentIn,
        actor: ConsigneeEnroller,
        accounts: AccountServiceDep,
    ) -> UserOut:
        return _out(await accounts.enroll_consignee(user_id, body, actor))

    @router.post(
        "/{user_id}/reset-password",
        summary="Admin reset: a temporary password; the user's sessions end",
    )
    async def admin_reset_password(
        user_id: uuid.UUID, actor: AdminUser, accounts: AccountServiceDep
    ) -> TemporaryPasswordOut:
        temporary = await accounts.admin_reset_password(user_id, actor)
        return TemporaryPasswordOut(
            detail="Password reset. Give the user this temporary password.",
            temporary_password=temporary,
        )

    return router


customers = APIRouter(prefix="/api/accounts/customers", tags=["customers"], responses=ERRORS)


@customers.get("", summary="List customers (Manager+)")
async def list_customers(
    _: BranchHeadUser,
    session: SessionDep,
    page: PageDep,
    search: Annotated[
        str | None, Query(description="Email, name, phone or customer number")
    ] = None,
) -> Page[UserOut]:
    statement = UserRepository(session).listing(role=Role.customer.value, search=search)
    statement = statement.order_by(User.date_joined.desc(), User.id)
    count, rows = await paginate(session, statement, page)
    return make_page(count, [_out(user) for user in rows], page)


@customers.post("", status_code=201, summary="Create a customer with profile (Manager+)")
async def create_customer(
    body: CustomerIn, actor: BranchHeadUser, accounts: AccountServiceDep
) -> UserOut:
    return _out(await accounts.create_customer(body, actor))


@customers.get(
    "/lookup/{customer_number}", summary="POS lookup by customer number, e.g. CUS-000123"
)
async def lookup_customer(
    customer_number: str, _: BranchHeadUser, accounts: AccountServiceDep
) -> UserOut:
    return _out(await accounts.lookup_customer(customer_number))


@customers.get("/{customer_id}", summary="Retrieve a customer")
async def get_customer(
    customer_id: uuid.UUID, _: BranchHeadUser, accounts: AccountServiceDep
) -> UserOut:
    return _out(await accounts.get_customer(customer_id))


@customers.patch("/{customer_id}", summary="Update a customer")
async def patch_customer(
    customer_id: uuid.UUID, body: CustomerUpdate, actor: BranchHeadUser, accounts: AccountServiceDep
) -> UserOut:
    return _out(await accounts.update_customer(customer_id, body, actor))


@customers.delete("/{customer_id}", status_code=204, summary="Delete (deactivate) a customer")
async def delete_customer(
    customer_id: uuid.UUID, actor: BranchHeadUser, accounts: AccountServiceDep
) -> Response:
    await accounts.delete_customer(customer_id, actor)
    return Response(status_code=204)


routers = [
    users_router("/api/users", "users"),
    users_router("/api/accounts/users", "accounts"),
    customers,
]
