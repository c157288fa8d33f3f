"""Users (000 ``/api/users``, 002 ``/api/accounts/users/``) and customers (002, Manager+).

What an admin or a store manager relies on: what they create is stored, published
and usable (the new user logs in); lists filter, search, order and paginate;
deactivation is a soft delete; profiles, admin password resets and the refusals
(self-delete, unknown ids, taken emails, fields nobody may set).
"""

from __future__ import annotations

import re
import time
import uuid
from decimal import Decimal

import jwt
import pytest

from auth.secrets.hashing import verify_password
from common.roles import Role
from tests.conftest import PASSWORD, stored_user, user_events

USERS = ("/api/users", "/api/accounts/users")


async def test_admin_creates_staff_user_stored_published_and_able_to_log_in(
    client, make_user, headers_for, database, nats_url, login
) -> None:
    admin = await make_user(Role.system_admin)
    since = time.time()
    response = await client.post(
        "/api/accounts/users/",
        json={
            "email": "Maria.Lopez@Store.example.com",
            "password": "a long passphrase",
            "first_name": "Maria",
            "last_name": "Lopez",
            "role": "branch_head",
            "store_ids": ["store-1", "store-2", "store-1"],
            "employee_profile": {
                "employee_number": "E-0042",
                "job_title": "Store manager",
                "hire_date": "2025-03-01",
                "hourly_rate": "21.50",
            },
        },
        headers=headers_for(admin),
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["email"] == "maria.lopez@store.example.com"
    assert body["role"] == "branch_head" and body["store_ids"] == ["store-1", "store-2"]
    assert body["full_name"] == "Maria Lopez" and body["is_active"] is True
    assert body["employee_profile"]["job_title"] == "Store manager"
    assert body["employee_profile"]["hourly_rate"] == "21.50"
    assert body["customer_profile"] is None and "password" not in str(body).lower()

    stored = await stored_user(database, body["id"])
    assert stored is not None and stored.role == "branch_head"
    assert stored.store_ids == ["store-1", "store-2"]
    assert stored.employee_profile is not None
    assert stored.employee_profile.employee_number == "E-0042"
    assert stored.employee_profile.hourly_rate == Decimal("21.50")
    assert stored.password_hash != "a long passphrase"
    assert verify_password(stored.password_hash, "a long passphrase")

    [event] = await user_events(nats_url, "auth.user.created", body["id"], since=since)
    assert event.actor == str(admin.id)
    assert event.data["email"] == "maria.lopez@store.example.com"
    assert event.data["role"] == "branch_head"
    assert event.data["store_ids"] == ["store-1", "store-2"]

    logged_in = await login("maria.lopez@store.example.com", "a long passphrase")
    assert logged_in.status_code == 200, logged_in.text
    claims = jwt.decode(logged_in.json()["access"], options={"verify_signature": False})
    assert claims["role"] == "branch_head" and claims["stores"] == ["store-1", "store-2"]


@pytest.mark.parametrize(("create_on", "read_on"), [USERS, USERS[::-1]])
async def test_users_and_accounts_users_are_one_resource(
    client, make_user, headers_for, create_on, read_on
) -> None:
    admin = headers_for(await make_user(Role.system_admin))
    created = await client.post(
        create_on,
        json={"email": "one@example.com", "role": "advisor", "first_name": "One"},
        headers=admin,
    )
    assert created.status_code == 201, created.text
    user_id = created.json()["id"]
    read = await client.get(f"{read_on}/{user_id}/", headers=admin)
    assert read.status_code == 200 and read.json() == created.json()
    listed = await client.get(read_on, params={"search": "one@example.com"}, headers=admin)
    assert [user["id"] for user in listed.json()["results"]] == [user_id]
    patched = await client.patch(f"{read_on}/{user_id}", json={"phone": "555"}, headers=admin)
    assert patched.status_code == 200
    assert (await client.get(f"{create_on}/{user_id}", headers=admin)).json()["phone"] == "555"


async def test_list_filters_by_role_activity_and_search(client, make_user, headers_for) -> None:
    admin = await make_user(Role.system_admin, first_name="Root")
    ada = await make_user(
        Role.advisor, email="ada@example.com", first_name="Ada", last_name="Lovelace"
    )
    grace = await make_user(
        Role.advisor, email="grace@example.com", first_name="Grace", last_name="Hopper"
    )
    head = await make_user(Role.branch_head, email="head@example.com", first_name="Hedy")
    customer = await make_user(Role.customer, email="cliente@example.com")
    gone = await make_user(
        Role.advisor,
        email="gone@example.com",
        first_name="Gone",
        last_name="Lovelace",
        active=False,
    )

    async def ids(**params: str) -> set[str]:
        response = await client.get("/api/users/", params=params, headers=headers_for(admin))
        assert response.status_code == 200, response.text
        return {user["id"] for user in response.json()["results"]}

    everyone_active = {str(user.id) for user in (admin, ada, grace, head, customer)}
    assert await ids() == everyone_active  # the deactivated user is not listed by default
    assert await ids(role="advisor") == {str(ada.id), str(grace.id)}
    assert await ids(role="customer") == {str(customer.id)}
    assert await ids(is_active="false") == {str(gone.id)}
    assert await ids(is_active="false", role="branch_head") == set()
    assert await ids(search="lovelace") == {str(ada.id)}  # last name, any case
    assert await ids(search="Ada Lovelace") == {str(ada.id)}  # full name
    assert await ids(search="GRACE@EXAMPLE") == {str(grace.id)}  # email
    assert await ids(search="lovelace", is_active="false") == {str(gone.id)}
    assert await ids(search="nobody-matches-this") == set()
    bad = await client.get("/api/users", params={"role": "overlord"}, headers=headers_for(admin))
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "role"


async def test_list_orders_and_paginates_drf_style(client, make_user, headers_for) -> None:
    admin = await make_user(Role.system_admin, email="zed-admin@example.com")
    for letter in "dbca":
        await make_user(Role.advisor, email=f"{letter}@example.com")
    admin_headers = headers_for(admin)

    first = await client.get(
        "/api/accounts/users/",
        params={"ordering": "email", "page_size": 2},
        headers=admin_headers,
    )
    assert first.status_code == 200
    page = first.json()
    assert set(page) == {"count", "next", "previous", "results"}
    assert page["count"] == 5 and page["previous"] is None
    assert [user["email"] for user in page["results"]] == ["a@example.com", "b@example.com"]
    assert "page=2" in page["next"] and "page_size=2" in page["next"]

    second = (await client.get(page["next"], headers=admin_headers)).json()
    assert [user["email"] for user in second["results"]] == ["c@example.com", "d@example.com"]
    assert second["previous"] is not None and second["next"] is not None
    last = (await client.get(second["next"], headers=admin_headers)).json()
    assert [user["email"] for user in last["results"]] == ["zed-admin@example.com"]
    assert last["next"] is None

    descending = await client.get(
        "/api/users", params={"ordering": "-email", "page_size": 1}, headers=admin_headers
    )
    assert [user["email"] for user in descending.json()["results"]] == ["zed-admin@example.com"]
    unknown = await client.get(
        "/api/users", params={"ordering": "password_hash"}, headers=admin_headers
    )
    assert unknown.status_code == 400 and "password_hash" in unknown.json()["detail"]


async def test_patch_role_and_stores_is_stored_and_published_with_changed(
    client, make_user, headers_for, database, nats_url, login
) -> None:
    admin = await make_user(Role.system_admin)
    advisor = await make_user(Role.advisor, stores=["store-1"])
    since = time.time()
    response = await client.patch(
        f"/api/users/{advisor.id}/",
        json={"role": "branch_head", "store_ids": ["store-2", "store-3"]},
        headers=headers_for(admin),
    )
    assert response.status_code == 200, response.text
    assert response.json()["role"] == "branch_head"
    assert response.json()["store_ids"] == ["store-2", "store-3"]

    stored = await stored_user(database, advisor.id)
    assert stored is not None
    assert (stored.role, stored.store_ids) == ("branch_head", ["store-2", "store-3"])

    [event] = await user_events(nats_url, "auth.user.updated", advisor.id, since=since)
    assert event.data["changed"] == ["role", "store_ids"]
    assert event.data["role"] == "branch_head" and event.actor == str(admin.id)

    claims = jwt.decode(
        (await login(advisor.email)).json()["access"], options={"verify_signature": False}
    )
    assert claims["role"] == "branch_head" and claims["stores"] == ["store-2", "store-3"]


async def test_admin_cannot_delete_deactivate_or_demote_themselves(
    client, make_user, headers_for, database
) -> None:
    admin = await make_user(Role.system_admin)
    headers = headers_for(admin)
    deleted = await client.delete(f"/api/users/{admin.id}", headers=headers)
    assert deleted.status_code == 403
    assert deleted.json()["detail"] == "You cannot delete your own account."
    for path in (f"/api/users/{admin.id}", f"/api/accounts/users/{admin.id}/"):
        deactivated = await client.patch(path, json={"is_active": False}, headers=headers)
        assert deactivated.status_code == 403
        assert deactivated.json()["detail"] == "You cannot deactivate your own account."
    replaced = await client.put(
        f"/api/users/{admin.id}", json={"is_active": False}, headers=headers
    )
    assert replaced.status_code == 403
    demoted = await client.patch(
        f"/api/users/{admin.id}", json={"role": "advisor"}, headers=headers
    )
    assert demoted.status_code == 403
    stored = await stored_user(database, admin.id)
    assert stored is not None and stored.is_active and stored.role == "system_admin"
    # Their own harmless fields they may change.
    renamed = await client.patch(
        f"/api/users/{admin.id}", json={"first_name": "R"}, headers=headers
    )
    assert renamed.status_code == 200 and renamed.json()["first_name"] == "R"


async def test_delete_deactivates_keeps_the_row_and_publishes(
    client, make_user, headers_for, database, nats_url, login
) -> None:
    admin = await make_user(Role.system_admin)
    advisor = await make_user(Role.advisor)
    refresh = (await login(advisor.email)).json()["refresh"]
    headers = headers_for(admin)
    since = time.time()
    response = await client.delete(f"/api/accounts/users/{advisor.id}/", headers=headers)
    assert response.status_code == 204 and response.content == b""

    stored = await stored_user(database, advisor.id)
    assert stored is not None and stored.is_active is False  # soft delete: the row stays
    [event] = await user_events(nats_url, "auth.user.deactivated", advisor.id, since=since)
    assert event.data["is_active"] is False and event.actor == str(admin.id)

    listed = (await client.get("/api/users", headers=headers)).json()["results"]
    assert str(advisor.id) not in {user["id"] for user in listed}
    inactive = (await client.get("/api/users?is_active=false", headers=headers)).json()
    assert [user["id"] for user in inactive["results"]] == [str(advisor.id)]
    detail = await client.get(f"/api/users/{advisor.id}", headers=headers)
    assert detail.status_code == 200 and detail.json()["is_active"] is False

    assert (await login(advisor.email)).status_code == 401
    assert (await client.post("/api/token/refresh", json={"refresh": refresh})).status_code == 401


async def test_employee_profile_patch_and_conflict_for_non_employee(
    client, make_user, headers_for, database, nats_url
) -> None:
    admin = headers_for(await make_user(Role.system_admin))
    advisor = await make_user(Role.advisor)
    customer = await make_user(Role.customer)
    since = time.time()
    response = await client.patch(
        f"/api/accounts/users/{advisor.id}/employee_profile/",
        json={"job_title": "Lead technician", "hourly_rate": "24.75", "hire_date": "2024-05-02"},
        headers=admin,
    )
    assert response.status_code == 200, response.text
    assert response.json()["employee_profile"]["job_title"] == "Lead technician"
    stored = await stored_user(database, advisor.id)
    assert stored is not None and stored.employee_profile is not None
    assert stored.employee_profile.hourly_rate == Decimal("24.75")
    assert str(stored.employee_profile.hire_date) == "2024-05-02"
    [event] = await user_events(nats_url, "auth.user.updated", advisor.id, since=since)
    assert event.data["changed"] == ["employee_profile"]

    conflict = await client.patch(
        f"/api/users/{customer.id}/employee_profile", json={"job_title": "x"}, headers=admin
    )
    assert conflict.status_code == 409
    assert "not an employee" in conflict.json()["detail"]
    stored_customer = await stored_user(database, customer.id)
    assert stored_customer is not None and stored_customer.employee_profile is None

    negative = await client.patch(
        f"/api/users/{advisor.id}/employee_profile", json={"hourly_rate": "-1"}, headers=admin
    )
    assert negative.status_code == 422 and negative.json()["detail"][0]["field"] == "hourly_rate"


async def test_consignee_profile_patch_and_conflict_for_non_consignee(
    client, make_user, headers_for, database
) -> None:
    admin = headers_for(await make_user(Role.system_admin))
    consignee = await make_user(Role.consignee)
    advisor = await make_user(Role.advisor)
    response = await client.patch(
        f"/api/accounts/users/{consignee.id}/consignee_profile/",
        json={"commission_rate": "35.50", "payout_method": "check", "address": "1 Main St"},
        headers=admin,
    )
    assert response.status_code == 200, response.text
    assert response.json()["consignee_profile"]["commission_rate"] == "35.50"
    stored = await stored_user(database, consignee.id)
    assert stored is not None and stored.consignee_profile is not None
    assert stored.consignee_profile.commission_rate == Decimal("35.50")
    assert stored.consignee_profile.payout_method == "check"

    conflict = await client.patch(
        f"/api/users/{advisor.id}/consignee_profile", json={"notes": "x"}, headers=admin
    )
    assert conflict.status_code == 409 and "not a consignee" in conflict.json()["detail"]
    bad = await client.patch(
        f"/api/users/{consignee.id}/consignee_profile",
        json={"payout_method": "bitcoin"},
        headers=admin,
    )
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "payout_method"


async def test_admin_reset_password_gives_a_working_temporary_password_and_ends_sessions(
    client, make_user, headers_for, database, nats_url, login
) -> None:
    admin = await make_user(Role.system_admin)
    advisor = await make_user(Role.advisor)
    refresh = (await login(advisor.email)).json()["refresh"]
    since = time.time()
    response = await client.post(
        f"/api/accounts/users/{advisor.id}/reset-password/", headers=headers_for(admin)
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"detail", "temporary_password"}
    temporary = body["temporary_password"]
    assert len(temporary) >= 10 and temporary != PASSWORD

    assert (await login(advisor.email, PASSWORD)).status_code == 401
    assert (await login(advisor.email, temporary)).status_code == 200
    refreshed = await client.post("/api/token/refresh", json={"refresh": refresh})
    assert refreshed.status_code == 401
    [event] = await user_events(nats_url, "auth.user.updated", advisor.id, since=since)
    assert event.data["changed"] == ["password"] and temporary not in str(event.data)
    again = await client.post(f"/api/users/{advisor.id}/reset-password", headers=headers_for(admin))
    assert again.json()["temporary_password"] != temporary


@pytest.mark.parametrize(
    ("method", "suffix", "json"),
    [
        ("GET", "", None),
        ("PATCH", "", {"first_name": "x"}),
        ("DELETE", "", None),
        ("PATCH", "/employee_profile", {"job_title": "x"}),
        ("PATCH", "/consignee_profile", {"notes": "x"}),
        ("POST", "/reset-password", None),
    ],
)
async def test_unknown_id_is_404_and_malformed_id_is_422(
    client, make_user, headers_for, method, suffix, json
) -> None:
    admin = headers_for(await make_user(Role.system_admin))
    missing = uuid.uuid4()
    response = await client.request(
        method, f"/api/users/{missing}{suffix}", json=json, headers=admin
    )
    assert response.status_code == 404
    assert response.json() == {"detail": f"User {missing} not found."}
    malformed = await client.request(
        method, f"/api/accounts/users/not-a-uuid{suffix}/", json=json, headers=admin
    )
    assert malformed.status_code == 422
    assert malformed.json()["detail"][0]["field"] == "user_id"


async def test_duplicate_email_is_409_naming_email(
    client, make_user, headers_for, database
) -> None:
    admin = headers_for(await make_user(Role.system_admin))
    taken = await make_user(Role.advisor, email="taken@example.com")
    other = await make_user(Role.advisor, email="other@example.com")
    created = await client.post(
        "/api/users", json={"email": "TAKEN@Example.com", "role": "advisor"}, headers=admin
    )
    assert created.status_code == 409
    assert created.json()["detail"][0]["field"] == "email"
    patched = await client.patch(
        f"/api/users/{other.id}", json={"email": "Taken@example.com"}, headers=admin
    )
    assert patched.status_code == 409 and patched.json()["detail"][0]["field"] == "email"
    stored = await stored_user(database, other.id)
    assert stored is not None and stored.email == "other@example.com"
    # Keeping one's own email is not a conflict.
    same = await client.patch(
        f"/api/users/{taken.id}", json={"email": "taken@example.com"}, headers=admin
    )
    assert same.status_code == 200


@pytest.mark.parametrize(
    ("method", "suffix", "json", "field"),
    [
        (
            "POST",
            "",
            {"email": "m@example.com", "role": "advisor", "is_active": False},
            "is_active",
        ),
        (
            "POST",
            "",
            {"email": "m@example.com", "role": "advisor", "password_hash": "x"},
            "password_hash",
        ),
        ("PATCH", "/{id}", {"password": "a long passphrase"}, "password"),
        ("PATCH", "/{id}", {"date_joined": "2020-01-01T00:00:00Z"}, "date_joined"),
        ("PATCH", "/{id}/employee_profile", {"role": "system_admin"}, "role"),
        ("PATCH", "/{id}/employee_profile", {"user_id": str(uuid.uuid4())}, "user_id"),
    ],
)
async def test_unknown_fields_are_refused_naming_the_field(
    client, make_user, headers_for, database, method, suffix, json, field
) -> None:
    admin = headers_for(await make_user(Role.system_admin))
    advisor = await make_user(Role.advisor)
    response = await client.request(
        method, "/api/users" + suffix.format(id=advisor.id), json=json, headers=admin
    )
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["detail"]] == [field]
    stored = await stored_user(database, advisor.id)
    assert stored is not None and stored.is_active and stored.role == "advisor"
    assert stored.password_hash == advisor.password_hash
    assert stored.date_joined == advisor.date_joined
    listed = (await client.get("/api/users?search=m@example.com", headers=admin)).json()
    assert listed["count"] == 0  # nothing was created either


async def test_create_user_requires_a_known_role_and_a_valid_password(
    client, make_user, headers_for
) -> None:
    admin = headers_for(await make_user(Role.system_admin))
    no_role = await client.post("/api/users", json={"email": "r@example.com"}, headers=admin)
    assert no_role.status_code == 422 and no_role.json()["detail"][0]["field"] == "role"
    bad_role = await client.post(
        "/api/users", json={"email": "r@example.com", "role": "superuser"}, headers=admin
    )
    assert bad_role.status_code == 422 and bad_role.json()["detail"][0]["field"] == "role"
    weak = await client.post(
        "/api/users",
        json={"email": "r@example.com", "role": "advisor", "password": "short"},
        headers=admin,
    )
    assert weak.status_code == 422 and weak.json()["detail"][0]["field"] == "password"


# Customers (Manager+)

CUSTOMER_NUMBER = re.compile(r"^CUS-\d{6}$")


async def test_manager_creates_customer_with_a_number_and_looks_it_up(
    client, make_user, headers_for, database, nats_url
) -> None:
    manager = await make_user(Role.branch_head, stores=["store-1"])
    headers = headers_for(manager)
    since = time.time()
    response = await client.post(
        "/api/accounts/customers/",
        json={
            "email": "Ana.Ruiz@example.com",
            "first_name": "Ana",
            "last_name": "Ruiz",
            "phone": "+1 555 0199",
            "address": "2 Side St",
            "marketing_opt_in": True,
        },
        headers=headers,
    )
    assert response.status_code == 201, response.text
    body = response.json()
    number = body["customer_profile"]["customer_number"]
    assert CUSTOMER_NUMBER.match(number), number
    assert body["role"] == "customer" and body["email"] == "ana.ruiz@example.com"
    assert body["customer_profile"]["address"] == "2 Side St"
    assert body["customer_profile"]["marketing_opt_in"] is True
    assert body["store_ids"] == [] and body["employee_profile"] is None

    stored = await stored_user(database, body["id"])
    assert stored is not None and stored.customer_profile is not None
    assert stored.customer_profile.customer_number == number
    assert stored.password_hash is None  # no login until they set a password
    [event] = await user_events(nats_url, "auth.user.created", body["id"], since=since)
    assert event.data["customer_number"] == number and event.actor == str(manager.id)

    found = await client.get(f"/api/accounts/customers/lookup/{number.lower()}/", headers=headers)
    assert found.status_code == 200 and found.json()["id"] == body["id"]
    detail = await client.get(f"/api/accounts/customers/{body['id']}", headers=headers)
    assert detail.status_code == 200 and detail.json() == body
    unknown = await client.get("/api/accounts/customers/lookup/CUS-999999", headers=headers)
    assert unknown.status_code == 404 and "CUS-999999" in unknown.json()["detail"]

    second = await client.post(
        "/api/accounts/customers", json={"email": "ben@example.com"}, headers=headers
    )
    second_number = second.json()["customer_profile"]["customer_number"]
    assert CUSTOMER_NUMBER.match(second_number) and second_number > number


async def test_customer_list_searches_and_holds_only_active_customers(
    client, make_user, headers_for
) -> None:
    manager = headers_for(await make_user(Role.branch_head))
    ana = await make_user(
        Role.customer,
        email="ana@example.com",
        first_name="Ana",
        last_name="Ruiz",
        phone="+1 555 0199",
        customer_number="CUS-900123",
    )
    ben = await make_user(Role.customer, email="ben@example.com", first_name="Ben")
    await make_user(Role.customer, email="old@example.com", first_name="Ana", active=False)
    await make_user(Role.advisor, email="ana.staff@example.com", first_name="Ana")

    async def ids(**params: str) -> set[str]:
        response = await client.get("/api/accounts/customers/", params=params, headers=manager)
        assert response.status_code == 200, response.text
        assert set(response.json()) == {"count", "next", "previous", "results"}
        return {user["id"] for user in response.json()["results"]}

    assert await ids() == {str(ana.id), str(ben.id)}
    assert await ids(search="ana") == {str(ana.id)}  # not the staff member, not the inactive one
    assert await ids(search="Ana Ruiz") == {str(ana.id)}
    assert await ids(search="BEN@example") == {str(ben.id)}
    assert await ids(search="0199") == {str(ana.id)}
    assert await ids(search="cus-900123") == {str(ana.id)}


async def test_patch_customer_updates_user_and_profile_and_refuses_staff_fields(
    client, make_user, headers_for, database, nats_url
) -> None:
    admin = await make_user(Role.system_admin)
    manager = headers_for(await make_user(Role.branch_head))
    customer = await make_user(Role.customer)
    since = time.time()
    response = await client.patch(
        f"/api/accounts/customers/{customer.id}/",
        json={"phone": "+1 555 0123", "address": "3 New Rd", "notes": "prefers email"},
        headers=manager,
    )
    assert response.status_code == 200, response.text
    assert response.json()["phone"] == "+1 555 0123"
    assert response.json()["customer_profile"]["address"] == "3 New Rd"
    stored = await stored_user(database, customer.id)
    assert stored is not None and stored.customer_profile is not None
    assert stored.phone == "+1 555 0123" and stored.customer_profile.notes == "prefers email"
    [event] = await user_events(nats_url, "auth.user.updated", customer.id, since=since)
    assert event.data["changed"] == ["address", "notes", "phone"]

    escalate = await client.patch(
        f"/api/accounts/customers/{customer.id}", json={"role": "system_admin"}, headers=manager
    )
    assert escalate.status_code == 422 and escalate.json()["detail"][0]["field"] == "role"
    # A manager cannot reach a staff account through the customer routes.
    staff = await client.patch(
        f"/api/accounts/customers/{admin.id}", json={"email": "mine@example.com"}, headers=manager
    )
    assert staff.status_code == 404
    stored_admin = await stored_user(database, admin.id)
    assert stored_admin is not None and stored_admin.email == admin.email
    assert (
        await client.delete(f"/api/accounts/customers/{admin.id}", headers=manager)
    ).status_code == 404


async def test_delete_customer_deactivates_and_hides_them(
    client, make_user, headers_for, database, nats_url
) -> None:
    manager = headers_for(await make_user(Role.branch_head))
    customer = await make_user(Role.customer, customer_number="CUS-900321")
    since = time.time()
    response = await client.delete(f"/api/accounts/customers/{customer.id}/", headers=manager)
    assert response.status_code == 204 and response.content == b""
    stored = await stored_user(database, customer.id)
    assert stored is not None and stored.is_active is False
    [event] = await user_events(nats_url, "auth.user.deactivated", customer.id, since=since)
    assert event.data["customer_number"] == "CUS-900321"

    listed = (await client.get("/api/accounts/customers", headers=manager)).json()
    assert listed["count"] == 0
    lookup = await client.get("/api/accounts/customers/lookup/CUS-900321", headers=manager)
    assert lookup.status_code == 404
    detail = await client.get(f"/api/accounts/customers/{customer.id}", headers=manager)
    assert detail.status_code == 404
    again = await client.delete(f"/api/accounts/customers/{customer.id}", headers=manager)
    assert again.status_code == 404
