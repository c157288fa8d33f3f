"""Update bodies say what is wrong with them: ``null`` and lax values are refused naming the field.

A field left out of a PATCH/PUT keeps its value; ``null`` is refused (422) unless the
field may be cleared (an employee's hire date or hourly rate). Booleans and dates are
strict: ``is_active: 0`` does not deactivate anyone and ``hire_date: 0`` is not 1970.
A database constraint is turned into a 409 only when it is named (the email's unique
index); any other integrity error is not dressed up as "email exists".
"""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from auth.accounts.service import AccountService
from auth.models import User
from common.roles import Role
from tests.conftest import stored_user

USER_FIELDS = ["email", "first_name", "last_name", "phone", "role", "store_ids", "is_active"]
CUSTOMER_FIELDS = [
    "email",
    "first_name",
    "last_name",
    "phone",
    "address",
    "notes",
    "marketing_opt_in",
]


def refused_field(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 422, response.text
    [error] = response.json()["detail"]
    return str(error["field"])


@pytest.mark.parametrize("path", ["/api/users/{id}", "/api/accounts/users/{id}/"])
@pytest.mark.parametrize("method", ["PATCH", "PUT"])
async def test_null_in_a_user_update_is_422_naming_the_field(
    client, make_user, headers_for, database, path, method
) -> None:
    admin = headers_for(await make_user(Role.system_admin))
    advisor = await make_user(Role.advisor, stores=["store-1"], phone="+1 555 0100")
    for field in USER_FIELDS:
        response = await client.request(
            method, path.format(id=advisor.id), json={field: None}, headers=admin
        )
        assert refused_field(response) == field
        assert "null" in response.json()["detail"][0]["msg"]
    stored = await stored_user(database, advisor.id)
    assert stored is not None and stored.email == advisor.email and stored.is_active
    assert (stored.role, stored.store_ids, stored.phone) == ("advisor", ["store-1"], "+1 555 0100")


async def test_null_in_a_customer_update_is_422_naming_the_field(
    client, make_user, headers_for, database
) -> None:
    manager = headers_for(await make_user(Role.branch_head))
    customer = await make_user(Role.customer, phone="+1 555 0199")
    for field in CUSTOMER_FIELDS:
        response = await client.patch(
            f"/api/accounts/customers/{customer.id}", json={field: None}, headers=manager
        )
        assert refused_field(response) == field
    stored = await stored_user(database, customer.id)
    assert stored is not None and stored.phone == "+1 555 0199" and stored.email == customer.email


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"is_active": 0}, "is_active"),
        ({"is_active": "false"}, "is_active"),
        ({"is_active": 1}, "is_active"),
    ],
)
async def test_a_lax_boolean_does_not_deactivate_anyone(
    client, make_user, headers_for, database, body, field
) -> None:
    admin = headers_for(await make_user(Role.system_admin))
    advisor = await make_user(Role.advisor)
    assert (
        refused_field(await client.patch(f"/api/users/{advisor.id}", json=body, headers=admin))
        == field
    )
    stored = await stored_user(database, advisor.id)
    assert stored is not None and stored.is_active is True


async def test_marketing_opt_in_is_a_boolean_not_a_number(client, make_user, headers_for) -> None:
    manager = headers_for(await make_user(Role.branch_head))
    customer = await make_user(Role.customer)
    patched = await client.patch(
        f"/api/accounts/customers/{customer.id}", json={"marketing_opt_in": 1}, headers=manager
    )
    assert refused_field(patched) == "marketing_opt_in"
    created = await client.post(
        "/api/accounts/customers",
        json={"email": "numbers@example.com", "marketing_opt_in": 0},
        headers=manager,
    )
    assert refused_field(created) == "marketing_opt_in"


@pytest.mark.parametrize("hire_date", [0, 1_700_000_000, "0", "2025-02-30", True])
async def test_a_hire_date_is_a_written_date(
    client, make_user, headers_for, database, hire_date
) -> None:
    admin = headers_for(await make_user(Role.system_admin))
    advisor = await make_user(Role.advisor)
    response = await client.patch(
        f"/api/users/{advisor.id}/employee_profile", json={"hire_date": hire_date}, headers=admin
    )
    assert refused_field(response) == "hire_date"
    stored = await stored_user(database, advisor.id)
    assert stored is not None and stored.employee_profile is not None
    assert stored.employee_profile.hire_date is None


async def test_a_hire_date_and_rate_may_be_cleared_but_a_job_title_may_not(
    client, make_user, headers_for, database
) -> None:
    admin = headers_for(await make_user(Role.system_admin))
    advisor = await make_user(Role.advisor)
    path = f"/api/users/{advisor.id}/employee_profile"
    set_ = await client.patch(
        path, json={"hire_date": "2025-03-01", "hourly_rate": "21.50"}, headers=admin
    )
    assert set_.status_code == 200 and set_.json()["employee_profile"]["hire_date"] == "2025-03-01"
    cleared = await client.patch(path, json={"hire_date": None, "hourly_rate": None}, headers=admin)
    assert cleared.status_code == 200
    assert cleared.json()["employee_profile"]["hire_date"] is None
    assert cleared.json()["employee_profile"]["hourly_rate"] is None
    assert (
        refused_field(await client.patch(path, json={"job_title": None}, headers=admin))
        == "job_title"
    )
    created = await client.post(
        "/api/users",
        json={
            "email": "nulls@example.com",
            "role": "advisor",
            "employee_profile": {"emergency_contact": None},
        },
        headers=admin,
    )
    assert refused_field(created) == "employee_profile.emergency_contact"


async def test_an_unnamed_integrity_error_is_not_reported_as_a_taken_email(
    make_user, database
) -> None:
    """Only the email's unique index means "email exists"; a NOT NULL violation stays an error."""
    user = await make_user(Role.advisor)
    with pytest.raises(IntegrityError):
        async with database.session() as session:
            accounts = AccountService(session)
            loaded = await session.get(User, user.id)
            assert loaded is not None
            loaded.first_name = None  # type: ignore[assignment]
            await accounts._save(loaded)
