"""Pages that cannot overflow, a page size that is capped, and LIKE patterns that match literally."""

from __future__ import annotations

import pytest
from sqlalchemy import literal, select

from common.db import Database
from common.pagination import LIKE_ESCAPE, MAX_PAGE, contains_pattern, escape_like
from common.roles import Role
from common.testing.helpers import running_app


@pytest.mark.parametrize("page", ["99999999999999999999", str(MAX_PAGE + 1)])
async def test_a_page_past_the_maximum_is_a_422_naming_page_and_the_maximum(
    widgets_app, page: str
) -> None:
    async with running_app(widgets_app) as client:
        response = await client.get("/api/widgets", params={"page": page})
    assert response.status_code == 422, response.text
    [error] = response.json()["detail"]
    assert error["field"] == "page"
    assert f"{MAX_PAGE}" in error["msg"]


async def test_the_deepest_page_answers_an_empty_page(widgets_app) -> None:
    async with running_app(widgets_app) as client:
        response = await client.get("/api/widgets", params={"page": MAX_PAGE, "page_size": 10_000})
    assert response.status_code == 200, response.text
    assert response.json()["results"] == []
    assert "page_size=100" in response.json()["previous"]  # capped to PAGE_SIZE_MAX


@pytest.mark.parametrize("page_size", ["0", "-1", "ten"])
async def test_a_page_size_below_one_is_a_422(widgets_app, page_size: str) -> None:
    async with running_app(widgets_app) as client:
        response = await client.get("/api/widgets", params={"page_size": page_size})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "page_size"


def test_escape_like_takes_away_the_wildcards() -> None:
    assert escape_like("100%") == "100\\%"
    assert escape_like("a_b") == "a\\_b"
    assert escape_like("c:\\tmp") == "c:\\\\tmp"
    assert contains_pattern("50%_off") == "%50\\%\\_off%"


@pytest.mark.parametrize(
    ("term", "matches"),
    [("%", ["100%"]), ("_", ["a_b"]), ("\\", ["back\\slash"]), ("x", ["axb"])],
)
async def test_contains_pattern_matches_only_the_literal_text(
    widgets_settings, term: str, matches: list[str]
) -> None:
    names = ["100%", "a_b", "axb", "plain", "back\\slash"]
    database = Database(widgets_settings.database_url)
    try:
        async with database.session() as session:
            found = []
            for name in names:
                statement = select(literal(name).ilike(contains_pattern(term), escape=LIKE_ESCAPE))
                if (await session.execute(statement)).scalar_one():
                    found.append(name)
    finally:
        await database.dispose()
    assert found == matches


async def test_search_with_wildcards_finds_only_the_literal_text(widgets_app, auth_headers) -> None:
    admin = auth_headers(Role.system_admin)
    async with running_app(widgets_app) as client:
        for name in ("100% cotton", "a_b", "axb"):
            await client.post("/api/widgets", json={"name": name, "size": 1}, headers=admin)
        percent = (await client.get("/api/widgets", params={"search": "%"})).json()
        underscore = (await client.get("/api/widgets", params={"search": "_"})).json()
    assert [row["name"] for row in percent["results"]] == ["100% cotton"]
    assert [row["name"] for row in underscore["results"]] == ["a_b"]
