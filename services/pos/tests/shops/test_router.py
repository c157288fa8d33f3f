"""POS's stores: the ones a caller sells in, and the tax rate a system admin sets."""

from __future__ import annotations

from tests.till import STORE_B, Till


async def test_the_store_tax_rate_is_set_by_a_system_admin(till: Till) -> None:
    admin = till.auth_headers("system_admin", user_id="admin-1")
    url = f"/api/pos/stores/{STORE_B}"
    by_head = await till.client.patch(url, json={"tax_rate": "0.05"}, headers=till.head(STORE_B))
    assert by_head.status_code == 403
    too_high = await till.client.patch(url, json={"tax_rate": "1.5"}, headers=admin)
    assert too_high.status_code == 422 and "tax_rate" in str(too_high.json()["detail"])
    updated = await till.client.patch(url, json={"tax_rate": "0.0625"}, headers=admin)
    assert updated.status_code == 200 and updated.json()["tax_rate"] == "0.0625"
    listed = await till.client.get("/api/pos/stores", headers=till.head(STORE_B))
    assert [(row["code"], row["tax_rate"]) for row in listed.json()["results"]] == [
        ("BOS-01", "0.0625")
    ]
