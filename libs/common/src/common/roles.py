"""The one role hierarchy of all seeds, and the callers a verified token describes.

``system_admin`` > ``branch_head`` (a store's manager; the seeds' Manager+) >
``advisor`` (staff, cashier, employee) > ``customer``; ``consignee`` stands apart
and satisfies only a requirement that names it.

A token names either a person (``Principal``, an access token) or another
service acting as itself (``ServicePrincipal``, a service token with scopes).
A service has no role: it passes only a route that names one of its scopes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import ClassVar


class Role(StrEnum):
    system_admin = "system_admin"
    branch_head = "branch_head"
    advisor = "advisor"
    customer = "customer"
    consignee = "consignee"


_RANK = {Role.customer: 1, Role.advisor: 2, Role.branch_head: 3, Role.system_admin: 4}
STAFF_ROLES = frozenset({Role.advisor, Role.branch_head, Role.system_admin})


def role_satisfies(role: Role, required: Role) -> bool:
    """Whether ``role`` may do what ``required`` may (hierarchy; consignee only as itself)."""
    if role == required:
        return True
    if Role.consignee in (role, required):
        return False
    return _RANK[role] >= _RANK[required]


@dataclass(frozen=True)
class Principal:
    """Who is calling, as their access token says."""

    user_id: str
    role: Role
    store_ids: frozenset[str] = field(default_factory=frozenset)
    email: str | None = None
    token_id: str | None = None
    expires_at: datetime | None = None
    issued_at: float | None = None  # the token's iat (auth stamps it to the millisecond)
    session_id: str | None = None  # the login (refresh-token family) the token belongs to

    is_service: ClassVar[bool] = False

    @property
    def is_admin(self) -> bool:
        return self.role == Role.system_admin

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    def has_role(self, *required: Role) -> bool:
        return any(role_satisfies(self.role, wanted) for wanted in required)


@dataclass(frozen=True)
class ServicePrincipal:
    """Another Shopfloor service calling as itself, with the scopes auth granted its client."""

    client: str
    scopes: frozenset[str] = field(default_factory=frozenset)
    token_id: str | None = None
    expires_at: datetime | None = None
    issued_at: float | None = None

    is_service: ClassVar[bool] = True

    @property
    def user_id(self) -> str:
        """The actor recorded for what the service does (events, audit): ``service:<client>``."""
        return f"service:{self.client}"

    def has_scopes(self, *required: str) -> bool:
        return set(required) <= self.scopes


Caller = Principal | ServicePrincipal
