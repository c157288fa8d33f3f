"""Registers: strict bodies (issue 11) — a boolean is true or false, not 0 or 1, and an
explicit null on a field that cannot be empty is refused naming it, changing nothing."""

from __future__ import annotations

from tests.till import STORE_A, Till

REGISTERS = "/api/pos/registers"


async def test_booleans_refuse_0_and_1(till: Till) -> None:
    for value in (0, 1, "true"):
        refused = await till.client.post(
            REGISTERS,
            json={"store_id": str(STORE_A), "code": "R-0", "name": "Zero", "is_active": value},
            headers=till.head(),
        )
        assert refused.status_code == 422, (value, refused.text)
        assert {error["field"] for error in refused.json()["detail"]} == {"is_active"}
    register = await till.register("R-1")
    url = f"{REGISTERS}/{register['id']}"
    for method in ("PATCH", "PUT"):
        refused = await till.client.request(method, url, json={"is_active": 0}, headers=till.head())
        assert refused.status_code == 422, refused.text
    still = await till.client.get(url, headers=till.head())
    assert still.json()["is_active"] is True
    listed = await till.client.get(REGISTERS, headers=till.head())
    assert [row["code"] for row in listed.json()["results"]] == ["R-1"]


async def test_explicit_null_is_refused_naming_the_field(till: Till) -> None:
    register = await till.register("R-2")
    url = f"{REGISTERS}/{register['id']}"
    for field in ("name", "code", "is_active"):
        for method in ("PATCH", "PUT"):
            refused = await till.client.request(
                method, url, json={field: None}, headers=till.head()
            )
            assert refused.status_code == 422, (field, refused.text)
            [error] = refused.json()["detail"]
            assert error["field"] == field and "cannot be null" in error["msg"], error
    unchanged = await till.client.get(url, headers=till.head())
    assert (unchanged.json()["name"], unchanged.json()["code"]) == ("Register R-2", "R-2")
    renamed = await till.client.patch(url, json={"name": "Back counter"}, headers=till.head())
    assert renamed.status_code == 200 and renamed.json()["name"] == "Back counter"
