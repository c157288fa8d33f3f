"""/api/inventory-config: one global row, validated, and used by postings at once."""

from __future__ import annotations

from tests.conftest import Shop


async def test_get_and_put_config(shop: Shop) -> None:
    default = await shop.client.get("/api/inventory-config", headers=shop.admin)
    assert default.status_code == 200
    assert default.json()["allow_negative_stock"] is False
    assert default.json()["valuation_method"] == "moving_average"
    body = {
        "default_low_stock_threshold": "5",
        "low_stock_overrides": {"ip13-scr": "20"},
        "allow_negative_stock": True,
        "valuation_method": "moving_average",
    }
    put = await shop.client.put("/api/inventory-config", json=body, headers=shop.admin)
    assert put.status_code == 200
    assert put.json()["low_stock_overrides"] == {"IP13-SCR": "20"}
    assert put.json()["updated_by"] == "admin-1"
    assert (await shop.client.get("/api/inventory-config", headers=shop.admin)).json() == put.json()


async def test_invalid_config_is_refused_and_nothing_changes(shop: Shop) -> None:
    before = (await shop.client.get("/api/inventory-config", headers=shop.admin)).json()
    cases = [
        ({"default_low_stock_threshold": "-1"}, "default_low_stock_threshold"),
        ({"default_low_stock_threshold": "1", "valuation_method": "fifo"}, "valuation_method"),
        (
            {"default_low_stock_threshold": "1", "low_stock_overrides": {"A": "-3"}},
            "low_stock_overrides.A",
        ),
        ({"default_low_stock_threshold": "1", "surprise": True}, "surprise"),
        ({}, "default_low_stock_threshold"),
    ]
    for body, field in cases:
        response = await shop.client.put("/api/inventory-config", json=body, headers=shop.admin)
        assert response.status_code == 422, (body, response.text)
        assert response.json()["detail"][0]["field"] == field, response.json()
    after = (await shop.client.get("/api/inventory-config", headers=shop.admin)).json()
    assert after == before
