"""The rules for users, staff profiles and customers.

Services never commit (the request session does) and raise domain errors only.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from auth.accounts.repository import UserRepository
from auth.accounts.schemas import (
    ConsigneeEnrollmentIn,
    ConsigneeProfileIn,
    CustomerIn,
    CustomerUpdate,
    EmployeeProfileIn,
    RegisterIn,
    UserCreate,
    UserUpdate,
)
from auth.events.contracts import SessionsEnded
from auth.events.outbox import (
    USER_CREATED,
    USER_DEACTIVATED,
    USER_REGISTERED,
    USER_UPDATED,
    publish_user,
)
from auth.models import ConsigneeProfile, CustomerProfile, EmployeeProfile, User
from auth.secrets.hashing import hash_password
from auth.secrets.rules import password_problems
from auth.tokens.ending import SessionEnder
from common.errors import Conflict, NotFound, PermissionDenied, field_error
from common.roles import Caller, Principal, Role, ServicePrincipal


def check_password(password: str, *, email: str | None, field: str = "password") -> None:
    problems = password_problems(password, email=email)
    if problems:
        raise field_error(field, "Password " + "; ".join(problems) + ".")


EMAIL_UNIQUE = "ix_users_email"
SERVICE_CREATABLE_ROLES = frozenset({Role.customer, Role.consignee})
# a user has one role: only a customer (or a consignee) may become a consignee
ENROLLABLE_ROLES = frozenset({Role.customer.value, Role.consignee.value})


@dataclass(frozen=True)
class CreatedUser:
    user: User
    replayed: bool  # a service's retry: the user its first request created


def constraint_name(error: IntegrityError) -> str | None:
    """The name of the constraint PostgreSQL reported as violated (psycopg's diagnostics)."""
    diagnostics = getattr(error.orig, "diag", None)
    name = getattr(diagnostics, "constraint_name", None)
    return str(name) if name else None


def _changes(body: BaseModel) -> dict[str, Any]:
    return body.model_dump(exclude_unset=True)


class AccountService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.users = UserRepository(session)
        self.ender = SessionEnder(session)

    async def _ensure_email_free(self, email: str, *, except_id: uuid.UUID | None = None) -> None:
        if await self.users.email_taken(email, except_id=except_id):
            raise field_error("email", "A user with this email already exists.", status=Conflict)

    async def _save(self, user: User) -> User:
        try:
            await self.users.flush()
        except IntegrityError as exc:
            # Only a constraint we can name becomes a 409; anything else is a bug (500).
            if constraint_name(exc) == EMAIL_UNIQUE:  # a concurrent request took the email
                raise field_error(
                    "email", "A user with this email already exists.", status=Conflict
                ) from exc
            raise
        await self.session.refresh(user)
        return user

    async def get(self, user_id: uuid.UUID) -> User:
        user = await self.users.get(user_id)
        if user is None:
            raise NotFound(f"User {user_id} not found.")
        return user

    async def register(self, body: RegisterIn) -> User:
        """Public sign-up: always a customer, never staff (no role/store fields accepted)."""
        email = body.email.lower()
        check_password(body.password, email=email)
        await self._ensure_email_free(email)
        user = User(
            email=email,
            password_hash=hash_password(body.password),
            first_name=body.first_name,
            last_name=body.last_name,
            phone=body.phone,
            role=Role.customer.value,
            store_ids=[],
        )
        user.customer_profile = CustomerProfile(
            customer_number=await self.users.next_customer_number()
        )
        self.users.add(user)
        await self._save(user)
        await publish_user(self.session, USER_REGISTERED, user, actor=str(user.id))
        return user

    async def create_user(self, body: UserCreate, actor: Caller) -> CreatedUser:
        """A staff member, customer or consignee. Another service (``users:create``) may create
        only customers and consignees, and its retry of the same creation (same email and role:
        the natural key) answers the user it created rather than a conflict."""
        email = body.email.lower()
        if isinstance(actor, ServicePrincipal):
            if body.role not in SERVICE_CREATABLE_ROLES:
                raise PermissionDenied("A service may create only customer and consignee accounts.")
            existing = await self.users.by_email(email)
            if existing is not None and existing.role == body.role.value and existing.is_active:
                return CreatedUser(existing, replayed=True)
        if body.password is not None:
            check_password(body.password, email=email)
        await self._ensure_email_free(email)
        user = User(
            email=email,
            password_hash=hash_password(body.password) if body.password else None,
            first_name=body.first_name,
            last_name=body.last_name,
            phone=body.phone,
            role=body.role.value,
            store_ids=list(dict.fromkeys(body.store_ids)),
        )
        if body.employee_profile is not None or body.role in (Role.advisor, Role.branch_head):
            user.employee_profile = EmployeeProfile(
                **_changes(body.employee_profile or EmployeeProfileIn())
            )
        if body.consignee_profile is not None or body.role == Role.consignee:
            user.consignee_profile = ConsigneeProfile(
                **_changes(body.consignee_profile or ConsigneeProfileIn())
            )
        if body.role == Role.customer:
            user.customer_profile = CustomerProfile(
                customer_number=await self.users.next_customer_number()
            )
        self.users.add(user)
        await self._save(user)
        await publish_user(self.session, USER_CREATED, user, actor=actor.user_id)
        return CreatedUser(user, replayed=False)

    async def update_user(self, user_id: uuid.UUID, body: UserUpdate, actor: Principal) -> User:
        user = await self.get(user_id)
        changes = _changes(body)
        if str(user.id) == actor.user_id:
            if changes.get("is_active") is False:
                raise PermissionDenied("You cannot deactivate your own account.")
            if "role" in changes and changes["role"] != user.role:
                raise PermissionDenied("You cannot change your own role.")
        if "email" in changes:
            changes["email"] = changes["email"].lower()
            await self._ensure_email_free(changes["email"], except_id=user.id)
        if "role" in changes:
            changes["role"] = Role(changes["role"]).value
        if "store_ids" in changes:
            changes["store_ids"] = list(dict.fromkeys(changes["store_ids"]))
        was_active, old_role, old_stores = user.is_active, user.role, set(user.store_ids)
        for field, value in changes.items():
            setattr(user, field, value)
        if changes.get("role") == Role.customer.value and user.customer_profile is None:
            user.customer_profile = CustomerProfile(
                customer_number=await self.users.next_customer_number()
            )
        await self._save(user)
        if was_active and not user.is_active:
            await self.ender.end_all(user, reason=SessionsEnded.deactivated, actor=actor.user_id)
            await publish_user(self.session, USER_DEACTIVATED, user, actor=actor.user_id)
            return user
        if user.role != old_role:
            await self.ender.end_all(user, reason=SessionsEnded.role_changed, actor=actor.user_id)
        elif old_stores - set(user.store_ids):
            await self.ender.end_all(user, reason=SessionsEnded.stores_removed, actor=actor.user_id)
        await publish_user(
            self.session, USER_UPDATED, user, actor=actor.user_id, changed=sorted(changes)
        )
        return user

    async def deactivate_user(self, user_id: uuid.UUID, actor: Principal) -> None:
        """Soft delete: the account stays for history, its sessions end, its tokens stop working."""
        if str(user_id) == actor.user_id:
            raise PermissionDenied("You cannot delete your own account.")
        user = await self.get(user_id)
        if not user.is_active:
            return
        user.is_active = False
        await self._save(user)
        await self.ender.end_all(user, reason=SessionsEnded.deactivated, actor=actor.user_id)
        await publish_user(self.session, USER_DEACTIVATED, user, actor=actor.user_id)

    async def update_employee_profile(
        self, user_id: uuid.UUID, body: EmployeeProfileIn, actor: Principal
    ) -> User:
        user = await self.get(user_id)
        if user.role not in (Role.advisor.value, Role.branch_head.value, Role.system_admin.value):
            raise Conflict(f"User {user_id} is a {user.role}, not an employee.")
        if user.employee_profile is None:
            user.employee_profile = EmployeeProfile()
        for field, value in _changes(body).items():
            setattr(user.employee_profile, field, value)
        await self._save(user)
        await publish_user(
            self.session, USER_UPDATED, user, actor=actor.user_id, changed=["employee_profile"]
        )
        return user

    async def update_consignee_profile(
        self, user_id: uuid.UUID, body: ConsigneeProfileIn, actor: Principal
    ) -> User:
        user = await self.get(user_id)
        if user.role != Role.consignee.value:
            raise Conflict(f"User {user_id} is a {user.role}, not a consignee.")
        if user.consignee_profile is None:
            user.consignee_profile = ConsigneeProfile()
        for field, value in _changes(body).items():
            setattr(user.consignee_profile, field, value)
        await self._save(user)
        await publish_user(
            self.session, USER_UPDATED, user, actor=actor.user_id, changed=["consignee_profile"]
        )
        return user

    async def enroll_consignee(
        self, user_id: uuid.UUID, body: ConsigneeEnrollmentIn, actor: Caller
    ) -> User:
        """The user as a consignee of ``body.store_id`` (POS opening an account for an existing
        user): a customer's role becomes ``consignee`` (their customer profile and number stay;
        their sessions end, as on any role change), the store joins their stores. Idempotent:
        a consignee already of that store is answered as is, with no event. Staff and admins
        keep their role (a user has one): 409, as for a deactivated user."""
        user = await self.get(user_id)
        if not user.is_active:
            raise Conflict(f"User {user_id} is deactivated.")
        if user.role not in ENROLLABLE_ROLES:
            raise Conflict(
                f"User {user_id} is a {user.role}: a user has one role, and only a customer "
                "can become a consignee."
            )
        changed = []
        old_role = user.role
        if user.role != Role.consignee.value:
            user.role = Role.consignee.value
            changed.append("role")
        if user.consignee_profile is None:
            user.consignee_profile = ConsigneeProfile()
            changed.append("consignee_profile")
        if body.store_id not in user.store_ids:
            user.store_ids = [*user.store_ids, body.store_id]
            changed.append("store_ids")
        if not changed:
            return user
        await self._save(user)
        if user.role != old_role:
            await self.ender.end_all(user, reason=SessionsEnded.role_changed, actor=actor.user_id)
        await publish_user(
            self.session, USER_UPDATED, user, actor=actor.user_id, changed=sorted(changed)
        )
        return user

    async def admin_reset_password(self, user_id: uuid.UUID, actor: Principal) -> str:
        """A temporary password; every session of the user ends. Not for the admin's own
        account: changing one's own password asks for the current one."""
        if str(user_id) == actor.user_id:
            raise Conflict(
                "You cannot reset your own password here: use POST /api/auth/change-password, "
                "which asks for your current password."
            )
        user = await self.get(user_id)
        temporary = "-".join(secrets.token_urlsafe(3)[:4] for _ in range(4))
        user.password_hash = hash_password(temporary)
        await self.ender.end_all(user, reason=SessionsEnded.password_reset, actor=actor.user_id)
        await self._save(user)
        await publish_user(
            self.session, USER_UPDATED, user, actor=actor.user_id, changed=["password"]
        )
        return temporary

    # Customers (Manager+): users with the customer role and a customer profile.

    async def get_customer(self, user_id: uuid.UUID) -> User:
        user = await self.users.get(user_id)
        if user is None or user.role != Role.customer.value or not user.is_active:
            raise NotFound(f"Customer {user_id} not found.")
        return user

    async def create_customer(self, body: CustomerIn, actor: Principal) -> User:
        email = body.email.lower()
        await self._ensure_email_free(email)
        user = User(
            email=email,
            password_hash=None,  # no login until they reset a password
            first_name=body.first_name,
            last_name=body.last_name,
            phone=body.phone,
            role=Role.customer.value,
            store_ids=[],
        )
        user.customer_profile = CustomerProfile(
            customer_number=await self.users.next_customer_number(),
            address=body.address,
            notes=body.notes,
            marketing_opt_in=body.marketing_opt_in,
        )
        self.users.add(user)
        await self._save(user)
        await publish_user(self.session, USER_CREATED, user, actor=actor.user_id)
        return user

    async def update_customer(
        self, user_id: uuid.UUID, body: CustomerUpdate, actor: Principal
    ) -> User:
        user = await self.get_customer(user_id)
        changes = _changes(body)
        if "email" in changes:
            changes["email"] = changes["email"].lower()
            await self._ensure_email_free(changes["email"], except_id=user.id)
        profile = user.customer_profile
        if profile is None:  # every customer is created with one; an older row may lack it
            profile = user.customer_profile = CustomerProfile(
                customer_number=await self.users.next_customer_number()
            )
        for field, value in changes.items():
            setattr(
                profile if field in ("address", "notes", "marketing_opt_in") else user, field, value
            )
        await self._save(user)
        await publish_user(
            self.session, USER_UPDATED, user, actor=actor.user_id, changed=sorted(changes)
        )
        return user

    async def delete_customer(self, user_id: uuid.UUID, actor: Principal) -> None:
        user = await self.get_customer(user_id)
        user.is_active = False
        await self._save(user)
        await self.ender.end_all(user, reason=SessionsEnded.deactivated, actor=actor.user_id)
        await publish_user(self.session, USER_DEACTIVATED, user, actor=actor.user_id)

    async def lookup_customer(self, customer_number: str) -> User:
        user = await self.users.by_customer_number(customer_number)
        if user is None:
            raise NotFound(f"No customer with number {customer_number}.")
        return user
